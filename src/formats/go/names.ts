/**
 * Go function names without decoding the whole pclntab. Since Go 1.16 every function name (and every
 * inlined function's name) sits in one NUL-separated blob, the funcnametab, whose place the pcHeader
 * gives; reading only that blob is what lets `inspect` answer "is time.LoadLocation linked?" and "which
 * packages are in here?" for a 46 MB binary in a few milliseconds and a few MB of memory, where the full
 * function table costs 20 MB and a hundred milliseconds. Name lookups are byte searches on the blob.
 */
import { Buffer } from 'node:buffer';
import { readVirtual, type BinaryImage } from '../binary.js';
import { corrupt, layoutSizes, parsePclnHeader, pclnMagicAt, readFunctab } from './pclntab-header.js';
import { NAMED_PCLNTAB_SECTIONS, locatePclntab, pclntabBySymbols } from './pclntab-locate.js';
import { packageNamer } from './symbols.js';
import type { GoPclntab, PclntabVersion } from './types.js';

/** Answers name questions about a Go binary's functions. */
export interface GoNameQuery {
  /** Number of functions in the function table (inlined-only names are not counted). */
  readonly count: number;
  has(name: string): boolean;
  hasPrefix(prefix: string): boolean;
  /** Packages with at least one function or inlined call, sorted. */
  packages(): string[];
  /**
   * Which of these whole names and name prefixes occur, in one pass over the table: asking many
   * questions one by one costs a scan of the whole table for every name that is absent.
   */
  present(q: NameQuestions): { names: Set<string>; prefixes: Set<string> };
}

export interface NameQuestions {
  names?: readonly string[];
  prefixes?: readonly string[];
}

export interface GoNameTable extends GoNameQuery {
  version: PclntabVersion;
  magic: number;
  section: string;
}

/**
 * The funcnametab, found through the pclntab header: in the table's own section (ELF and Mach-O since
 * 1.16), or where the locator's search or the runtime.pclntab symbol puts it (PE, section-less files).
 * The 1.2 layout (Go 1.2–1.15) has no such blob: each name sits beside its function's record, so the
 * names are gathered by their offsets (still without decoding a single pc table). Null when the binary
 * has no pclntab.
 */
export function readGoNameTable(img: BinaryImage): GoNameTable | null {
  const s = img.sections.find((x) => NAMED_PCLNTAB_SECTIONS.includes(x.name) && x.fileSize > 0);
  if (s) {
    // magic, pads, quantum, pointer size, then at most eight pointer-sized words
    const head = img.source.read(s.offset, Math.min(s.fileSize, 8 + 8 * 8));
    if (pclnMagicAt(head, 0)?.version === '1.2') return gatheredNames(img.source.read(s.offset, s.fileSize), s.name);
    return nameTableAt(head, s.fileSize, s.name, (off, len) => img.source.read(s.offset + off, len));
  }
  const bySymbols = pclntabBySymbols(img);
  if (bySymbols) {
    // the header and then the name blob alone, not the whole table the symbols span
    const { addr, size, section } = bySymbols;
    const read = (off: number, len: number): Uint8Array => {
      const b = readVirtual(img, addr + off, len);
      if (!b) throw corrupt(`pclntab bytes ${off}..${off + len} are not in the file`);
      return b;
    };
    const head = read(0, Math.min(size, 8 + 8 * 8));
    if (pclnMagicAt(head, 0)?.version === '1.2') return gatheredNames(read(0, size), section);
    return nameTableAt(head, size, section, read);
  }
  const loc = locatePclntab(img);
  if (!loc) return null;
  if (pclnMagicAt(loc.bytes, 0)?.version === '1.2') return gatheredNames(loc.bytes, loc.section);
  return nameTableAt(loc.bytes, loc.bytes.length, loc.section, (off, len) => loc.bytes.subarray(off, off + len));
}

function nameTableAt(head: Uint8Array, limit: number, section: string, read: (off: number, len: number) => Uint8Array): GoNameTable {
  // a dedicated section without a pcHeader is a corrupt table (E_CORRUPT), not a binary without one
  const h = parsePclnHeader(head);
  if (h.funcnameOffset < 8 || h.funcnameOffset > h.cuOffset || h.cuOffset > limit || h.nfunc > limit) {
    throw corrupt(`function name table ${h.funcnameOffset}..${h.cuOffset} lies outside the ${limit}-byte table`);
  }
  const blob = read(h.funcnameOffset, h.cuOffset - h.funcnameOffset);
  return { ...bind(new BlobNames(blob, h.nfunc)), version: h.version, magic: h.magic, section };
}

