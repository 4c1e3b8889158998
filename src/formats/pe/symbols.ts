import { GokilnError } from '../../errors.js';
import type { SymbolEntry } from '../binary.js';
import { fillSizes } from '../macho/symbols.js';
import { Reader, type ByteSource } from '../source.js';
import * as C from './constants.js';
import type { PeHeaders } from './headers.js';
import { tableString, type RawPeSection } from './sections.js';
import type { Section } from '../binary.js';
import type { WantedNames } from '../symbol-names.js';

const IMAGE_SYM_UNDEFINED = 0;
const IMAGE_SYM_ABSOLUTE = -1;

function kindIn(s: RawPeSection, value: number): SymbolEntry['kind'] {
  const c = s.characteristics;
  if (c & (C.IMAGE_SCN_CNT_CODE | C.IMAGE_SCN_MEM_EXECUTE)) return 'text';
  // Go puts .bss and .noptrbss at the end of .data, past its raw bytes
  if (c & C.IMAGE_SCN_CNT_UNINITIALIZED_DATA && !(c & C.IMAGE_SCN_CNT_INITIALIZED_DATA)) return 'bss';
  if (c & C.IMAGE_SCN_MEM_WRITE) return value >= s.sizeOfRawData ? 'bss' : 'data';
  if (c & C.IMAGE_SCN_MEM_READ) return 'rodata';
  return 'other';
}

/**
 * The file cannot tell bss from data in the file-alignment padding after .data's raw bytes; Go's
 * runtime.bss … runtime.enoptrbss markers can, so where they exist they decide.
 */
function markGoBss(syms: SymbolEntry[]): void {
  const start = syms.find((s) => s.name === 'runtime.bss');
  const end = syms.find((s) => s.name === 'runtime.enoptrbss');
  if (!start || !end || start.section !== end.section || start.section < 0) return;
  for (const s of syms) {
    if (s.section !== start.section || (s.kind !== 'data' && s.kind !== 'bss')) continue;
    s.kind = s.addr >= start.addr && s.addr <= end.addr ? 'bss' : 'data';
  }
}

/**
 * COFF symbol records (18 bytes: Name[8] or {0, string offset}, Value, SectionNumber i16, Type u16,
 * StorageClass u8, NumberOfAuxSymbols u8), auxiliary records skipped. A symbol's address is
 * ImageBase + its section's VirtualAddress + Value; sizes are gaps to the next symbol, as in Mach-O.
 */
/** Only the defined symbols named in `wanted` (sizes 0, kinds unrefined): see BinaryImage.definedSymbols. */
export function findPeSymbols(
  src: ByteSource,
  h: PeHeaders,
  raw: RawPeSection[],
  strtab: Reader | null,
  wanted: WantedNames,
): SymbolEntry[] {
  const r = symbolRecords(src, h);
  const out: SymbolEntry[] = [];
  for (let i = 0; i < h.numberOfSymbols; i++) {
    const o = i * 18;
    const name = r.u32(o) === 0 ? (strtab ? wanted.at(strtab.bytes, r.u32(o + 4)) : null) : wanted.at(r.bytes, o, o + 8);
    const secNum = (r.u16(o + 12) << 16) >> 16;
    const sec = raw[secNum - 1];
    if (name !== null && secNum > 0 && sec) {
      const value = r.u32(o + 8);
      out.push({ name, addr: h.imageBase + sec.virtualAddress + value, size: 0, kind: kindIn(sec, value), section: secNum - 1 });
    }
    i += r.u8(o + 17);
  }
  return out;
}

function symbolRecords(src: ByteSource, h: PeHeaders): Reader {
  const n = h.numberOfSymbols;
  if (h.pointerToSymbolTable + n * 18 > src.size) {
    throw new GokilnError('E_TRUNCATED', `COFF symbol table runs past the end of the ${src.size}-byte file`, {
      offset: h.pointerToSymbolTable,
    });
  }
  return new Reader(src.read(h.pointerToSymbolTable, n * 18), true);
}

export function readPeSymbols(
  src: ByteSource,
  h: PeHeaders,
  raw: RawPeSection[],
  sections: Section[],
  strtab: Reader | null,
): SymbolEntry[] {
  const n = h.numberOfSymbols;
  const r = symbolRecords(src, h);
  const out: SymbolEntry[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * 18;
    const name = r.u32(o) === 0 ? (tableString(strtab, r.u32(o + 4)) ?? '') : r.cstring(o, 8);
    const value = r.u32(o + 8);
    const secNum = (r.u16(o + 12) << 16) >> 16;
    const aux = r.u8(o + 17);
    i += aux;
    const sec = raw[secNum - 1];
    if (secNum > 0 && sec) {
      out.push({ name, addr: h.imageBase + sec.virtualAddress + value, size: 0, kind: kindIn(sec, value), section: secNum - 1 });
    } else if (secNum === IMAGE_SYM_UNDEFINED) {
      out.push({ name, addr: 0, size: 0, kind: 'undef', section: -1 });
    } else {
      out.push({ name, addr: secNum === IMAGE_SYM_ABSOLUTE ? value : 0, size: 0, kind: 'other', section: -1 });
    }
  }
  markGoBss(out);
  fillSizes(out, sections);
  return out;
}
