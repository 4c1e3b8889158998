/**
 * Reads Go's pc-line table (runtime pcHeader + functab + _func records; Go's debug/gosym and
 * runtime/symtab.go describe it) into a function list. Four layouts, named by the release that introduced
 * them: 1.2 (magic 0xfffffffb, through 1.15), 1.16 (0xfffffffa), 1.18 (0xfffffff0) and 1.20 (0xfffffff1).
 *
 * The table is read once as a single slice; names come from one bulk decode of the name table when it is
 * ASCII (it nearly always is), so a 60,000-function binary decodes in tens of milliseconds.
 */
import { GokilnError, guard } from '../../errors.js';
import type { BinaryImage } from '../binary.js';
import { Reader, decodeUtf8 } from '../source.js';
import { locatePclntab, type PclntabLocation } from './pclntab-locate.js';
import { resolveTextStart } from './moduledata.js';
import type { GoFunc, GoPclntab, PclntabVersion } from './types.js';

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

function corrupt(msg: string): GokilnError {
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
      return { ...base, nfunc: word(0), nfiles: word(1), textStart: word(2), funcnameOffset: word(3), cuOffset: word(4), filetabOffset: word(5), pctabOffset: word(6), pclnOffset: word(7) };
    case '1.16':
      return { ...base, nfunc: word(0), nfiles: word(1), textStart: 0, funcnameOffset: word(2), cuOffset: word(3), filetabOffset: word(4), pctabOffset: word(5), pclnOffset: word(6) };
    case '1.2': {
      const nfunc = word(0);
      const ftab = 8 + p;
      // The functab is followed by a uint32 offset to the file table.
      const fileoff = rd.u32(ftab + (nfunc * 2 + 1) * p);
      return { ...base, nfunc, nfiles: fileoff + 4 <= b.length ? rd.u32(fileoff) : 0, textStart: 0, funcnameOffset: 0, cuOffset: 0, filetabOffset: fileoff, pctabOffset: 0, pclnOffset: ftab };
    }
  }
}

