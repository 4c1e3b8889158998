/**
 * Where every byte of one binary image goes. Pure: the image, the Go tables already read from it, and a
 * package-naming function in; a report out. Byte rules, in order of precedence:
 *   1. pclntab function ranges (entry → next entry) inside their section: the function's own length is
 *      its package's `text`, the fill up to the next entry its `padding`;
 *   2. the pclntab itself is reserved and handed out as each function's `tableBytes`, and the names stored
 *      for inlined calls to the package of the function each names;
 *   3. symbols with a size (when a symbol table exists), clipped to their section, each byte to the first
 *      symbol that starts at or before it and was not claimed by rule 1 or 2;
 *   4. everything else is `unattributed`, broken down by section (or "outside sections").
 * Each file byte is counted at most once, so sum(packages.size) + unattributed === fileSize.
 */
import type { BinaryImage, Section, SymbolEntry } from '../../formats/binary.js';
import type { GoBuildInfo, GoPclntab } from '../../formats/go/types.js';
import { GokilnError } from '../../errors.js';
import { claimTier, type Claim, type Coverage } from './intervals.js';
import { ModuleIndex, dataSymbolOwner, GROUP_CGO } from './modules.js';
import type { SizeDetail, SizeModule, SizeNote, SizePackage, SizeReport, SizeSection, SizeSymbol, UnattributedPart } from './types.js';

export interface AttributionInput {
  file: string;
  img: BinaryImage;
  pcln: GoPclntab | null;
  /** Per function (in pcln.funcs order) its own code length; null → entry→next entry is all text. */
  funcSizes: number[] | null;
  buildInfo: GoBuildInfo | null;
  goVersion: string | null;
  packageOf: (funcName: string) => string;
  notes: SizeNote[];
  /** Symbols kept per package for the treemap (0: none, which saves memory when no page is made). */
  symbolsPerPackage?: number;
}

const KIND_TEXT = 0;
const KIND_PADDING = 1;
const KIND_DATA = 2;
const RESERVED = -1;

interface Acc {
  text: number;
  padding: number;
  pclntab: number;
  data: number;
  functions: number;
  symbols: SizeSymbol[];
}

export const OUTSIDE_SECTIONS = '(outside sections: headers, padding, tables)';

