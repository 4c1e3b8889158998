import { GokilnError } from '../../errors.js';
import type { Section } from '../binary.js';
import { Reader, type ByteSource } from '../source.js';
import * as C from './constants.js';
import type { PeHeaders } from './headers.js';

export interface RawPeSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  sizeOfRawData: number;
  pointerToRawData: number;
  characteristics: number;
}

/**
 * The COFF string table follows the symbol table (18 bytes a record) and starts with its own size.
 * Long section names (`/123`) and long symbol names index into it. Null when the file has none.
 */
export function readStringTable(src: ByteSource, h: PeHeaders): Reader | null {
  if (h.pointerToSymbolTable === 0) return null;
  const off = h.pointerToSymbolTable + h.numberOfSymbols * 18;
  if (off + 4 > src.size) {
    throw new GokilnError(
      'E_TRUNCATED',
      `COFF symbol table (${h.numberOfSymbols} records at ${h.pointerToSymbolTable}) runs past the end of the ${src.size}-byte file`,
      { offset: h.pointerToSymbolTable },
    );
  }
  const size = new Reader(src.read(off, 4), true).u32(0);
  if (size < 4) return new Reader(new Uint8Array(0), true);
  if (off + size > src.size) {
    throw new GokilnError('E_TRUNCATED', `COFF string table (${size} bytes at ${off}) runs past the end of the ${src.size}-byte file`, {
      offset: off,
    });
  }
  return new Reader(src.read(off, size), true);
}

/** A string-table entry; offsets count from the start of the table, size field included. */
export function tableString(strtab: Reader | null, off: number): string | null {
  if (!strtab || off < 4 || off >= strtab.length) return null;
  return strtab.cstring(off, strtab.length - off);
}

/** Section headers, 40 bytes each: Name[8], VirtualSize, VirtualAddress, SizeOfRawData, PointerToRawData, …, Characteristics at 36. */
export function readRawSections(src: ByteSource, h: PeHeaders, strtab: Reader | null): RawPeSection[] {
  const r = new Reader(src.read(h.sectionTableOffset, h.numberOfSections * 40), true);
  const out: RawPeSection[] = [];
  for (let i = 0; i < h.numberOfSections; i++) {
    const o = i * 40;
    let name = r.cstring(o, 8);
    // executables may not use long names by the spec, but Go's linker writes them for .zdebug_*
    const m = /^\/(\d+)$/.exec(name);
    if (m) name = tableString(strtab, Number(m[1])) ?? name;
    out.push({
      name,
      virtualSize: r.u32(o + 8),
      virtualAddress: r.u32(o + 12),
      sizeOfRawData: r.u32(o + 16),
      pointerToRawData: r.u32(o + 20),
      characteristics: r.u32(o + 36),
    });
  }
  return out;
}

/** Whether a section holds only uninitialised data, which has no bytes in the file. */
export function isBss(s: RawPeSection): boolean {
  const c = s.characteristics;
  return (c & C.IMAGE_SCN_CNT_UNINITIALIZED_DATA) !== 0 && (c & (C.IMAGE_SCN_CNT_INITIALIZED_DATA | C.IMAGE_SCN_CNT_CODE)) === 0;
}

/**
 * Debug sections (DWARF, by name) and sections that declare no contents (Go's `.symtab`) serve only
 * tools, never the running program; the loader maps them, but like objdump (BFD) the reader does not
 * count them as allocated, so size analysis can tell them from code and data.
 */
function allocated(s: RawPeSection): boolean {
  if (s.name.startsWith('.debug_') || s.name.startsWith('.zdebug_')) return false;
  return (s.characteristics & (C.IMAGE_SCN_CNT_CODE | C.IMAGE_SCN_CNT_INITIALIZED_DATA | C.IMAGE_SCN_CNT_UNINITIALIZED_DATA)) !== 0;
}

/** A section at ImageBase + VirtualAddress; bss-only sections have no file bytes. */
export function toSection(s: RawPeSection, imageBase: number, fileSize: number): Section {
  const fileSz = isBss(s) ? 0 : s.sizeOfRawData;
  if (fileSz > 0 && s.pointerToRawData + fileSz > fileSize) {
    throw new GokilnError(
      'E_TRUNCATED',
      `section ${s.name} (${fileSz} bytes at ${s.pointerToRawData}) runs past the end of the ${fileSize}-byte file`,
      { offset: s.pointerToRawData },
    );
  }
  const c = s.characteristics;
  return {
    name: s.name,
    segment: '',
    addr: imageBase + s.virtualAddress,
    size: s.virtualSize || s.sizeOfRawData,
    offset: s.pointerToRawData,
    fileSize: fileSz,
    alloc: allocated(s),
    exec: (c & (C.IMAGE_SCN_MEM_EXECUTE | C.IMAGE_SCN_CNT_CODE)) !== 0,
    write: (c & C.IMAGE_SCN_MEM_WRITE) !== 0,
  };
}

/** File offset of the byte at `rva`, through the section that maps it; null when no file byte backs it. */
export function rvaToOffset(sections: RawPeSection[], h: PeHeaders, rva: number): number | null {
  for (const s of sections) {
    const span = Math.max(s.virtualSize, s.sizeOfRawData);
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) {
      const delta = rva - s.virtualAddress;
      return delta < s.sizeOfRawData ? s.pointerToRawData + delta : null;
    }
  }
  return rva < h.sizeOfHeaders ? rva : null;
}
