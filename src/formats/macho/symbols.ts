import { GokilnError } from '../../errors.js';
import type { Section, SymbolEntry } from '../binary.js';
import { Reader, type ByteSource } from '../source.js';
import { N_ABS, N_SECT, N_STAB, N_TYPE, N_UNDF } from './constants.js';
import type { SymtabCommand } from './load-commands.js';

/** Checks that the nlist array and string table lie inside the file, before anything reads them. */
export function checkSymtab(src: ByteSource, st: SymtabCommand, is64: boolean): void {
  const entSize = is64 ? 16 : 12;
  if (st.symoff + st.nsyms * entSize > src.size) {
    throw new GokilnError(
      'E_TRUNCATED',
      `symbol table (${st.nsyms} entries at ${st.symoff}) runs past the end of the ${src.size}-byte file`,
      { offset: st.symoff },
    );
  }
  if (st.stroff + st.strsize > src.size) {
    throw new GokilnError(
      'E_TRUNCATED',
      `string table (${st.strsize} bytes at ${st.stroff}) runs past the end of the ${src.size}-byte file`,
      { offset: st.stroff },
    );
  }
}

/**
 * Whether LC_SYMTAB holds any defined, non-debug symbol. A stripped Go binary keeps LC_SYMTAB for its
 * dynamic imports (undefined) only. Stops at the first hit, so it rarely reads more than a few entries.
 */
export function hasDefinedSymbols(src: ByteSource, st: SymtabCommand, is64: boolean, le: boolean): boolean {
  const entSize = is64 ? 16 : 12;
  const CHUNK = 4096;
  for (let first = 0; first < st.nsyms; first += CHUNK) {
    const n = Math.min(CHUNK, st.nsyms - first);
    const r = new Reader(src.read(st.symoff + first * entSize, n * entSize), le);
    for (let i = 0; i < n; i++) {
      const type = r.u8(i * entSize + 4);
      if ((type & N_STAB) === 0 && (type & N_TYPE) !== N_UNDF) return true;
    }
  }
  return false;
}

/**
 * nlist(_64) entries minus N_STAB debug records, with the C-ABI leading underscore dropped: n_strx u32, n_type u8, n_sect u8, n_desc u16,
 * n_value u32/u64. Mach-O records no symbol sizes; a defined symbol's size is the gap to the next
 * symbol in its section (or to the section end), which is how size attribution needs it.
 */
export function readMachoSymbols(
  src: ByteSource,
  st: SymtabCommand,
  sections: Section[],
  kinds: SymbolEntry['kind'][],
  is64: boolean,
  le: boolean,
): SymbolEntry[] {
  checkSymtab(src, st, is64);
  const entSize = is64 ? 16 : 12;
  const r = new Reader(src.read(st.symoff, st.nsyms * entSize), le);
  const strs = new Reader(src.read(st.stroff, st.strsize), le);
  const out: SymbolEntry[] = [];
  for (let i = 0; i < st.nsyms; i++) {
    const o = i * entSize;
    const type = r.u8(o + 4);
    if (type & N_STAB) continue;
    const strx = r.u32(o);
    const sect = r.u8(o + 5);
    const value = is64 ? r.u64(o + 8) : r.u32(o + 8);
    const raw = strx > 0 && strx < strs.length ? strs.cstring(strx, strs.length - strx) : '';
    // the Mach-O C ABI prefixes every symbol with '_'; drop it so names match ELF and Go's own
    const name = raw.startsWith('_') ? raw.slice(1) : raw;
    const t = type & N_TYPE;
    if (t === N_SECT) {
      const index = sect - 1; // n_sect counts sections from 1 across all segments
      const s = sections[index];
      out.push({ name, addr: value, size: 0, kind: kinds[index] ?? 'other', section: s ? index : -1 });
    } else if (t === N_UNDF) {
      out.push({ name, addr: value, size: 0, kind: 'undef', section: -1 });
    } else {
      out.push({ name, addr: t === N_ABS ? value : 0, size: 0, kind: 'other', section: -1 });
    }
  }
  fillSizes(out, sections);
  return out;
}

/** Size of each section symbol = distance to the next higher address in the same section. */
export function fillSizes(syms: SymbolEntry[], sections: Section[]): void {
  const bySection = new Map<number, SymbolEntry[]>();
  for (const s of syms) {
    if (s.section < 0) continue;
    let list = bySection.get(s.section);
    if (!list) bySection.set(s.section, (list = []));
    list.push(s);
  }
  for (const [index, list] of bySection) {
    const sec = sections[index];
    if (!sec) continue;
    list.sort((a, b) => a.addr - b.addr);
    // walk down from the highest address so symbols sharing an address all get the same size
    let nextAbove = sec.addr + sec.size;
    for (let i = list.length - 1; i >= 0; i--) {
      const cur = list[i]!;
      const after = list[i + 1];
      if (after && after.addr > cur.addr) nextAbove = after.addr;
      cur.size = Math.max(0, nextAbove - cur.addr);
    }
  }
}