export function attributeSize(input: AttributionInput): { report: SizeReport; detail: SizeDetail } {
  const { img, pcln } = input;
  const F = img.fileSize;
  const eff = effectiveRanges(img.sections, F);
  const keep = input.symbolsPerPackage ?? 40;

  const owners: string[] = [];
  const ownerIx = new Map<string, number>();
  const acc: Acc[] = [];
  const owner = (name: string): number => {
    let i = ownerIx.get(name);
    if (i === undefined) {
      i = owners.length;
      owners.push(name);
      ownerIx.set(name, i);
      acc.push({ text: 0, padding: 0, pclntab: 0, data: 0, functions: 0, symbols: [] });
    }
    return i;
  };

  const mapped = img.sections
    .map((s, i) => ({ s, i }))
    .filter(({ s, i }) => s.alloc && s.fileSize > 0 && eff[i]!.end > eff[i]!.start)
    .sort((a, b) => a.s.addr - b.s.addr);
  /**
   * File range of [addr, addr+len) clipped to the loaded section holding addr; null if none. The answer
   * is one object reused by every call (read it before the next): this runs for each of 10^5 functions.
   */
  const span = { start: 0, end: 0, sec: -1 };
  const toFile = (addr: number, len: number, hint = -1): { readonly start: number; readonly end: number; readonly sec: number } | null => {
    const sec = hint >= 0 && contains(img.sections[hint], eff[hint], addr) ? hint : findSection(mapped, eff, addr);
    if (sec < 0) return null;
    const s = img.sections[sec]!;
    const e = eff[sec]!;
    span.start = Math.max(e.start, s.offset + (addr - s.addr));
    span.end = Math.min(e.end, s.offset + (addr - s.addr) + len);
    span.sec = sec;
    return span.end > span.start ? span : null;
  };

  let covered: Coverage = [];
  const pieces: Claim[] = [];

  // rule 2 first as a reservation, so no symbol (runtime.pclntab, go:func.*) takes the table's bytes
  let pclnSec = -1;
  let pclnBudget = 0;
  if (pcln) {
    const r = toFile(pcln.addr, pcln.size);
    if (r) {
      pclnSec = r.sec;
      const t = claimTier(covered, [{ start: r.start, end: r.end, owner: RESERVED }]);
      covered = t.covered;
      pclnBudget = r.end - r.start;
    }
  }

  // rule 1
  if (pcln) {
    const claims: Claim[] = [];
    let hint = -1;
    // one package lookup per function, reused for the pclntab bytes below
    const funcOwner = new Int32Array(pcln.funcs.length);
    pcln.funcs.forEach((f, fi) => {
      const o = owner(input.packageOf(f.name) || '<unknown>');
      funcOwner[fi] = o;
      const r = toFile(f.entry, Math.max(0, f.end - f.entry), hint);
      const a = acc[o]!;
      a.functions++;
      if (!r) return;
      hint = r.sec;
      const len = r.end - r.start;
      const own = Math.min(len, input.funcSizes?.[fi] ?? len);
      claims.push({ start: r.start, end: r.start + own, owner: o * 4 + KIND_TEXT });
      if (own < len) claims.push({ start: r.start + own, end: r.end, owner: o * 4 + KIND_PADDING });
      if (keep > 0) a.symbols.push({ name: f.name, size: len, kind: 'code' });
    });
    const t = claimTier(covered, claims);
    covered = t.covered;
    for (const p of t.pieces) pieces.push(p); // not push(...): a spread of 10^5+ arguments overflows the stack
    // pclntab bytes per function, never more than the table holds
    let left = pclnBudget;
    for (let fi = 0; fi < pcln.funcs.length; fi++) {
      const n = Math.min(left, Math.max(0, pcln.funcs[fi]!.tableBytes));
      if (n === 0) continue;
      acc[funcOwner[fi]!]!.pclntab += n;
      left -= n;
    }
    // names stored for inlined calls: to the package of the function each names
    for (const { name, size } of pcln.inlinedNames ?? []) {
      const n = Math.min(left, size);
      if (n === 0) break;
      acc[owner(input.packageOf(name) || '<unknown>')]!.pclntab += n;
      left -= n;
    }
  }

  // rule 3
  const syms = input.img.hasSymbols ? safeSymbols(img, input.notes) : null;
  // without pclntab we cannot tell; C names are then the likelier reading
  const cgo = !pcln || ownerIx.has('runtime/cgo');
  if (syms) {
    const claims: Claim[] = [];
    for (const sym of syms) {
      if (sym.size <= 0 || sym.kind === 'undef' || sym.kind === 'bss') continue;
      const r = toFile(sym.addr, sym.size, sym.section >= 0 && sym.section < img.sections.length ? sym.section : -1);
      if (!r || (r.sec === pclnSec && pcln && sym.addr >= pcln.addr && sym.addr < pcln.addr + pcln.size)) continue;
      const isCode = img.sections[r.sec]!.exec;
      const o = owner(isCode && !sym.name.includes('.') ? GROUP_CGO : dataSymbolOwner(sym.name, input.packageOf, cgo));
      claims.push({ start: r.start, end: r.end, owner: o * 4 + (isCode ? KIND_TEXT : KIND_DATA) });
      if (!isCode && keep > 0) acc[o]!.symbols.push({ name: sym.name, size: r.end - r.start, kind: 'data' });
    }
    const t = claimTier(covered, claims);
    // symbols that lost every byte to an earlier claim keep nothing, and are not shown either
    for (const p of t.pieces) pieces.push(p); // not push(...): a spread of 10^5+ arguments overflows the stack
  } else if (pcln) {
    input.notes.push({
      code: 'no-symbols',
      message:
        'no symbol table (stripped): data, type data and strings are not attributed to packages; code and pclntab are, from the pclntab',
    });
  }

  // sum up pieces per owner and per section
  const secAttributed = new Array<number>(img.sections.length).fill(0);
  const effOrder = eff
    .map((e, i) => ({ ...e, i }))
    .filter((e) => e.end > e.start)
    .sort((a, b) => a.start - b.start);
  for (const p of pieces) {
    const n = p.end - p.start;
    if (p.owner === RESERVED) continue;
    const o = Math.floor(p.owner / 4);
    const kind = p.owner % 4;
    const a = acc[o]!;
    if (kind === KIND_TEXT) a.text += n;
    else if (kind === KIND_PADDING) a.padding += n;
    else a.data += n;
    const si = sectionAt(effOrder, p.start);
    if (si >= 0) secAttributed[si]! += n;
  }
  const pclnGiven = acc.reduce((t, a) => t + a.pclntab, 0);
  if (pclnSec >= 0) secAttributed[pclnSec]! += pclnGiven;

  const modIndex = new ModuleIndex(input.buildInfo);
  const detail: SizeDetail = { symbols: new Map() };
  const packages: SizePackage[] = [];
  owners.forEach((name, i) => {
    const a = acc[i]!;
    const size = a.text + a.padding + a.pclntab + a.data;
    if (size === 0 && a.functions === 0) return;
    packages.push({
      name,
      module: modIndex.moduleOf(name).path,
      size,
      text: a.text,
      padding: a.padding,
      pclntab: a.pclntab,
      data: a.data,
      functions: a.functions,
    });
    detail.symbols.set(name, a.symbols.sort(bySizeThenName).slice(0, keep));
  });
  packages.sort((x, y) => y.size - x.size || cmp(x.name, y.name));

  const modules = rollUp(packages, modIndex);

  const sections: SizeSection[] = img.sections.map((s, i) => ({
    name: s.name,
    segment: s.segment,
    fileSize: s.fileSize,
    memSize: s.alloc ? s.size : 0, // debug info and symbol tables take no memory at run time
    bss: s.fileSize === 0 && s.size > 0 && s.alloc,
    attributed: secAttributed[i]!,
  }));

  const breakdown: UnattributedPart[] = [];
  let inSections = 0;
  eff.forEach((e, i) => {
    const n = e.end - e.start;
    inSections += n;
    const rest = n - secAttributed[i]!;
    if (rest > 0) breakdown.push({ section: img.sections[i]!.name, size: rest });
  });
  breakdown.push(...outsideParts(img, effOrder, F - inSections));
  breakdown.sort((x, y) => y.size - x.size || cmp(x.section, y.section));
  const unattributed = breakdown.reduce((t, b) => t + b.size, 0);

  const total = packages.reduce((t, p) => t + p.size, 0) + unattributed;
  if (total !== F) {
    throw new GokilnError('E_CORRUPT', `internal accounting error: ${total} bytes attributed for a ${F}-byte file`);
  }

  const report: SizeReport = {
    file: input.file,
    fileSize: F,
    format: img.format,
    os: img.os,
    arch: img.arch,
    goVersion: input.goVersion,
    pclntab: pcln ? pcln.version : null,
    symbols: syms !== null,
    sections,
    packages,
    modules,
    unattributed,
    unattributedBreakdown: breakdown,
    notes: input.notes,
  };
  return { report, detail };
}

