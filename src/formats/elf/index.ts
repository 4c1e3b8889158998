/**
 * The ELF reader: `parseElf(source)` reads the header, program and section headers, the dynamic table,
 * version needs/definitions and notes by offset (never the whole file) and returns the format-neutral
 * BinaryImage. Symbol tables are read only when asked for.
 */
import { GokilnError, guard } from '../../errors.js';
import { definedIn, type BinaryImage, type ElfDetails, type SymbolEntry, type VersionNeed } from '../binary.js';
import { decodeUtf8, type ByteSource } from '../source.js';
import { elfArch, elfOs } from './arch.js';
import { DF_1_PIE, readDynamic, type DynamicInfo } from './dynamic.js';
import { readElfHeader, type ElfHeader } from './header.js';
import { noteFacts, parseNotes, type ElfNote } from './notes.js';
import { SHT, readSectionHeaders, sectionBytes, toSection, type RawSection } from './sections.js';
import { PT, readProgramHeaders, toSegment, vaddrToOffset, type RawSegment } from './segments.js';
import { findDefinedSymbols, readSymbolTable } from './symbols.js';
import { WantedNames } from '../symbol-names.js';
import { parseVerdef, parseVerneed } from './versions.js';

export { isElf } from './header.js';
export { elfLinking, libcFamily, type ElfLinking, type LibcFamily } from './linking.js';
export { highestGlibc, glibcProvided, compareVersions } from './versions.js';
export { elfArch, elfOs } from './arch.js';

/**
 * A part of the file that was damaged but not needed to describe the rest (version tables, notes):
 * the GokilnError code it failed with and a message naming the part. Parsing carried on.
 */
export type ElfProblem = ElfDetails['problems'][number];

/** ElfDetails plus what this reader records beyond the shared type. */
export interface ElfDetailsExt extends ElfDetails {
  /** NT_GNU_ABI_TAG note (glibc start files add it): OS word (0 = Linux) and minimum kernel. */
  gnuAbiTag: { os: number; version: string } | null;
  /** DT_FLAGS_1, null when absent. */
  flags1: number | null;
}

export type ElfImage = BinaryImage & { elf: ElfDetailsExt };

interface Parsed {
  h: ElfHeader;
  sections: RawSection[];
}
const parsedOf = new WeakMap<BinaryImage, Parsed>();

