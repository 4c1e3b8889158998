/**
 * Mach-O reader: a thin (single-architecture) Mach-O file, or one slice of a universal binary seen
 * through a SliceSource, turned into the format-neutral BinaryImage.
 */
import { GokilnError, guard } from '../../errors.js';
import { definedIn, type BinaryImage, type MachoDetails, type OsName, type Section, type Segment, type SymbolEntry } from '../binary.js';
import { Reader, type ByteSource } from '../source.js';
import * as C from './constants.js';
import { readLoadCommands, type DysymtabCommand, type LoadCommands, type RawSegment } from './load-commands.js';
import { checkSymtab, hasDefinedSymbols, readMachoSymbols } from './symbols.js';

export { parseFat, looksFat, type FatArch } from './fat.js';
export { SliceSource } from './slice-source.js';
export { machoArch } from './constants.js';
export type { DysymtabCommand } from './load-commands.js';

/** MachoDetails plus what the shared type has no field for yet. */
export interface MachoDetailsFull extends MachoDetails {
  /** LC_UUID as 32 lowercase hex digits. */
  uuid: string | null;
  /** LC_BUILD_VERSION platform (macos, ios, iossimulator…), null when absent. */
  platform: string | null;
  /** SDK version from LC_BUILD_VERSION / LC_VERSION_MIN_*. */
  sdk: string | null;
  /** mach_header flags (MH_PIE 0x200000, MH_DYLDLINK 0x4…). */
  flags: number;
  /** LC_MAIN entryoff (file offset of the entry point), null when absent. */
  entryOff: number | null;
  /** LC_DYSYMTAB's partition of the symbol table (locals, external definitions, undefined). */
  dysymtab: DysymtabCommand | null;
}

/** `magic` as read big-endian from the first four bytes: which Mach-O flavour, or null. */
export function machoKind(head: Uint8Array): { is64: boolean; le: boolean } | null {
  if (head.length < 4) return null;
  const be = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  const le = ((head[3]! << 24) | (head[2]! << 16) | (head[1]! << 8) | head[0]!) >>> 0;
  if (be === C.MH_MAGIC || be === C.MH_MAGIC_64) return { is64: be === C.MH_MAGIC_64, le: false };
  if (le === C.MH_MAGIC || le === C.MH_MAGIC_64) return { is64: le === C.MH_MAGIC_64, le: true };
  return null;
}

const ZEROFILL = new Set([C.S_ZEROFILL, C.S_GB_ZEROFILL, C.S_THREAD_LOCAL_ZEROFILL]);

/**
 * Parses the Mach-O file in `src`. For a slice of a universal binary pass a SliceSource and the
 * slice's offset in the fat file: all offsets in the result are relative to `src`.
 */
export function parseMacho(src: ByteSource, sliceOffset = 0): BinaryImage {
  return guard('Mach-O', () => parse(src, sliceOffset));
}

function parse(src: ByteSource, sliceOffset: number): BinaryImage {
  if (src.size < 4) throw new GokilnError('E_TRUNCATED', `a Mach-O header needs 28 bytes, the file has ${src.size}`);
  const kind = machoKind(src.read(0, 4));
  if (!kind) throw new GokilnError('E_NOT_BINARY', 'not a Mach-O file (bad magic)');
  const { is64, le } = kind;
  const hdrSize = is64 ? 32 : 28;
  if (src.size < hdrSize) {
    throw new GokilnError('E_TRUNCATED', `a Mach-O header needs ${hdrSize} bytes, the file has ${src.size}`);
  }
  // mach_header(_64): magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags(, reserved)
  const h = new Reader(src.read(0, hdrSize), le);
  const cpuType = h.u32(4);
  const cpuSubtype = h.u32(8);
  const fileType = h.u32(12);
  const ncmds = h.u32(16);
  const sizeofcmds = h.u32(20);
  const flags = h.u32(24);
  if (hdrSize + sizeofcmds > src.size) {
    throw new GokilnError('E_TRUNCATED', `load commands (${sizeofcmds} bytes) run past the end of the ${src.size}-byte file`, {
      offset: hdrSize,
    });
  }
  const lc = readLoadCommands(new Reader(src.read(hdrSize, sizeofcmds), le), ncmds, cpuType);

  const { sections, kinds } = buildSections(lc.segments, src.size);
  const segments = lc.segments.map(toSegment);
  if (lc.symtab) checkSymtab(src, lc.symtab, is64);

  const details: MachoDetailsFull = {
    cpuType,
    cpuSubtype,
    fileType,
    dylibs: lc.dylibs,
    rpaths: lc.rpaths,
    dylinker: lc.dylinker,
    sliceOffset,
    minOs: lc.minOs,
    uuid: lc.uuid,
    platform: lc.platform === null ? null : C.platformName(lc.platform),
    sdk: lc.sdk,
    flags,
    entryOff: lc.entryOff,
    dysymtab: lc.dysymtab,
  };
  const symtab = lc.symtab;
  let cached: SymbolEntry[] | null | undefined;
  const symbols = (): SymbolEntry[] | null => {
    if (cached === undefined)
      cached = symtab ? guard('Mach-O symbols', () => readMachoSymbols(src, symtab, sections, kinds, is64, le)) : null;
    return cached;
  };
  return {
    format: 'macho',
    os: osOf(lc),
    arch: C.machoArch(cpuType),
    bits: is64 ? 64 : 32,
    endian: le ? 'little' : 'big',
    fileSize: src.size,
    sections,
    segments,
    entry: entryOf(lc),
    source: src,
    symbols,
    definedSymbols: (names: readonly string[]): SymbolEntry[] => definedIn(symbols(), names),
    hasSymbols: symtab ? hasDefinedSymbols(src, symtab, is64, le) : false,
    hasDwarf: sections.some((s) => s.segment === '__DWARF' && (s.name === '__debug_info' || s.name === '__zdebug_info')),
    macho: details,
  };
}