/** Section file ranges clipped to the file and made disjoint (a later-starting overlap loses). */
function effectiveRanges(sections: Section[], fileSize: number): Array<{ start: number; end: number }> {
  const out = sections.map(() => ({ start: 0, end: 0 }));
  const order = sections
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.fileSize > 0)
    .sort((a, b) => a.s.offset - b.s.offset || a.i - b.i);
  let reach = 0;
  for (const { s, i } of order) {
    const start = Math.max(reach, Math.min(s.offset, fileSize));
    const end = Math.min(fileSize, s.offset + s.fileSize);
    if (end > start) {
      out[i] = { start, end };
      reach = end;
    }
  }
  return out;
}

function contains(s: Section | undefined, e: { start: number; end: number } | undefined, addr: number): boolean {
  return !!s && !!e && s.alloc && addr >= s.addr && addr < s.addr + s.fileSize;
}

function findSection(mapped: Array<{ s: Section; i: number }>, eff: Array<{ start: number; end: number }>, addr: number): number {
  let lo = 0;
  let hi = mapped.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (mapped[mid]!.s.addr <= addr) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // sections of size 0 can share an address with the real one; look back a few
  for (let k = best; k >= 0 && k > best - 4; k--) {
    const m = mapped[k]!;
    if (contains(m.s, eff[m.i], addr)) return m.i;
  }
  return -1;
}

