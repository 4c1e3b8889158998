/** Typed results of the Go-specific readers (build info, pclntab). Produced by src/formats/go, read by analyses. */

export interface GoModule {
  path: string;
  version: string;
  sum: string | null;
  /** The replacement module, when the build info has a `=>` line. */
  replace: GoModule | null;
}

/** Decoded `.go.buildinfo` (see Go's debug/buildinfo and runtime/debug.BuildInfo). */
export interface GoBuildInfo {
  /** e.g. `go1.27.3` */
  goVersion: string;
  /** `path` line: the main package path (e.g. `github.com/bufbuild/buf/cmd/buf`). */
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  /** `build` lines in order, key → value (`-ldflags`, `CGO_ENABLED`, `GOARCH`, `vcs.revision`…). */
  settings: Array<{ key: string; value: string }>;
  /** Pointer size and endianness from the header (flags bit 0x1 = big endian). */
  ptrSize: number;
  bigEndian: boolean;
  /** Header flags bit 0x2: version/modinfo are inline varint-length strings (Go 1.18+). */
  inlineStrings: boolean;
}

export type PclntabVersion = '1.2' | '1.16' | '1.18' | '1.20';

/** One function from the pclntab function table. */
export interface GoFunc {
  name: string;
  /** Entry virtual address. */
  entry: number;
  /** End address: the next function's entry (or the table's end for the last one). */
  end: number;
  /**
   * Bytes of pclntab data owned by this function: its _func record (with its pcdata/funcdata offset
   * arrays), its functab entry, its name and NUL, and every pc table (pcsp, pcfile, pcln, pcdata) it is
   * the first function to use; a table shared with earlier functions costs it nothing; and since Go 1.26,
   * the funcdata blobs stored in the same table that it is the first to use. The header, cutab, file table
   * and findfunctab are not per function.
   */
  tableBytes: number;
}

export interface GoPclntab {
  /** Layout family, named by the Go release that introduced it. */
  version: PclntabVersion;
  magic: number;
  ptrSize: number;
  /** The section the table was found in (`.gopclntab`, `__gopclntab`, `.data.rel.ro`, `.rdata`…). */
  section: string;
  /**
   * Virtual address and byte size of the whole table: the section (or runtime.pclntab…epclntab) when it
   * has one; when found by searching other data, the extent its header, tables and records cover.
   */
  addr: number;
  size: number;
  textStart: number;
  funcs: GoFunc[];
  /** Source file names from the file table, when readable. */
  files: string[];
  /**
   * Go 1.26+: the funcdata blobs (go:func.*) inside the table: `offset` is where the function records end,
   * which go:func.* follows at its alignment (under 32 bytes later), and `size` the bytes handed to
   * functions' `tableBytes` (all but the last blob). Null when the funcdata lies elsewhere or is unknown.
   */
  funcdata?: { offset: number; size: number } | null;
  /**
   * Entries of the function-name table that no function record points at: names stored for inlined calls
   * (of functions that exist only inlined, and a few second copies), each with its byte size and NUL.
   * Empty for the 1.2 layout, which keeps names beside the records.
   */
  inlinedNames?: Array<{ name: string; size: number }>;
}

/** How a program was recognised as Go, and where its version came from. */
export interface GoIdentity {
  isGo: boolean;
  /** `buildinfo` (best), `pclntab` (functions readable; version from runtime string), `runtime-string`. */
  evidence: Array<'buildinfo' | 'pclntab' | 'runtime-symbols' | 'runtime-string'>;
  /** go1.x.y from build info, else from the `runtime.buildVersion` string in the binary; null if unknown. */
  version: string | null;
  versionSource: 'buildinfo' | 'runtime-string' | null;
}
