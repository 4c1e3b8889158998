/**
 * Finds the pclntab's bytes: a dedicated section when there is one (`.gopclntab`, `__gopclntab`), else the
 * runtime.pclntab…runtime.epclntab symbols, else a search of read-only data for a header that decodes
 * (stripped PE puts the table inside `.rdata`, some PIE layouts inside `.data.rel.ro`).
 */
import { readSection, readVirtual, type BinaryImage, type Section } from '../binary.js';
import { pclnMagicAt, quickValidate } from './pclntab-header.js';
import { symbolRange } from './moduledata.js';

export interface PclntabLocation {
  bytes: Uint8Array;
  addr: number;
  section: string;
  how: 'section' | 'symbols' | 'search';
}

export const NAMED_PCLNTAB_SECTIONS = ['.gopclntab', '__gopclntab', '.data.rel.ro.gopclntab'];
/** Where a table without its own section has been seen, searched first. */
const LIKELY = ['.data.rel.ro', '.rdata', '.rodata', '__rodata', '__const', '.noptrdata', '.data'];

function sectionOf(img: BinaryImage, addr: number): Section | undefined {
  return img.sections.find((s) => s.fileSize > 0 && addr >= s.addr && addr < s.addr + s.fileSize);
}

export function locatePclntab(img: BinaryImage): PclntabLocation | null {
  for (const name of NAMED_PCLNTAB_SECTIONS) {
    const s = img.sections.find((x) => x.name === name && x.fileSize > 0);
    if (s) return { bytes: readSection(img, s), addr: s.addr, section: s.name, how: 'section' };
  }
  const r = pclntabBySymbols(img);
  if (r) {
    const bytes = readVirtual(img, r.addr, r.size);
    if (bytes) return { bytes, addr: r.addr, section: r.section, how: 'symbols' };
  }
  return mayHideTable(img) ? searchPclntab(img) : null;
}

/**
 * Where the runtime.pclntab…runtime.epclntab symbols put the table, when they exist and a pcHeader
 * magic is there; only the magic is read, so a caller wanting part of the table reads only that part.
 */
export function pclntabBySymbols(img: BinaryImage): { addr: number; size: number; section: string } | null {
  const r = symbolRange(img, 'runtime.pclntab', 'runtime.epclntab');
  if (!r) return null;
  const head = readVirtual(img, r.addr, Math.min(r.size, 8));
  if (!head || !pclnMagicAt(head, 0)) return null;
  return { addr: r.addr, size: r.size, section: sectionOf(img, r.addr)?.name ?? '' };
}

/**
 * Whether a table could sit inside other data here. PE never gives it a section; ELF does, except for
 * old external-link PIE builds (inside `.data.rel.ro`) and files without section headers, which still
 * carry Go's build ID note or a `.go*` section. Searching a large C program's data is wasted work.
 */
function mayHideTable(img: BinaryImage): boolean {
  if (img.format === 'pe' || !img.sections.some((s) => s.fileSize > 0)) return true;
  if (img.format === 'macho') return false;
  return (
    !!img.elf?.goBuildId || img.sections.some((s) => s.name.startsWith('.go') || s.name === '.note.go.buildid' || s.name === '.data.rel.ro')
  );
}

/** Scans non-executable data, 8-byte aligned, for a pcHeader whose function table decodes. */
export function searchPclntab(img: BinaryImage): PclntabLocation | null {
  const candidates = img.sections.filter((s) => s.fileSize >= 64 && !s.exec && (s.alloc || img.format === 'pe'));
  const rank = (s: Section): number => {
    const i = LIKELY.indexOf(s.name);
    return i < 0 ? LIKELY.length : i;
  };
  candidates.sort((a, b) => rank(a) - rank(b));
  if (candidates.length === 0) {
    // No section headers (stripped with sstrip and the like): search the loaded segments. Before Go 1.26
    // the table lives in the text segment, so executable ones count too.
    for (const g of img.segments) {
      if (g.fileSize >= 64 && (g.type === 'LOAD' || img.format !== 'elf')) {
        candidates.push({
          name: g.type,
          segment: '',
          addr: g.vaddr,
          size: g.memSize,
          offset: g.offset,
          fileSize: g.fileSize,
          alloc: true,
          exec: g.exec,
          write: g.write,
        });
      }
    }
  }
  for (const s of candidates) {
    const bytes = readSection(img, s);
    const first = (8 - (s.addr % 8)) % 8;
    for (let off = first; off + 64 <= bytes.length; off += 8) {
      const b0 = bytes[off];
      // The magic's first byte is 0xfb/0xfa/0xf0/0xf1 (little-endian) or 0xff (big-endian).
      if (b0 !== 0xff && b0 !== 0xfb && b0 !== 0xfa && b0 !== 0xf0 && b0 !== 0xf1) continue;
      if (!pclnMagicAt(bytes, off)) continue;
      const sub = bytes.subarray(off);
      if (quickValidate(sub)) return { bytes: sub, addr: s.addr + off, section: s.name, how: 'search' };
    }
  }
  return null;
}