const ET: Record<number, ElfDetails['type']> = { 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' };
const MAX_INTERP = 4096; // Linux refuses a longer PT_INTERP (PATH_MAX with its NUL; docs/knowledge.md)
const MAX_VERSION_AREA = 1 << 20; // without section headers the size of DT_VERNEED's area is unknown

export function parseElf(src: ByteSource): ElfImage {
  return guard('ELF', () => parse(src));
}

function parse(src: ByteSource): ElfImage {
  const h = readElfHeader(src);
  const segments = readProgramHeaders(src, h);
  const sections = readSectionHeaders(src, h);
  const problems: ElfProblem[] = [];

  const interpreter = readInterpreter(src, segments);
  const dyn = readDynamic(src, h, segments, sections);
  const versionNeeds = optional(problems, 'version needs', [] as VersionNeed[], () => readVersionNeeds(src, h, segments, sections, dyn));
  const versionDefs = optional(problems, 'version definitions', [] as string[], () => readVersionDefs(src, h, segments, sections, dyn));
  const notes = optional(problems, 'notes', [] as ElfNote[], () => readAllNotes(src, h, segments, sections));
  const nf = noteFacts(notes, h.little);

  const symtab = sections.find((s) => s.type === SHT.SYMTAB);
  let symbolCache: SymbolEntry[] | null | undefined;
  const names = new Set(sections.map((s) => s.name));
  const elf: ElfDetailsExt = {
    type: ET[h.type] ?? 'other',
    machine: h.machine,
    osabi: h.osabi,
    interpreter,
    needed: dyn?.needed ?? [],
    soname: dyn?.soname ?? null,
    rpath: dyn?.rpath ?? [],
    runpath: dyn?.runpath ?? [],
    versionNeeds,
    versionDefs,
    hasDynamic: dyn !== null,
    pieFlag: dyn?.flags1 != null && (dyn.flags1 & DF_1_PIE) !== 0,
    gnuBuildId: nf.gnuBuildId,
    goBuildId: nf.goBuildId,
    problems,
    gnuAbiTag: nf.gnuAbiTag,
    flags1: dyn?.flags1 ?? null,
  };
  const symbols = (): SymbolEntry[] | null => {
    if (symbolCache === undefined) symbolCache = symtab ? guard('ELF symbol table', () => readSymbolTable(src, h, sections, symtab)) : null;
    return symbolCache;
  };
  const img: ElfImage = {
    format: 'elf',
    os: elfOs({ osabi: h.osabi, interpreter, noteOwners: nf.identOwners, gnuAbiOs: nf.gnuAbiTag?.os ?? null }),
    arch: elfArch(h.machine, h.bits, h.little),
    bits: h.bits,
    endian: h.little ? 'little' : 'big',
    fileSize: src.size,
    sections: sections.map(toSection),
    segments: segments.map((g) => toSegment(g, h.machine)),
    entry: h.entry,
    source: src,
    symbols,
    definedSymbols(names: readonly string[]): SymbolEntry[] {
      if (symbolCache !== undefined || !symtab) return definedIn(symbols(), names);
      return guard('ELF symbol table', () => findDefinedSymbols(src, h, sections, symtab, new WantedNames(names)));
    },
    hasSymbols: symtab !== undefined,
    hasDwarf: names.has('.debug_info') || names.has('.zdebug_info'),
    elf,
  };
  parsedOf.set(img, { h, sections });
  return img;
}

/**
 * The dynamic symbol table (.dynsym) of an image parseElf returned: imported and exported names.
 * Null when there is none or the image did not come from parseElf.
 */
export function elfDynamicSymbols(img: BinaryImage): SymbolEntry[] | null {
  const p = parsedOf.get(img);
  const dynsym = p?.sections.find((s) => s.type === SHT.DYNSYM);
  if (!p || !dynsym) return null;
  return guard('ELF dynamic symbol table', () => readSymbolTable(img.source, p.h, p.sections, dynsym));
}

function optional<T>(problems: ElfProblem[], what: string, fallback: T, fn: () => T): T {
  try {
    return guard(what, fn);
  } catch (e) {
    if (!(e instanceof GokilnError)) throw e;
    problems.push({ code: e.code, message: `${what}: ${e.message}` });
    return fallback;
  }
}

function readInterpreter(src: ByteSource, segments: RawSegment[]): string | null {
  const g = segments.find((s) => s.type === PT.INTERP);
  if (!g) return null;
  // Linux refuses p_filesz < 2 or > PATH_MAX with ENOEXEC (docs/knowledge.md): no such file runs
  if (g.fileSize < 2 || g.fileSize > MAX_INTERP) {
    throw new GokilnError('E_CORRUPT', `PT_INTERP of ${g.fileSize} bytes is not a path`, { offset: g.offset });
  }
  const b = src.read(g.offset, g.fileSize);
  const nul = b.indexOf(0);
  return decodeUtf8(nul >= 0 ? b.subarray(0, nul) : b);
}

function readVersionNeeds(
  src: ByteSource,
  h: ElfHeader,
  segments: RawSegment[],
  sections: RawSection[],
  dyn: DynamicInfo | null,
): VersionNeed[] {
  const sec = sections.find((s) => s.type === SHT.GNU_VERNEED);
  if (sec) return parseVerneed(sectionBytes(src, sec), h.little, sec.info, linkedStrings(src, sections, sec));
  const area = dynamicArea(src, segments, dyn, dyn?.verneed ?? null);
  return area ? parseVerneed(area.bytes, h.little, area.count, area.strtab) : [];
}

function readVersionDefs(src: ByteSource, h: ElfHeader, segments: RawSegment[], sections: RawSection[], dyn: DynamicInfo | null): string[] {
  const sec = sections.find((s) => s.type === SHT.GNU_VERDEF);
  if (sec) return parseVerdef(sectionBytes(src, sec), h.little, sec.info, linkedStrings(src, sections, sec));
  const area = dynamicArea(src, segments, dyn, dyn?.verdef ?? null);
  return area ? parseVerdef(area.bytes, h.little, area.count, area.strtab) : [];
}

function linkedStrings(src: ByteSource, sections: RawSection[], sec: RawSection): Uint8Array {
  const s = sections[sec.link];
  if (!s || s.type !== SHT.STRTAB)
    throw new GokilnError('E_CORRUPT', `${sec.name} links to section ${sec.link}, which is not a string table`);
  return sectionBytes(src, s);
}

function dynamicArea(src: ByteSource, segments: RawSegment[], dyn: DynamicInfo | null, where: { addr: number; count: number } | null) {
  if (!dyn || !where) return null;
  const at = vaddrToOffset(segments, where.addr);
  if (!at) throw new GokilnError('E_CORRUPT', `version table address 0x${where.addr.toString(16)} is not in any LOAD segment`);
  if (!dyn.strtab) throw new GokilnError('E_CORRUPT', 'version table without a dynamic string table');
  return { bytes: src.read(at.offset, Math.min(at.avail, MAX_VERSION_AREA)), count: where.count, strtab: dyn.strtab };
}

function readAllNotes(src: ByteSource, h: ElfHeader, segments: RawSegment[], sections: RawSection[]): ElfNote[] {
  const noteSecs = sections.filter((s) => s.type === SHT.NOTE);
  if (noteSecs.length > 0) return noteSecs.flatMap((s) => parseNotes(sectionBytes(src, s), h.little, s.addralign));
  return segments.filter((g) => g.type === PT.NOTE).flatMap((g) => parseNotes(src.read(g.offset, g.fileSize), h.little, g.align));
}