function sectionAt(effOrder: Array<{ start: number; end: number; i: number }>, off: number): number {
  let lo = 0;
  let hi = effOrder.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = effOrder[mid]!;
    if (off < e.start) hi = mid - 1;
    else if (off >= e.end) lo = mid + 1;
    else return e.i;
  }
  return -1;
}

/** Bytes outside all sections: Mach-O names them by segment (`[__LINKEDIT]`), elsewhere one row. */
function outsideParts(img: BinaryImage, effOrder: Array<{ start: number; end: number }>, total: number): UnattributedPart[] {
  if (total <= 0) return [];
  const parts = new Map<string, number>();
  if (img.format === 'macho') {
    const gaps: Array<[number, number]> = [];
    let at = 0;
    for (const e of effOrder) {
      if (e.start > at) gaps.push([at, e.start]);
      at = Math.max(at, e.end);
    }
    if (img.fileSize > at) gaps.push([at, img.fileSize]);
    let named = 0;
    for (const g of img.segments) {
      if (g.fileSize <= 0) continue;
      for (const [s, e] of gaps) {
        const n = Math.min(e, g.offset + g.fileSize) - Math.max(s, g.offset);
        if (n > 0) {
          parts.set(`[${g.type}]`, (parts.get(`[${g.type}]`) ?? 0) + n);
          named += n;
        }
      }
    }
    if (named > total) return [{ section: OUTSIDE_SECTIONS, size: total }]; // overlapping segments: do not guess
    if (total - named > 0) parts.set(OUTSIDE_SECTIONS, total - named);
  } else {
    parts.set(OUTSIDE_SECTIONS, total);
  }
  return [...parts].map(([section, size]) => ({ section, size }));
}

/** A damaged symbol table costs the data attribution, not the whole report. */
function safeSymbols(img: BinaryImage, notes: SizeNote[]): SymbolEntry[] | null {
  try {
    return img.symbols();
  } catch (e) {
    if (!(e instanceof GokilnError)) throw e;
    notes.push({ code: 'symbols-error', message: `symbol table unreadable (${e.code}: ${e.message}): data is not attributed to packages` });
    return null;
  }
}

function rollUp(packages: SizePackage[], idx: ModuleIndex): SizeModule[] {
  const mods = new Map<string, SizeModule>();
  for (const p of packages) {
    const ref = idx.moduleOf(p.name);
    let m = mods.get(ref.path);
    if (!m) {
      m = { path: ref.path, version: ref.version, size: 0, text: 0, packages: 0 };
      mods.set(ref.path, m);
    }
    m.size += p.size;
    m.text += p.text;
    m.packages++;
  }
  return [...mods.values()].sort((x, y) => y.size - x.size || cmp(x.path, y.path));
}

function bySizeThenName(a: SizeSymbol, b: SizeSymbol): number {
  return b.size - a.size || cmp(a.name, b.name);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
