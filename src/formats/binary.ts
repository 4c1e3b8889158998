/**
 * The format-neutral view of an executable that every analysis works on. ELF, Mach-O and PE readers
 * each produce one; Go-specific readers (build info, pclntab) and size attribution only use this view.
 */
import type { ByteSource } from './source.js';

export type BinaryFormat = 'elf' | 'macho' | 'pe';
/** Go's GOOS names where one applies; 'unknown' otherwise. */
export type OsName =
  'linux' | 'darwin' | 'windows' | 'freebsd' | 'openbsd' | 'netbsd' | 'android' | 'ios' | 'solaris' | 'illumos' | 'aix' | 'unknown';
/** Go's GOARCH names where one applies; otherwise the format's own name. */
export type ArchName = string;

export interface Section {
  name: string;
  /** Mach-O segment name (`__TEXT`), empty elsewhere. */
  segment: string;
  /** Virtual address; 0 for sections not loaded. */
  addr: number;
  /** Size in memory. */
  size: number;
  /** File offset of the contents; meaningful only when fileSize > 0. */
  offset: number;
  /** Bytes the section occupies in the file: 0 for bss/NOBITS/zerofill. */
  fileSize: number;
  /** Loaded into memory at run time (SHF_ALLOC, a Mach-O section, any PE section). */
  alloc: boolean;
  exec: boolean;
  write: boolean;
}

export interface Segment {
  /** ELF p_type name (`LOAD`, `INTERP`, `DYNAMIC`, …), Mach-O segment name, or PE-n/a. */
  type: string;
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
  read: boolean;
  write: boolean;
  exec: boolean;
}

export interface SymbolEntry {
  name: string;
  addr: number;
  size: number;
  /** 'text' code, 'data' initialised data, 'bss', 'rodata', 'other' (undefined, absolute, file…). */
  kind: 'text' | 'data' | 'rodata' | 'bss' | 'undef' | 'other';
  /** Index into `sections`, or -1. */
  section: number;
}

/** A needed version from ELF `.gnu.version_r` (e.g. file libc.so.6, version GLIBC_2.34). */
export interface VersionNeed {
  file: string;
  versions: string[];
}

export interface ElfDetails {
  /** ET_EXEC, ET_DYN, ET_REL, ET_CORE */
  type: 'exec' | 'dyn' | 'rel' | 'core' | 'other';
  machine: number;
  osabi: number;
  interpreter: string | null;
  needed: string[];
  soname: string | null;
  rpath: string[];
  runpath: string[];
  versionNeeds: VersionNeed[];
  /** Versions defined by this object (`.gnu.version_d`), e.g. GLIBC_2.2.5 … GLIBC_2.36 for libc.so.6. */
  versionDefs: string[];
  hasDynamic: boolean;
  /** DF_1_PIE set in DT_FLAGS_1. */
  pieFlag: boolean;
  /** Contents of the GNU build-id note, hex; Go build ID note (`Go\0\0` type 4) as a string. */
  gnuBuildId: string | null;
  goBuildId: string | null;
  /** Optional parts that could not be read (a corrupt version section) — the rest of the parse stands. */
  problems: Array<{ code: string; message: string }>;
}

export interface MachoDetails {
  cpuType: number;
  cpuSubtype: number;
  fileType: number;
  dylibs: string[];
  rpaths: string[];
  /** LC_LOAD_DYLINKER path (`/usr/lib/dyld`). */
  dylinker: string | null;
  /** For slices of a universal binary: the offset of this slice in the fat file. */
  sliceOffset: number;
  minOs: string | null;
}

export interface PeDetails {
  machine: number;
  subsystem: number;
  characteristics: number;
  imports: string[];
  imageBase: number;
  /** PE32+ (64-bit) vs PE32. */
  pe32plus: boolean;
}

export interface BinaryImage {
  format: BinaryFormat;
  os: OsName;
  arch: ArchName;
  bits: 32 | 64;
  endian: 'little' | 'big';
  /** Total bytes of the file (for a universal Mach-O slice: of the slice). */
  fileSize: number;
  sections: Section[];
  segments: Segment[];
  /** Entry point virtual address, 0 if none. */
  entry: number;
  /** The underlying bytes; offsets in sections/segments are relative to this source. */
  source: ByteSource;
  /** Symbol table, read lazily; null when the binary has none (stripped). */
  symbols(): SymbolEntry[] | null;
  /**
   * The defined symbols with these names; empty without a symbol table. ELF and PE find them without
   * decoding every name (a Go binary has tens of thousands). `size` may be 0 where the format records
   * none (PE), and PE data/bss kinds are not refined by Go's markers.
   */
  definedSymbols(names: readonly string[]): SymbolEntry[];
  /** Whether a static symbol table is present (`.symtab`, Mach-O LC_SYMTAB with non-dynamic entries, PE COFF symbols). */
  hasSymbols: boolean;
  /** DWARF debug info present (`.debug_info`, `.zdebug_info`, `__debug_info`). */
  hasDwarf: boolean;
  elf?: ElfDetails;
  macho?: MachoDetails;
  pe?: PeDetails;
}

/** Reads `length` bytes at virtual address `addr` through the section table; null if not mapped in the file. */
export function readVirtual(img: BinaryImage, addr: number, length: number): Uint8Array | null {
  for (const s of img.sections) {
    // unloaded sections (DWARF, symbol tables) have address 0 and must not answer reads of low addresses
    if (s.alloc && s.fileSize > 0 && addr >= s.addr && addr + length <= s.addr + s.fileSize) {
      return img.source.read(s.offset + (addr - s.addr), length);
    }
  }
  for (const g of img.segments) {
    if (g.fileSize > 0 && addr >= g.vaddr && addr + length <= g.vaddr + g.fileSize) {
      return img.source.read(g.offset + (addr - g.vaddr), length);
    }
  }
  return null;
}

export function findSection(img: BinaryImage, ...names: string[]): Section | undefined {
  for (const n of names) {
    const s = img.sections.find((x) => x.name === n);
    if (s) return s;
  }
  return undefined;
}

export function readSection(img: BinaryImage, s: Section): Uint8Array {
  return img.source.read(s.offset, s.fileSize);
}

/** definedSymbols over an already decoded table (formats without a faster path, or once symbols() ran). */
export function definedIn(syms: SymbolEntry[] | null, names: readonly string[]): SymbolEntry[] {
  if (!syms) return [];
  const wanted = new Set(names);
  return syms.filter((x) => x.kind !== 'undef' && wanted.has(x.name));
}
