/**
 * binutils' readelf as an independent truth for ELF files, parsed from its wide (-W) text. Every parser
 * takes readelf's text, so one run with several options can feed several of them.
 */
import { runTool } from './tools.js';

/** Headers, sections, segments, dynamic section, versions and notes: everything parseReadelf reads. */
export const READELF_ALL = ['-h', '-S', '-l', '-d', '-V', '-n', '-W'];

/** readelf's text for `path` with the given options (READELF_ALL by default). */
export function readelfText(path: string, options: string[] = READELF_ALL): string {
  return runTool('readelf', [...options, path]);
}

export interface ReadelfSection {
  name: string;
  type: string;
  addr: number;
  offset: number;
  size: number;
  flags: string;
}
export interface ReadelfSegment {
  type: string;
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
  flags: string;
}
export interface VersionNeed {
  file: string;
  versions: string[];
}

const hex = (s: string | undefined) => parseInt(s ?? 'x', 16);

/**
 * readelf 2.40 prints types it has no name for as LOOS+n / LOPROC+n; the reader prints 0x… for those.
 * PT_PAX_FLAGS (0x65041580, emitted by Go's linker before 1.21) is one readelf does not name.
 */
function segmentName(t: string): string {
  const m = /^(LOOS|LOPROC)\+0x([0-9a-f]+)$/.exec(t);
  if (!m) return t;
  const v = (m[1] === 'LOOS' ? 0x60000000 : 0x70000000) + parseInt(m[2]!, 16);
  return v === 0x65041580 ? 'PAX_FLAGS' : `0x${v.toString(16)}`;
}

/** The PT_INTERP path (`-l`), or null. */
export function readelfInterpreter(text: string): string | null {
  return /Requesting program interpreter: ([^\]]*)\]/.exec(text)?.[1] ?? null;
}

/** Values of one dynamic tag (`-d`), e.g. dynamicStrings(text, 'NEEDED', 'Shared library'). */
export function readelfDynamicStrings(text: string, tag: string, label: string): string[] {
  return [...text.matchAll(new RegExp(`\\(${tag}\\)\\s+${label}: \\[([^\\]]*)\\]`, 'g'))].map((m) => m[1]!);
}

/** DT_NEEDED entries in order (`-d`). */
export function readelfNeeded(text: string): string[] {
  return readelfDynamicStrings(text, 'NEEDED', 'Shared library');
}

/** The GNU build ID note (`-n`), or null. */
export function readelfBuildId(text: string): string | null {
  return /Build ID: ([0-9a-f]+)/.exec(text)?.[1] ?? null;
}

/** Version needs in file order (`-V`): "File: libc.so.6  Cnt: 4", then "Name: GLIBC_2.3.2  Flags: none  Version: 5" lines. */
export function readelfVersionNeeds(text: string): VersionNeed[] {
  const needs: VersionNeed[] = [];
  const block = /Version needs section[^\n]*\n([\s\S]*?)(?:\n\n|$)/.exec(text)?.[1] ?? '';
  for (const line of block.split('\n')) {
    const f = /File: (\S+)\s+Cnt:/.exec(line);
    if (f) needs.push({ file: f[1]!, versions: [] });
    const n = /Name: (\S+)\s+Flags:/.exec(line);
    if (n) needs[needs.length - 1]?.versions.push(n[1]!);
  }
  return needs;
}

/** Version definitions (`-V`), the BASE entry (the soname) left out. */
export function readelfVersionDefs(text: string): string[] {
  const block = /Version definition section[^\n]*\n([\s\S]*?)(?:\n\n|$)/.exec(text)?.[1] ?? '';
  return [...block.matchAll(/Flags: ([^\n]*?)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)/g)]
    .filter((m) => !m[1]!.includes('BASE'))
    .map((m) => m[2]!);
}

/** Section headers (`-S`) of a well-formed file, fully parsed. */
export function readelfSections(text: string): ReadelfSection[] {
  return [
    ...text.matchAll(
      /^\s+\[\s*\d+\]\s(.*?)\s+(\S+)\s+([0-9a-f]{8,16})\s([0-9a-f]{6,})\s([0-9a-f]{6,})\s[0-9a-f]{2}\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+$/gm,
    ),
  ].map((m) => ({ name: m[1]!, type: m[2]!, addr: hex(m[3]), offset: hex(m[4]), size: hex(m[5]), flags: m[6]! }));
}

