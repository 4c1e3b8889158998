/**
 * The result of `gokiln inspect` for one file: the JSON shape (schemas/inspect.schema.json) and what the
 * human reporter prints. Plain data: no methods, no Maps, stable key order set by the builder.
 */
import type { ErrorCode } from '../errors.js';

export type Linking = 'static' | 'static-pie' | 'dynamic';
export type LibcFamily = 'glibc' | 'musl' | 'none' | 'other';

export interface GoReport {
  version: string | null;
  versionSource: 'buildinfo' | 'runtime-string' | null;
  evidence: string[];
  path: string | null;
  /** version may be derived: see `derivedFrom`. */
  main: { path: string; version: string; derivedFrom: 'buildinfo' | 'ldflags' | 'vcs' | null } | null;
  deps: Array<{ path: string; version: string; sum: string | null; replace: { path: string; version: string; sum: string | null } | null }>;
  settings: Record<string, string>;
  cgo: boolean | null;
  pclntab: { version: string; magic: string; section: string; funcs: number } | null;
  /**
   * Standard-library and module packages linked in (from pclntab function names), sorted. Only when asked
   * for (`inspect --packages`): the list costs a pass over every function name.
   */
  packages?: string[];
}

export interface Needs {
  /** Makes TLS connections (crypto/tls or net/http client linked in): needs CA certificates. */
  caCerts: boolean;
  /** Loads time zones by name (time.LoadLocation or TZ env): needs zoneinfo unless embedded. */
  tzdata: boolean;
  /** `time/tzdata` linked in. */
  tzdataEmbedded: boolean;
  osUser: boolean;
  /** `net` linked: DNS resolution; `dnsResolver` says which. */
  dns: boolean;
  dnsResolver: 'go' | 'cgo' | 'both' | null;
  pprof: boolean;
  expvar: boolean;
  plugin: boolean;
}

export interface RuntimeVerdict {
  /** `scratch`, `distroless/static-debian12`, `alpine:3.22`, `debian:bookworm`, `ubuntu:22.04`… */
  name: string;
  verdict: 'runs' | 'fails';
  /** Stable code of the reason (`ok`, `no-interpreter`, `glibc-too-old`, `wrong-arch`, `wrong-os`, `missing-library`, `library-too-old`, `wrong-libc`, `not-executable`, `cgo-stub`; see docs/knowledge.md). */
  reason: string;
  /** The exact message the user would see when it fails; null when it runs. */
  message: string | null;
  warnings: Array<{ code: string; message: string }>;
}

export interface InspectOk {
  file: string;
  format: 'elf' | 'macho' | 'pe';
  os: string;
  arch: string;
  bits: 32 | 64;
  endian: 'little' | 'big';
  /** ELF: exec/dyn (shared object, PIE), Mach-O: execute/dylib, PE: exe/dll. */
  kind: 'executable' | 'shared-library' | 'object' | 'other';
  linking: Linking;
  interpreter: string | null;
  libc: LibcFamily;
  needed: string[];
  rpath: string[];
  runpath: string[];
  glibcRequired: string | null;
  versionNeeds: Array<{ file: string; versions: string[] }>;
  stripped: boolean;
  dwarf: boolean;
  buildId: { gnu: string | null; go: string | null };
  go: GoReport | null;
  needs: Needs;
  runtimes: RuntimeVerdict[];
  /** Universal Mach-O: one entry per slice; the top-level fields describe the first slice. */
  slices?: Array<Omit<InspectOk, 'file' | 'slices'>>;
  /** Recoverable problems met while reading (a corrupt optional section), each a code and message. */
  notes: Array<{ code: string; message: string }>;
}

export interface InspectError {
  file: string;
  error: { code: ErrorCode; message: string };
}

export type InspectResult = InspectOk | InspectError;
