/**
 * The fixed parts of Go's pc-line table: the pcHeader (magic, quantum, pointer size, table offsets),
 * the function table (entry/_func offset pairs) and the function name table, for the four layouts
 * 1.2 (magic 0xfffffffb), 1.16 (0xfffffffa), 1.18 (0xfffffff0) and 1.20 (0xfffffff1).
 */
import { GokilnError } from '../../errors.js';
import { Reader, decodeUtf8 } from '../source.js';
import type { PclntabVersion } from './types.js';

export const PCLNTAB_MAGICS: Readonly<Record<number, PclntabVersion>> = {
  0xfffffffb: '1.2',
  0xfffffffa: '1.16',
  0xfffffff0: '1.18',
  0xfffffff1: '1.20',
};

/** Header fields common to every layout, after the magic is recognised. */
export interface PclnHeader {
  version: PclntabVersion;
  magic: number;
  little: boolean;
  quantum: number;
  ptrSize: number;
  nfunc: number;
  nfiles: number;
  /** From the header (1.18+); 0 in Go 1.26+ where the linker no longer stores it. */
  textStart: number;
  /** Offsets from the table start; for 1.2 all tables live at offset 0 (names, pc tables, funcs). */
  funcnameOffset: number;
  cuOffset: number;
  filetabOffset: number;
  pctabOffset: number;
  pclnOffset: number;
}

export function corrupt(msg: string): GokilnError {
  return new GokilnError('E_CORRUPT', `Go pclntab: ${msg}`);
}

/** Recognises the 8-byte pcHeader prefix at `off` (magic, two zero pads, quantum, pointer size). */
export function pclnMagicAt(b: Uint8Array, off: number): { version: PclntabVersion; magic: number; little: boolean } | null {
  if (off + 8 > b.length || b[off + 4] !== 0 || b[off + 5] !== 0) return null;
  const q = b[off + 6];
  const p = b[off + 7];
  if ((q !== 1 && q !== 2 && q !== 4) || (p !== 4 && p !== 8)) return null;
  const b0 = b[off] as number;
  const b3 = b[off + 3] as number;
  let magic: number;
  let little: boolean;
  if (b[off + 1] === 0xff && b[off + 2] === 0xff && b3 === 0xff) {
    magic = (0xffffff00 | b0) >>> 0;
    little = true;
  } else if (b0 === 0xff && b[off + 1] === 0xff && b[off + 2] === 0xff) {
    magic = (0xffffff00 | b3) >>> 0;
    little = false;
  } else {
    return null;
  }
  const version = PCLNTAB_MAGICS[magic];
  return version ? { version, magic, little } : null;
}

/** Decodes the header at the start of `b` (the table); throws E_CORRUPT when it is not a pcHeader. */
export function parsePclnHeader(b: Uint8Array): PclnHeader {
  const m = pclnMagicAt(b, 0);
  if (!m) throw corrupt('no pcHeader magic');
  const rd = new Reader(b, m.little);
  const p = b[7] as number;
  const word = (i: number): number => rd.uptr(8 + i * p, p);
  const base = { version: m.version, magic: m.magic, little: m.little, quantum: b[6] as number, ptrSize: p };
  switch (m.version) {
    case '1.18':
    case '1.20':
      return {
        ...base,
        nfunc: word(0),
        nfiles: word(1),
        textStart: word(2),
        funcnameOffset: word(3),
        cuOffset: word(4),
        filetabOffset: word(5),
        pctabOffset: word(6),
        pclnOffset: word(7),
      };
    case '1.16':
      return {
        ...base,
        nfunc: word(0),
        nfiles: word(1),
        textStart: 0,
        funcnameOffset: word(2),
        cuOffset: word(3),
        filetabOffset: word(4),
        pctabOffset: word(5),
        pclnOffset: word(6),
      };
    case '1.2': {
      const nfunc = word(0);
      const ftab = 8 + p;
      // The functab is followed by a uint32 offset to the file table.
      const fileoff = rd.u32(ftab + (nfunc * 2 + 1) * p);
      return {
        ...base,
        nfunc,
        nfiles: fileoff + 4 <= b.length ? rd.u32(fileoff) : 0,
        textStart: 0,
        funcnameOffset: 0,
        cuOffset: 0,
        filetabOffset: fileoff,
        pctabOffset: 0,
        pclnOffset: ftab,
      };
    }
  }
}

/** Byte size of a functab field, and of a _func record before its pcdata/funcdata arrays. */
export function layoutSizes(h: PclnHeader): {
  field: number;
  funcHeader: number;
  nameOffAt: number;
  tablesAt: number;
  npcdataAt: number;
  nfuncdataAt: number;
} {
  const p = h.ptrSize;
  switch (h.version) {
    case '1.20':
      return { field: 4, funcHeader: 44, nameOffAt: 4, tablesAt: 16, npcdataAt: 28, nfuncdataAt: 43 };
    case '1.18':
      return { field: 4, funcHeader: 40, nameOffAt: 4, tablesAt: 16, npcdataAt: 28, nfuncdataAt: 39 };
    case '1.16':
      return { field: p, funcHeader: p + 36, nameOffAt: p, tablesAt: p + 12, npcdataAt: p + 24, nfuncdataAt: p + 35 };
    case '1.2':
      return { field: p, funcHeader: p + 32, nameOffAt: p, tablesAt: p + 12, npcdataAt: p + 24, nfuncdataAt: p + 31 };
  }
}