/** Section names only (`-S`), the null section's empty name included; tolerant of odd files. */
export function readelfSectionNames(text: string): string[] {
  return [...text.matchAll(/^\s+\[\s*\d+\]\s(\S*)\s+[A-Z_]+\s/gm)].map((m) => m[1]!);
}

/** Program headers (`-l`), fully parsed; unnamed types as the reader names them. */
export function readelfSegments(text: string): ReadelfSegment[] {
  return [
    ...text.matchAll(/^\s{2}(\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+) ([R ][W ][E ])\s+0x[0-9a-f]+$/gm),
  ].map((m) => ({ type: segmentName(m[1]!), offset: hex(m[2]), vaddr: hex(m[3]), fileSize: hex(m[4]), memSize: hex(m[5]), flags: m[6]! }));
}

/** Program header types only (`-l`), as readelf prints them (LOPROC+…, 0x… kept). */
export function readelfSegmentTypes(text: string): string[] {
  return [...text.matchAll(/^\s{2}([A-Z_]+|LOPROC\+\S+|0x[0-9a-f]+)\s+0x[0-9a-f]+ 0x/gm)].map((m) => m[1]!);
}

/** What readelf says about a file, parsed from its READELF_ALL text. */
export function parseReadelf(out: string) {
  const goNote = /\bGo\s+0x[0-9a-f]+\s+GO BUILDID\s+description data: ([0-9a-f ]+)/.exec(out)?.[1];
  return {
    bits: /Class:\s+ELF(32|64)/.exec(out)?.[1] === '64' ? 64 : 32,
    endian: /Data:.*little endian/.test(out) ? 'little' : 'big',
    type: /^\s*Type:\s+(\w+)/m.exec(out)?.[1] ?? '',
    entry: hex(/Entry point address:\s+0x([0-9a-f]+)/.exec(out)?.[1]),
    sections: readelfSections(out),
    segments: readelfSegments(out),
    interpreter: readelfInterpreter(out),
    needed: readelfNeeded(out),
    soname: readelfDynamicStrings(out, 'SONAME', 'Library soname')[0] ?? null,
    rpath: readelfDynamicStrings(out, 'RPATH', 'Library rpath')
      .flatMap((p) => p.split(':'))
      .filter(Boolean),
    runpath: readelfDynamicStrings(out, 'RUNPATH', 'Library runpath')
      .flatMap((p) => p.split(':'))
      .filter(Boolean),
    pieFlag: /\(FLAGS_1\)\s+Flags:[^\n]*\bPIE\b/.test(out),
    hasDynamic: /Dynamic section at offset/.test(out),
    needs: readelfVersionNeeds(out),
    defs: readelfVersionDefs(out),
    gnuBuildId: readelfBuildId(out),
    goBuildId: goNote ? Buffer.from(goNote.replace(/\s+/g, ''), 'hex').toString('utf8') : null,
  };
}

/** readelf's facts about the file at `path` (one run with READELF_ALL). */
export function readelfReport(path: string): ReturnType<typeof parseReadelf> {
  return parseReadelf(readelfText(path));
}

/** Version definitions of a shared library such as libc.so.6 (`readelf -V`), BASE left out. */
export function readelfVersionDefsOf(path: string): string[] {
  return readelfVersionDefs(readelfText(path, ['-V', '-W']));
}

/** Version needs of a file (`readelf -V`), in file order. */
export function readelfVersionNeedsOf(path: string): VersionNeed[] {
  return readelfVersionNeeds(readelfText(path, ['-V', '-W']));
}

/**
 * Names of the functions DWARF records as inlined (abstract DW_TAG_subprogram entries with DW_AT_inline),
 * from `readelf --debug-dump=info`; Go names them with their full symbol name.
 */
export function dwarfInlinedFunctions(path: string): Set<string> {
  const out = new Set<string>();
  let name: string | null = null;
  for (const line of readelfText(path, ['-W', '--debug-dump=info']).split('\n')) {
    if (/DW_TAG_/.test(line)) name = null;
    const n = /DW_AT_name\s*:\s*(?:\(\w+\)\s*)?(?:\(indirect string, offset: 0x[0-9a-f]+\):\s*)?(.*)$/.exec(line);
    if (n) name = n[1]!.trim();
    else if (name !== null && /DW_AT_inline\s*:/.test(line)) out.add(name);
  }
  return out;
}
