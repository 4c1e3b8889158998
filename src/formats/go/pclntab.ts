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
import {
  checkTableOffsets,
  corrupt,
  layoutSizes,
  nameReader,
  parsePclnHeader,
  readFunctab,
  type NameReader,
  type PclnHeader,
} from './pclntab-header.js';
import { locatePclntab, type PclntabLocation } from './pclntab-locate.js';
import { resolveTextStart } from './moduledata.js';
import type { GoFunc, GoPclntab } from './types.js';

export { PCLNTAB_MAGICS, pclnMagicAt, parsePclnHeader, type PclnHeader } from './pclntab-header.js';
export { searchPclntab, type PclntabLocation } from './pclntab-locate.js';

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

/**
 * Reads and validates a pclntab given as one byte slice mapped at `addr`. `bounded`: the slice ends where
 * the table does (a whole section); false when it runs on past the table (found inside other data).
 */
export function decodePclntab(b: Uint8Array, addr: number, section: string, img: BinaryImage | null, bounded = true): GoPclntab {
  return guard('Go pclntab', () => decode(b, addr, section, img, bounded));
}

/**
 * `bounded` says whether `b` ends where the table ends (a dedicated section, or the runtime.pclntab…
 * epclntab symbols). When it was found by searching, `b` runs on to the end of the enclosing section, and
 * the size reported is the extent actually used by the header, tables and function records (and, Go
 * 1.26+, the funcdata blobs after them but the last).
 */
function decode(b: Uint8Array, addr: number, section: string, img: BinaryImage | null, bounded = true): GoPclntab {
  const h = parsePclnHeader(b);
  const rd = new Reader(b, h.little);
  const L = layoutSizes(h);
  checkTableOffsets(h, b.length);
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
  // Each pc table counts once, for the first function using it; shared tables cost later users nothing.
  // (The 1.2 layout interleaves tables and records, so there each table is decoded to find its length.)
  const tables = new TableOwners(h.version === '1.2');
  const ownNames = new Set<number>();
  // funcdata (stack maps, inline trees…) is addressed by u32 offsets from go:func.* since 1.18
  const funcdata = h.version === '1.18' || h.version === '1.20' ? new FuncdataOwners() : null;
  let extent = h.pclnOffset + (2 * n + 1) * L.field;
  for (let i = 0; i < n; i++) {
    const fo = funcBase + (raw.funcOffs[i] as number);
    if (fo + L.funcHeader > b.length) throw corrupt(`function ${i} record is past the table end`);
    const nameOff = dv.getInt32(fo + L.nameOffAt, le);
    const name = nameOf(nameOff);
    ownNames.add(nameOff);
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
    funcs[i] = {
      name,
      entry: (raw.entries[i] as number) + textStart,
      end: next + textStart,
      tableBytes: recordSize + 2 * L.field + nameOf.lastBytes + 1,
    };
    for (let k = 0; k < 3; k++) tables.add(dv.getUint32(fo + L.tablesAt + 4 * k, le), i);
    for (let k = 0; k < npcdata; k++) tables.add(dv.getUint32(fo + L.funcHeader + 4 * k, le), i);
    if (funcdata) for (let k = 0; k < nfuncdata; k++) funcdata.add(dv.getUint32(fo + L.funcHeader + 4 * (npcdata + k), le), i);
  }
  // Before 1.18 entries are absolute; the first function starts at runtime.text.
  if (!relative && n > 0) textStart = raw.entries[0] as number;
  tables.attribute(b, pcBase, h.pclnOffset, funcs);
  // A table whose end is known (a section, or the runtime.pclntab…epclntab symbols) shows whether it holds
  // the funcdata. One found by searching (stripped PE) runs on into whatever data follows it: there the
  // Go 1.26+ header, whose textStart is always 0, says the funcdata follows the records.
  const go126 = relative && h.textStart === 0;
  const inTable = funcdata && (bounded || go126) ? funcdata.attributeInTable(extent, b.length, funcs) : null;

  return {
    version: h.version,
    magic: h.magic,
    ptrSize: h.ptrSize,
    section,
    addr,
    size: bounded ? b.length : Math.min(b.length, inTable ? inTable.offset + inTable.size : extent),
    textStart,
    funcs,
    files: readFiles(b, rd, h),
    funcdata: inTable,
    inlinedNames: h.version === '1.2' ? [] : inlinedOnly(b, nameBase, nameEnd, ownNames, nameOf),
  };
}

/**
 * The entries of the function-name table that no function record points at: the names inline trees use
 * for tracebacks, of functions that exist only inlined (and, for a few, a second copy of a function's own
 * name). Each comes with its NUL; empty entries are left out.
 */