/** The 1.2 layout's names, copied out of the whole table `b` into one NUL-separated blob. */
function gatheredNames(b: Uint8Array, section: string): GoNameTable {
  const h = parsePclnHeader(b);
  const L = layoutSizes(h);
  const raw = readFunctab(b, h, L.field);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < h.nfunc; i++) {
    const fo = raw.funcOffs[i]!;
    if (fo + L.funcHeader > b.length) throw corrupt(`function ${i} record is past the table end`);
    const off = dv.getInt32(fo + L.nameOffAt, h.little);
    const end = off >= 0 && off < b.length ? b.indexOf(0, off) : -1;
    if (end < 0) throw corrupt(`function ${i} name offset ${off} is out of range`);
    parts.push(b.subarray(off, end + 1));
    total += end + 1 - off;
  }
  return { ...bind(new BlobNames(Buffer.concat(parts, total), h.nfunc)), version: h.version, magic: h.magic, section };
}

function bind(q: BlobNames): GoNameQuery {
  return {
    count: q.count,
    has: (n) => q.has(n),
    hasPrefix: (p) => q.hasPrefix(p),
    packages: () => q.packages(),
    present: (x) => q.present(x),
  };
}

/** Names from a fully decoded pclntab (the 1.2 layout, which has no separate name table). */
export function namesFromPclntab(p: GoPclntab): GoNameQuery {
  return namesFromList(p.funcs.map((f) => f.name));
}

/** Names from any list (tests, or tools' output). */
export function namesFromList(names: Iterable<string>): GoNameQuery {
  const list = [...names];
  return bind(new BlobNames(Buffer.from(list.map((n) => `${n}\0`).join(''), 'utf8'), list.length));
}

class BlobNames {
  private readonly buf: Buffer;
  constructor(
    blob: Uint8Array,
    readonly count: number,
  ) {
    this.buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  }

  has(name: string): boolean {
    return name.length > 0 && this.atNameStart(Buffer.from(`${name}\0`, 'utf8'));
  }

  hasPrefix(prefix: string): boolean {
    return prefix.length === 0 ? this.buf.length > 0 : this.atNameStart(Buffer.from(prefix, 'utf8'));
  }

  /**
   * Whether a name starts with `needle`: at offset 0, or right after a NUL. Searching for NUL+needle
   * keeps one native search per question; a search for the bare needle stops at every occurrence
   * inside longer names (`bufplugin.` for `plugin.`).
   */
  private atNameStart(needle: Buffer): boolean {
    const b = this.buf;
    if (b.length >= needle.length && b.compare(needle, 0, needle.length, 0, needle.length) === 0) return true;
    // every name, the last one too, ends in NUL (the linker writes them so; the builders below do too)
    return b.indexOf(Buffer.concat([NUL, needle])) >= 0;
  }

  /**
   * Many questions at once, each one native search (has(), hasPrefix()). A dozen searches over the table
   * cost less than one JavaScript pass over every name, above all in a short run, where such a loop hardly
   * leaves V8's interpreter: Node 26, first call, thread CPU time: 6,180 names (a small service)
   * 3.6 -> 1.6 ms; go's own compile (20,265 names) 5.3 -> 3.3 ms (medians of 7).
   */
  present(q: NameQuestions): { names: Set<string>; prefixes: Set<string> } {
    return {
      names: new Set((q.names ?? []).filter((n) => this.has(n))),
      prefixes: new Set((q.prefixes ?? []).filter((p) => this.hasPrefix(p))),
    };
  }

  packages(): string[] {
    const set = new Set<string>();
    // latin1 is enough: a name's package part is ASCII (the linker %-escapes path bytes >= 0x7f)
    const text = this.buf.toString('latin1');
    // names come grouped by package: the namer parses only those that do not continue the last package
    const namer = packageNamer();
    for (let start = 0; start < text.length;) {
      let end = text.indexOf('\0', start);
      if (end < 0) end = text.length;
      if (end > start) set.add(namer(text.slice(start, end)));
      start = end + 1;
    }
    return [...set].sort();
  }
}

const NUL = Buffer.from([0]);