/** Byte size of a functab field, and of a _func record before its pcdata/funcdata arrays. */
function layoutSizes(h: PclnHeader): { field: number; funcHeader: number; nameOffAt: number; tablesAt: number; npcdataAt: number; nfuncdataAt: number } {
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
interface RawFuncs {
  /** Entry as stored: offset from textStart (1.18+) or absolute PC (older). */
  entries: Float64Array;
  funcOffs: Float64Array;
  /** The end of the last function, in the same unit as `entries`. */
  endPc: number;
}

function readFunctab(b: Uint8Array, h: PclnHeader, field: number): RawFuncs {
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
interface NameReader {
  (off: number): string | null;
  /** UTF-8 byte length of the last name returned. */
  lastBytes: number;
}

/** A name table lookup: one bulk decode when the bytes are ASCII, per-name UTF-8 decoding otherwise. */
function nameReader(b: Uint8Array, from: number, to: number): NameReader {
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

/** Length of an encoded pc-value table at `off` (value-delta/pc-delta varint pairs up to a 0 value delta). */
function pcTableLength(b: Uint8Array, off: number): number {
  let i = off;
  let first = true;
  const lim = b.length;
  for (;;) {
    // value delta (zig-zag varint); 0 after the first pair ends the table
    let v = 0;
    let shift = 0;
    let c: number;
    do {
      if (i >= lim) return i - off;
      c = b[i++] as number;
      v |= (c & 0x7f) << shift;
      shift += 7;
    } while (c & 0x80 && shift < 35);
    if (v === 0 && !first) return i - off;
    first = false;
    do {
      if (i >= lim) return i - off;
      c = b[i++] as number;
    } while (c & 0x80);
  }
}

/** Reads and validates a pclntab given as one byte slice mapped at `addr`. */
export function decodePclntab(b: Uint8Array, addr: number, section: string, img: BinaryImage | null): GoPclntab {
  return guard('Go pclntab', () => decode(b, addr, section, img, false));
}

/**
 * `bounded` says whether `b` ends where the table ends (a dedicated section, or the runtime.pclntab…
 * epclntab symbols). When it was found by searching, `b` runs on to the end of the enclosing section, and
 * the size reported is the extent actually used by the header, tables and function records.
 */
function decode(b: Uint8Array, addr: number, section: string, img: BinaryImage | null, bounded = true): GoPclntab {
  const h = parsePclnHeader(b);
  const rd = new Reader(b, h.little);
  const L = layoutSizes(h);
  if (h.version !== '1.2') {
    const offs = [h.funcnameOffset, h.cuOffset, h.filetabOffset, h.pctabOffset, h.pclnOffset];
    for (let i = 0; i < offs.length; i++) {
      const o = offs[i] as number;
      if (o < 8 || o > b.length || (i > 0 && o < (offs[i - 1] as number))) throw corrupt('header table offsets out of order or out of range');
    }
  }
  const raw = readFunctab(b, h, L.field);
  const n = h.nfunc;
  const funcBase = h.version === '1.2' ? 0 : h.pclnOffset;
  const nameBase = h.version === '1.2' ? 0 : h.funcnameOffset;
  const nameEnd = h.version === '1.2' ? b.length : h.cuOffset;
  const nameOf = nameReader(b, nameBase, nameEnd);
  const pcBase = h.version === '1.2' ? 0 : h.pctabOffset;

  const relative = h.version === '1.18' || h.version === '1.20';
  let textStart = relative ? h.textStart : 0;
  if (relative && textStart === 0 && img) textStart = resolveTextStart(img, addr);

  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = h.little;
  const funcs: GoFunc[] = new Array(n);
  // The linker writes pctab in function order and deduplicates identical tables by pointing later
  // functions back at the earlier copy, so a reference past every earlier one is a new table, owned by
  // the function that first uses it; its size is the distance to the next new table. Shared tables cost
  // nothing to later users. (The 1.2 layout interleaves tables and records: decode each table instead.)
  const tables = new TableOwners(h.version === '1.2');
  let extent = h.pclnOffset + (2 * n + 1) * L.field;
  for (let i = 0; i < n; i++) {
    const fo = funcBase + (raw.funcOffs[i] as number);
    if (fo + L.funcHeader > b.length) throw corrupt(`function ${i} record is past the table end`);
    const nameOff = dv.getInt32(fo + L.nameOffAt, le);
    const name = nameOf(nameOff);
    if (name === null) throw corrupt(`function ${i} name offset ${nameOff} is out of range`);
    const npcdata = dv.getUint32(fo + L.npcdataAt, le);
    const nfuncdata = b[fo + L.nfuncdataAt] as number;
    if (npcdata > 1024) throw corrupt(`function ${name} has ${npcdata} pcdata tables`);
    let recordSize = L.funcHeader + 4 * npcdata;
    if (fo + recordSize > b.length) throw corrupt(`function ${name} pcdata runs past the table end`);
    if (h.version === '1.2' || h.version === '1.16') {
      if (recordSize % h.ptrSize) recordSize += h.ptrSize - (recordSize % h.ptrSize);
      recordSize += h.ptrSize * nfuncdata;
    } else {
      recordSize += 4 * nfuncdata;
    }
    if (fo + recordSize > extent) extent = fo + recordSize;
    const next = i + 1 < n ? (raw.entries[i + 1] as number) : raw.endPc;
    funcs[i] = { name, entry: (raw.entries[i] as number) + textStart, end: next + textStart, tableBytes: recordSize + 2 * L.field + nameOf.lastBytes + 1 };
    for (let k = 0; k < 3; k++) tables.add(dv.getUint32(fo + L.tablesAt + 4 * k, le), i);
    for (let k = 0; k < npcdata; k++) tables.add(dv.getUint32(fo + L.funcHeader + 4 * k, le), i);
  }
    // Before 1.18 entries are absolute; the first function starts at runtime.text.
  if (!relative && n > 0) textStart = raw.entries[0] as number;
  tables.attribute(b, pcBase, h.pclnOffset, funcs);

  return {
    version: h.version,
    magic: h.magic,
    ptrSize: h.ptrSize,
    section,
    addr,
    size: bounded ? b.length : Math.min(b.length, extent),
    textStart,
    funcs,
    files: readFiles(b, rd, h),
  };
}

/** First users of pc tables, and the byte size each table adds to its first user. */
class TableOwners {
  private readonly starts: number[] = [];
  private readonly owners: number[] = [];
  private maxSeen = 0;
  private readonly seen: Set<number> | null;
  constructor(interleaved: boolean) {
    this.seen = interleaved ? new Set() : null;
  }
  add(off: number, owner: number): void {
    if (off === 0) return;
    if (this.seen) {
      if (this.seen.has(off)) return;
      this.seen.add(off);
    } else {
      if (off <= this.maxSeen) return;
      this.maxSeen = off;
    }
    this.starts.push(off);
    this.owners.push(owner);
  }
  attribute(b: Uint8Array, pcBase: number, pctabEnd: number, funcs: GoFunc[]): void {
    for (let k = 0; k < this.starts.length; k++) {
      const f = funcs[this.owners[k] as number];
      const start = pcBase + (this.starts[k] as number);
      if (!f || start >= b.length) continue;
      if (this.seen) {
        f.tableBytes += pcTableLength(b, start);
      } else {
        const next = this.starts[k + 1];
        const end = next === undefined ? pctabEnd : pcBase + next;
        if (end > start && end <= pctabEnd) f.tableBytes += end - start;
      }
    }
  }
}

function readFiles(b: Uint8Array, rd: Reader, h: PclnHeader): string[] {
  const files: string[] = [];
  try {
    if (h.version === '1.2') {
      const base = h.filetabOffset;
      for (let i = 1; i < h.nfiles && i < 1_000_000; i++) {
        const off = rd.u32(base + 4 * i);
        files.push(rd.cstring(off));
      }
      return files;
    }
    const region = b.subarray(h.filetabOffset, h.pctabOffset);
    let pos = 0;
    while (pos < region.length && files.length < h.nfiles) {
      const end = region.indexOf(0, pos);
      if (end < 0) break;
      if (end > pos) files.push(decodeUtf8(region.subarray(pos, end)));
      pos = end + 1;
    }
  } catch (e) {
    if (!(e instanceof GokilnError)) throw e;
    // The file table is optional information; a damaged one leaves the function list intact.
  }
  return files;
}

/**
 * The pclntab of a Go binary, or null when none can be found. E_CORRUPT when a dedicated pclntab section
 * exists but does not decode.
 */
export function readPclntab(img: BinaryImage): GoPclntab | null {
  return guard('Go pclntab', () => {
    const loc: PclntabLocation | null = locatePclntab(img);
    if (!loc) return null;
    return decode(loc.bytes, loc.addr, loc.section, img, loc.how !== 'search');
  });
}

export type { PclntabLocation };
/** Exposed for the locator's validation of header candidates. */
export function quickValidate(b: Uint8Array): boolean {
  try {
    decodeHeaderAndTable(b);
    return true;
  } catch {
    return false;
  }
}

function decodeHeaderAndTable(b: Uint8Array): void {
  const h = parsePclnHeader(b);
  if (h.version !== '1.2') {
    const offs = [h.funcnameOffset, h.cuOffset, h.filetabOffset, h.pctabOffset, h.pclnOffset];
    for (let i = 0; i < offs.length; i++) {
      const o = offs[i] as number;
      if (o < 8 || o > b.length || (i > 0 && o < (offs[i - 1] as number))) throw corrupt('offsets');
    }
  }
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