function inlinedOnly(b: Uint8Array, from: number, to: number, own: Set<number>, nameOf: NameReader): Array<{ name: string; size: number }> {
  const out: Array<{ name: string; size: number }> = [];
  const region = b.subarray(from, to);
  for (let off = 0; off < region.length;) {
    let end = region.indexOf(0, off);
    if (end < 0) end = region.length;
    if (end > off && !own.has(off)) {
      const name = nameOf(off);
      if (name !== null) out.push({ name, size: end - off + 1 });
    }
    off = end + 1;
  }
  return out;
}

/**
 * Go 1.26 moved go:func.* — every function's funcdata blobs, addressed by offsets from its start — into the
 * pclntab, right after the function records (at the symbol's alignment: 4 to 12 bytes later in the
 * fixtures). Blobs are shared between functions (the linker merges identical stack maps); each counts
 * once, for the first function in table order that uses it, with the distance to the next blob as its
 * size, so where exactly the region begins does not change any size. The last blob's end is not recorded
 * anywhere in the table, so it is left out, with findfunctab after it.
 */
class FuncdataOwners {
  private readonly owner = new Map<number, number>();
  private max = -1;
  add(off: number, fn: number): void {
    if (off === 0xffffffff) return; // no such funcdata for this function
    if (!this.owner.has(off)) this.owner.set(off, fn);
    if (off > this.max) this.max = off;
  }
  /** The funcdata region, when it lies inside the table (Go 1.26+), with each blob's size added to its owner. */
  attributeInTable(recordsEnd: number, tableSize: number, funcs: GoFunc[]): { offset: number; size: number } | null {
    if (this.max < 0 || recordsEnd + this.max >= tableSize) return null; // before 1.26 go:func.* sits in .rodata
    const offs = [...this.owner.keys()].sort((x, y) => x - y);
    for (let k = 0; k + 1 < offs.length; k++) {
      const f = funcs[this.owner.get(offs[k]!)!];
      if (f) f.tableBytes += offs[k + 1]! - offs[k]!;
    }
    return { offset: recordsEnd, size: this.max };
  }
}

/**
 * First users of pc tables, and the byte size each table adds to its first user. The linker writes the
 * new tables of each function after those of every earlier function (in its own order within one function)
 * and points later functions at an earlier copy when a table repeats; so a table past all earlier
 * functions' tables is new, and its size is the distance to the next table start.
 */
class TableOwners {
  private readonly starts: number[] = [];
  private readonly owners: number[] = [];
  /** Highest table offset of the functions before the current one, and of the current one so far. */
  private prevMax = 0;
  private curMax = 0;
  private readonly cur: number[] = [];
  private owner = -1;
  private readonly seen: Set<number> | null;
  constructor(interleaved: boolean) {
    this.seen = interleaved ? new Set() : null;
  }
  add(off: number, owner: number): void {
    if (off === 0) return;
    if (owner !== this.owner) this.flush(owner);
    if (this.seen) {
      if (this.seen.has(off)) return;
      this.seen.add(off);
      this.starts.push(off);
      this.owners.push(owner);
      return;
    }
    if (off <= this.prevMax) return;
    // keep the function's new tables sorted and unique (a handful per function: insertion is cheapest)
    const cur = this.cur;
    let i = cur.length;
    while (i > 0 && (cur[i - 1] as number) > off) i--;
    if (i > 0 && cur[i - 1] === off) return;
    cur.splice(i, 0, off);
    if (off > this.curMax) this.curMax = off;
  }
  private flush(next: number): void {
    for (const off of this.cur) {
      this.starts.push(off);
      this.owners.push(this.owner);
    }
    this.cur.length = 0;
    this.prevMax = Math.max(this.prevMax, this.curMax);
    this.owner = next;
  }
  attribute(b: Uint8Array, pcBase: number, pctabEnd: number, funcs: GoFunc[]): void {
    this.flush(-1);
    for (let k = 0; k < this.starts.length; k++) {
      const f = funcs[this.owners[k] as number];
      const start = pcBase + (this.starts[k] as number);
      if (!f || start >= b.length) continue;
      if (this.seen) {
        f.tableBytes += pcTableLength(b, start);
      } else {
        const next = this.starts[k + 1];
        // the last table is decoded: alignment padding may sit between it and the function table
        const end = next === undefined ? Math.min(pctabEnd, start + pcTableLength(b, start)) : pcBase + next;
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
  return readPclntabAndBytes(img)?.pcln ?? null;
}

/** readPclntab, and the table's bytes for a caller that reads more of them (the size analysis): read once. */
export function readPclntabAndBytes(img: BinaryImage): { pcln: GoPclntab; bytes: Uint8Array } | null {
  return guard('Go pclntab', () => {
    const loc: PclntabLocation | null = locatePclntab(img);
    if (!loc) return null;
    const pcln = decode(loc.bytes, loc.addr, loc.section, img, loc.how !== 'search');
    return { pcln, bytes: loc.bytes.subarray(0, pcln.size) };
  });
}