function osOf(lc: LoadCommands): OsName {
  if (lc.platform === C.PLATFORM_IOS || lc.platform === C.PLATFORM_IOSSIMULATOR) return 'ios';
  if (lc.versionMinPlatform === C.LC_VERSION_MIN_IPHONEOS) return 'ios';
  return 'darwin';
}

/** LC_MAIN gives a file offset; the address is where that offset is mapped (inside __TEXT). */
function entryOf(lc: LoadCommands): number {
  if (lc.entryOff !== null) {
    const off = lc.entryOff;
    const seg = lc.segments.find((g) => g.filesize > 0 && off >= g.fileoff && off < g.fileoff + g.filesize);
    return seg ? seg.vmaddr + (off - seg.fileoff) : 0;
  }
  return lc.threadPc ?? 0;
}

function toSegment(g: RawSegment): Segment {
  return {
    type: g.name,
    offset: g.fileoff,
    vaddr: g.vmaddr,
    fileSize: g.filesize,
    memSize: g.vmsize,
    read: (g.initprot & C.VM_PROT_READ) !== 0,
    write: (g.initprot & C.VM_PROT_WRITE) !== 0,
    exec: (g.initprot & C.VM_PROT_EXECUTE) !== 0,
  };
}

/**
 * Sections in load-command order (the order n_sect counts them in). A section of a segment that is
 * not mapped (Go's __DWARF has vmsize 0) is not loaded: alloc false and addr 0.
 */
function buildSections(segments: RawSegment[], fileSize: number): { sections: Section[]; kinds: SymbolEntry['kind'][] } {
  const sections: Section[] = [];
  const kinds: SymbolEntry['kind'][] = [];
  for (const g of segments) {
    const mapped = g.vmsize > 0;
    for (const s of g.sections) {
      const zerofill = ZEROFILL.has(s.flags & 0xff);
      const fileSz = zerofill ? 0 : s.size;
      if (fileSz > 0 && s.offset + fileSz > fileSize) {
        throw new GokilnError(
          'E_TRUNCATED',
          `section ${s.segment},${s.name} (${fileSz} bytes at ${s.offset}) runs past the end of the ${fileSize}-byte file`,
          { offset: s.offset },
        );
      }
      const exec = (s.flags & (C.S_ATTR_PURE_INSTRUCTIONS | C.S_ATTR_SOME_INSTRUCTIONS)) !== 0;
      const write = mapped && (g.initprot & C.VM_PROT_WRITE) !== 0;
      sections.push({
        name: s.name,
        segment: s.segment,
        addr: mapped ? s.addr : 0,
        size: s.size,
        offset: s.offset,
        fileSize: fileSz,
        alloc: mapped && (s.flags & C.S_ATTR_DEBUG) === 0,
        exec,
        write,
      });
      kinds.push(sectionKind(g, mapped, zerofill, exec));
    }
  }
  return { sections, kinds };
}

function sectionKind(g: RawSegment, mapped: boolean, zerofill: boolean, exec: boolean): SymbolEntry['kind'] {
  if (!mapped) return 'other';
  if (zerofill) return 'bss';
  if (exec) return 'text';
  // __DATA_CONST is written once by dyld at load, then made read-only
  if ((g.initprot & C.VM_PROT_WRITE) !== 0 && g.name !== '__DATA_CONST') return 'data';
  return 'rodata';
}
