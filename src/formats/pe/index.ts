/** PE/COFF reader: a Windows executable or DLL turned into the format-neutral BinaryImage. */
import { guard } from '../../errors.js';
import { definedIn, type BinaryImage, type PeDetails, type SymbolEntry } from '../binary.js';
import type { ByteSource } from '../source.js';
import { peArch } from './constants.js';
import { readHeaders } from './headers.js';
import { readImports } from './imports.js';
import { readRawSections, readStringTable, toSection } from './sections.js';
import { findPeSymbols, readPeSymbols } from './symbols.js';
import { WantedNames } from '../symbol-names.js';

export { peArch } from './constants.js';

/** PeDetails plus what the shared type has no field for yet. */
export interface PeDetailsFull extends PeDetails {
  /** Entry point RVA (AddressOfEntryPoint), 0 for most DLLs. */
  entryRva: number;
  dllCharacteristics: number;
  timeDateStamp: number;
  /** [rva, size] of each data directory (export, import, resource, …). */
  dataDirectories: Array<[number, number]>;
  /** COFF symbol records claimed by the header (auxiliary records included). */
  numberOfSymbols: number;
}

export function parsePe(src: ByteSource): BinaryImage {
  return guard('PE', () => parse(src));
}

function parse(src: ByteSource): BinaryImage {
  const h = readHeaders(src);
  const strtab = readStringTable(src, h);
  const raw = readRawSections(src, h, strtab);
  const sections = raw.map((s) => toSection(s, h.imageBase, src.size));
  const details: PeDetailsFull = {
    machine: h.machine,
    subsystem: h.subsystem,
    characteristics: h.characteristics,
    imports: readImports(src, h, raw),
    imageBase: h.imageBase,
    pe32plus: h.pe32plus,
    entryRva: h.entryRva,
    dllCharacteristics: h.dllCharacteristics,
    timeDateStamp: h.timeDateStamp,
    dataDirectories: h.dataDirectories,
    numberOfSymbols: h.numberOfSymbols,
  };
  const hasSymbols = h.pointerToSymbolTable !== 0 && h.numberOfSymbols > 0;
  let cached: SymbolEntry[] | null | undefined;
  const symbols = (): SymbolEntry[] | null => {
    if (cached === undefined) cached = hasSymbols ? guard('PE symbols', () => readPeSymbols(src, h, raw, sections, strtab)) : null;
    return cached;
  };
  return {
    format: 'pe',
    os: 'windows',
    arch: peArch(h.machine),
    bits: h.pe32plus ? 64 : 32,
    endian: 'little',
    fileSize: src.size,
    sections,
    segments: [],
    entry: h.entryRva ? h.imageBase + h.entryRva : 0,
    source: src,
    symbols,
    definedSymbols(names: readonly string[]): SymbolEntry[] {
      if (cached !== undefined || !hasSymbols) return definedIn(symbols(), names);
      return guard('PE symbols', () => findPeSymbols(src, h, raw, strtab, new WantedNames(names)));
    },
    hasSymbols,
    hasDwarf: sections.some((s) => s.name === '.debug_info' || s.name === '.zdebug_info'),
    pe: details,
  };
}
