/** Symbol tables (.symtab, .dynsym) reduced to name, address, size and a coarse kind. */
import { GokilnError } from '../../errors.js';
import type { SymbolEntry } from '../binary.js';
import { Reader, type ByteSource } from '../source.js';
import { ENTSIZE, type ElfHeader } from './header.js';
import { SHF, SHT, sectionBytes, stringAt, type RawSection } from './sections.js';
import type { WantedNames } from '../symbol-names.js';

const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;
const SHN_COMMON = 0xfff2;
const STT_SECTION = 3;
const STT_FILE = 4;

/**
 * Only the defined symbols named in `wanted`, found by testing the bytes of each symbol's name (see
 * WantedNames) instead of decoding them all. Sizes and kinds as readSymbolTable gives them.
 */
export function findDefinedSymbols(
  src: ByteSource,
  h: ElfHeader,
  sections: RawSection[],
  table: RawSection,
  wanted: WantedNames,
): SymbolEntry[] {
  const { strtab, r, n, es } = symbolTableBytes(src, h, sections, table);
  const out: SymbolEntry[] = [];
  for (let i = 1; i < n; i++) {
    const o = i * es;
    const name = wanted.at(strtab, r.u32(o));
    if (name === null) continue;
    const e = entryAt(r, o, h.bits === 64, sections, name);
    if (e.kind !== 'undef') out.push(e);
  }
  return out;
}

function symbolTableBytes(
  src: ByteSource,
  h: ElfHeader,
  sections: RawSection[],
  table: RawSection,
): { strtab: Uint8Array; r: Reader; n: number; es: number } {
  const es = ENTSIZE[h.bits].sym;
  if (table.entsize !== 0 && table.entsize !== es) {
    throw new GokilnError('E_CORRUPT', `symbol table ${table.name} has entry size ${table.entsize}, ELF${h.bits} symbols are ${es} bytes`);
  }
  const strSec = sections[table.link];
  if (!strSec || strSec.type !== SHT.STRTAB) {
    throw new GokilnError('E_CORRUPT', `symbol table ${table.name} links to section ${table.link}, which is not a string table`);
  }
  return { strtab: sectionBytes(src, strSec), r: new Reader(sectionBytes(src, table), h.little), n: Math.floor(table.size / es), es };
}

export function readSymbolTable(src: ByteSource, h: ElfHeader, sections: RawSection[], table: RawSection): SymbolEntry[] {
  const { strtab, r, n, es } = symbolTableBytes(src, h, sections, table);
  const out: SymbolEntry[] = [];
  // entry 0 is the reserved null symbol
  for (let i = 1; i < n; i++) {
    const o = i * es;
    out.push(entryAt(r, o, h.bits === 64, sections, stringAt(strtab, r.u32(o), 'symbol name')));
  }
  return out;
}

function entryAt(r: Reader, o: number, is64: boolean, sections: RawSection[], name: string): SymbolEntry {
  let value: number, size: number, info: number, shndx: number;
  if (is64) {
    // st_name@0 u32, st_info@4 u8, st_other@5 u8, st_shndx@6 u16, st_value@8 u64, st_size@16 u64
    info = r.u8(o + 4);
    shndx = r.u16(o + 6);
    value = Number(r.u64big(o + 8));
    size = Number(r.u64big(o + 16));
  } else {
    // st_name@0, st_value@4, st_size@8 (u32), st_info@12 u8, st_other@13 u8, st_shndx@14 u16
    value = r.u32(o + 4);
    size = r.u32(o + 8);
    info = r.u8(o + 12);
    shndx = r.u16(o + 14);
  }
  const sec = shndx < SHN_LORESERVE ? sections[shndx] : undefined;
  return { name, addr: value, size, kind: symbolKind(shndx, info & 0xf, sec), section: sec && shndx !== SHN_UNDEF ? shndx : -1 };
}

function symbolKind(shndx: number, type: number, sec: RawSection | undefined): SymbolEntry['kind'] {
  if (shndx === SHN_UNDEF) return 'undef';
  if (shndx === SHN_COMMON) return 'bss';
  if (shndx === SHN_ABS || !sec || type === STT_SECTION || type === STT_FILE) return 'other';
  if ((sec.flags & SHF.ALLOC) === 0) return 'other';
  if ((sec.flags & SHF.EXECINSTR) !== 0) return 'text';
  if (sec.type === SHT.NOBITS) return 'bss';
  if ((sec.flags & SHF.WRITE) !== 0) return 'data';
  return 'rodata';
}