/** Decoded function table, before names and text-start are applied. */
export interface RawFuncs {
  /** Entry as stored: offset from textStart (1.18+) or absolute PC (older). */
  entries: Float64Array;
  funcOffs: Float64Array;
  /** The end of the last function, in the same unit as `entries`. */
  endPc: number;
}

export function readFunctab(b: Uint8Array, h: PclnHeader, field: number): RawFuncs {
  const n = h.nfunc;
  const start = h.pclnOffset;
  if (n <= 0 || n > b.length / (2 * field)) throw corrupt(`implausible function count ${n}`);
  const need = start + (2 * n + 1) * field;
  if (need > b.length) throw corrupt(`function table (${n} entries) runs past the table end`);
  // Bounds are checked once above, so the loop reads the DataView directly.
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = h.little;
  const get =
    field === 4
      ? (o: number): number => dv.getUint32(o, le)
      : (o: number): number => {
          const lo = dv.getUint32(le ? o : o + 4, le);
          const hi = dv.getUint32(le ? o + 4 : o, le);
          if (hi >= 0x200000) throw corrupt(`64-bit value at ${o} is out of range`);
          return hi * 0x100000000 + lo;
        };
  const entries = new Float64Array(n);
  const funcOffs = new Float64Array(n);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const o = start + 2 * i * field;
    const e = get(o);
    if (e < prev) throw corrupt(`function table is not sorted at entry ${i}`);
    prev = e;
    entries[i] = e;
    funcOffs[i] = get(o + field);
  }
  const endPc = get(start + 2 * n * field);
  if (endPc < prev) throw corrupt('function table end precedes its last entry');
  return { entries, funcOffs, endPc };
}

/** Name lookup returning the name and its byte length (for size attribution). */
export interface NameReader {
  (off: number): string | null;
  /** UTF-8 byte length of the last name returned. */
  lastBytes: number;
}

/** A name table lookup: one bulk decode when the bytes are ASCII, per-name UTF-8 decoding otherwise. */
export function nameReader(b: Uint8Array, from: number, to: number): NameReader {
  const region = b.subarray(from, Math.min(to, b.length));
  let ascii = true;
  for (let i = 0; i < region.length; i++) {
    if ((region[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  let read: NameReader;
  if (ascii) {
    const text = new TextDecoder('latin1').decode(region);
    read = ((off: number) => {
      if (off < 0 || off >= text.length) return null;
      const end = text.indexOf('\0', off);
      if (end < 0) return null;
      read.lastBytes = end - off;
      return text.slice(off, end);
    }) as NameReader;
  } else {
    read = ((off: number) => {
      if (off < 0 || off >= region.length) return null;
      const end = region.indexOf(0, off);
      if (end < 0) return null;
      read.lastBytes = end - off;
      return decodeUtf8(region.subarray(off, end));
    }) as NameReader;
  }
  read.lastBytes = 0;
  return read;
}

/** Whether `b` starts with a pcHeader whose function table and first/last names decode (for the locator). */
export function quickValidate(b: Uint8Array): boolean {
  try {
    decodeHeaderAndTable(b);
    return true;
  } catch {
    return false;
  }
}

/** The 1.16+ header's table offsets must lie inside the table, in the order the linker writes them. */
export function checkTableOffsets(h: PclnHeader, length: number): void {
  if (h.version === '1.2') return;
  const offs = [h.funcnameOffset, h.cuOffset, h.filetabOffset, h.pctabOffset, h.pclnOffset];
  for (let i = 0; i < offs.length; i++) {
    const o = offs[i] as number;
    if (o < 8 || o > length || (i > 0 && o < (offs[i - 1] as number))) throw corrupt('header table offsets out of order or out of range');
  }
}

function decodeHeaderAndTable(b: Uint8Array): void {
  const h = parsePclnHeader(b);
  checkTableOffsets(h, b.length);
  const rd = new Reader(b, h.little);
  const L = layoutSizes(h);
  const raw = readFunctab(b, h, L.field);
  const nameOf = nameReader(b, h.version === '1.2' ? 0 : h.funcnameOffset, h.version === '1.2' ? b.length : h.cuOffset);
  const funcBase = h.version === '1.2' ? 0 : h.pclnOffset;
  // A few names at both ends are enough to tell a real table from a lookalike.
  const probe = [0, 1, 2, h.nfunc - 2, h.nfunc - 1].filter((i) => i >= 0 && i < h.nfunc);
  for (const i of probe) {
    const fo = funcBase + (raw.funcOffs[i] as number);
    const name = nameOf(rd.i32(fo + L.nameOffAt));
    if (name === null || name.length === 0 || !/^[\x21-\x7e]/.test(name)) throw corrupt('name');
  }
}
