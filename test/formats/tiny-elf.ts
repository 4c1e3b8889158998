/**
 * Builds small ELF files by hand for the branches real fixtures never reach (32-bit big-endian,
 * files without sections, extended numbering, damaged tables). Layout: file header, program headers,
 * section contents in order (each aligned), the section-name table, then the section headers. One LOAD
 * segment maps the whole file at BASE, so an allocated section's address is BASE + its offset.
 */

import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { scratchDir } from '../harness/scratch.js';

export const BASE = 0x10000;

export interface TinySection {
  name: string;
  type: number;
  flags?: number;
  data?: Uint8Array;
  /** size for NOBITS sections (no data in the file) */
  size?: number;
  /** index of the linked section (sh_link); a name is resolved to its index */
  link?: number | string;
  info?: number;
  align?: number;
  entsize?: number;
}

export interface TinySegment {
  type: number;
  flags?: number;
  /** the segment covers exactly this section's bytes */
  section?: string;
  align?: number;
}

export interface TinyElf {
  bits: 32 | 64;
  little: boolean;
  type?: number;
  machine: number;
  osabi?: number;
  entry?: number;
  sections?: TinySection[];
  /** program headers besides the LOAD covering the whole file (added first unless noLoad) */
  segments?: TinySegment[];
  noLoad?: boolean;
  /** omit the section header table (e_shoff = 0) */
  noSectionHeaders?: boolean;
}

export interface TinyLayout {
  bytes: Uint8Array;
  /** file offset of each section's contents by name */
  offsets: Map<string, number>;
  shoff: number;
  phoff: number;
}

class Out {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  len = 0;
  constructor(readonly little: boolean) {}
  ensure(n: number): void {
    if (n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(n, this.buf.length * 2));
    b.set(this.buf);
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(o: number, v: number): void {
    this.ensure(o + 1);
    this.view.setUint8(o, v);
    this.len = Math.max(this.len, o + 1);
  }
  u16(o: number, v: number): void {
    this.ensure(o + 2);
    this.view.setUint16(o, v, this.little);
    this.len = Math.max(this.len, o + 2);
  }
  u32(o: number, v: number): void {
    this.ensure(o + 4);
    this.view.setUint32(o, v, this.little);
    this.len = Math.max(this.len, o + 4);
  }
  u64(o: number, v: number | bigint): void {
    this.ensure(o + 8);
    this.view.setBigUint64(o, BigInt(v), this.little);
    this.len = Math.max(this.len, o + 8);
  }
  word(bits: 32 | 64, o: number, v: number): void {
    if (bits === 64) this.u64(o, v);
    else this.u32(o, v);
  }
  bytes(o: number, b: Uint8Array): void {
    this.ensure(o + b.length);
    this.buf.set(b, o);
    this.len = Math.max(this.len, o + b.length);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const align = (n: number, a: number): number => (a > 1 ? Math.ceil(n / a) * a : n);

export function buildElf(spec: TinyElf): TinyLayout {
  const { bits, little } = spec;
  const ehsize = bits === 64 ? 64 : 52,
    phentsize = bits === 64 ? 56 : 32,
    shentsize = bits === 64 ? 64 : 40;
  const out = new Out(little);
  const userSegs = spec.segments ?? [];
  const segs: TinySegment[] = spec.noLoad ? userSegs : [{ type: 1, flags: 5 }, ...userSegs];
  const phoff = segs.length ? ehsize : 0;
  let off = ehsize + segs.length * phentsize;

  const sections: TinySection[] = [{ name: '', type: 0 }, ...(spec.sections ?? [])];
  const shstr = strtab(sections.map((s) => s.name).concat('.shstrtab'));
  if (!spec.noSectionHeaders) sections.push({ name: '.shstrtab', type: 3, data: shstr.bytes });
  const offsets = new Map<string, number>();
  const sectionOff: number[] = [];
  for (const s of sections) {
    if (s.type === 0) {
      sectionOff.push(0);
      continue;
    }
    off = align(off, s.align ?? 1);
    sectionOff.push(off);
    offsets.set(s.name, off);
    if (s.data && s.type !== 8) {
      out.bytes(off, s.data);
      off += s.data.length;
    }
  }
  const shoff = spec.noSectionHeaders ? 0 : align(off, 8);
  const fileEnd = spec.noSectionHeaders ? off : shoff + sections.length * shentsize;

  // file header
  out.bytes(0, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, little ? 1 : 2, 1, spec.osabi ?? 0]));
  out.u16(16, spec.type ?? 2);
  out.u16(18, spec.machine);
  out.u32(20, 1);
  out.word(bits, 24, spec.entry ?? 0);
  const w = bits === 64 ? 8 : 4;
  out.word(bits, 24 + w, phoff);
  out.word(bits, 24 + 2 * w, shoff);
  const t = 24 + 3 * w;
  out.u32(t, 0);
  out.u16(t + 4, ehsize);
  out.u16(t + 6, phentsize);
  out.u16(t + 8, segs.length);
  out.u16(t + 10, shentsize);
  out.u16(t + 12, spec.noSectionHeaders ? 0 : sections.length);
  out.u16(t + 14, spec.noSectionHeaders ? 0 : sections.length - 1);

  segs.forEach((g, i) => {
    const o = phoff + i * phentsize;
    let offset = 0,
      size = fileEnd;
    if (g.section !== undefined) {
      const idx = sections.findIndex((s) => s.name === g.section);
      const s = sections[idx];
      if (!s) throw new Error(`no section ${g.section}`);
      offset = sectionOff[idx] ?? 0;
      size = s.data?.length ?? 0;
    }
    const vaddr = BASE + offset;
    if (bits === 64) {
      out.u32(o, g.type);
      out.u32(o + 4, g.flags ?? 4);
      out.u64(o + 8, offset);
      out.u64(o + 16, vaddr);
      out.u64(o + 24, vaddr);
      out.u64(o + 32, size);
      out.u64(o + 40, size);
      out.u64(o + 48, g.align ?? (g.type === 1 ? 0x1000 : 4));
    } else {
      out.u32(o, g.type);
      out.u32(o + 4, offset);
      out.u32(o + 8, vaddr);
      out.u32(o + 12, vaddr);
      out.u32(o + 16, size);
      out.u32(o + 20, size);
      out.u32(o + 24, g.flags ?? 4);
      out.u32(o + 28, g.align ?? (g.type === 1 ? 0x1000 : 4));
    }
  });

  if (!spec.noSectionHeaders) {
    sections.forEach((s, i) => {
      const o = shoff + i * shentsize;
      const link = typeof s.link === 'string' ? sections.findIndex((x) => x.name === s.link) : (s.link ?? 0);
      const size = s.type === 8 ? (s.size ?? 0) : (s.data?.length ?? 0);
      const addr = (s.flags ?? 0) & 2 ? BASE + (sectionOff[i] ?? 0) : 0;
      const vals = [
        shstr.offsets.get(s.name) ?? 0,
        s.type,
        s.flags ?? 0,
        addr,
        sectionOff[i] ?? 0,
        size,
        link,
        s.info ?? 0,
        s.align ?? 1,
        s.entsize ?? 0,
      ];
      if (bits === 64) {
        out.u32(o, vals[0]!);
        out.u32(o + 4, vals[1]!);
        out.u64(o + 8, vals[2]!);
        out.u64(o + 16, vals[3]!);
        out.u64(o + 24, vals[4]!);
        out.u64(o + 32, vals[5]!);
        out.u32(o + 40, vals[6]!);
        out.u32(o + 44, vals[7]!);
        out.u64(o + 48, vals[8]!);
        out.u64(o + 56, vals[9]!);
      } else {
        vals.forEach((v, k) => out.u32(o + 4 * k, v));
      }
    });
  }
  if (out.len < fileEnd) out.u8(fileEnd - 1, 0);
  return { bytes: out.result(), offsets, shoff, phoff };
}

/** A string table holding `names` (deduplicated), with each name's offset. */
export function strtab(names: string[]): { bytes: Uint8Array; offsets: Map<string, number> } {
  const offsets = new Map<string, number>([['', 0]]);
  const parts: number[] = [0];
  for (const n of names) {
    if (offsets.has(n)) continue;
    offsets.set(n, parts.length);
    parts.push(...new TextEncoder().encode(n), 0);
  }
  return { bytes: new Uint8Array(parts), offsets };
}

function writer(little: boolean) {
  const o = new Out(little);
  let p = 0;
  return {
    u16(v: number) {
      o.u16(p, v);
      p += 2;
    },
    u32(v: number) {
      o.u32(p, v);
      p += 4;
    },
    word(bits: 32 | 64, v: number) {
      o.word(bits, p, v);
      p += bits / 8;
    },
    raw(b: Uint8Array) {
      o.bytes(p, b);
      p += b.length;
    },
    pad(a: number) {
      while (p % a) {
        o.u8(p, 0);
        p++;
      }
    },
    done() {
      return o.result();
    },
  };
}

/** Dynamic entries as (tag, value) pairs, DT_NULL appended. */
export function dynamicTable(bits: 32 | 64, little: boolean, entries: Array<[number, number]>): Uint8Array {
  const w = writer(little);
  for (const [tag, val] of [...entries, [0, 0] as [number, number]]) {
    w.word(bits, tag);
    w.word(bits, val);
  }
  return w.done();
}

/**
 * A little-endian x86-64 shared object with `.dynstr` (holding `str`) and a PT_DYNAMIC over `.dynamic`, whose
 * entries may name `.dynstr`'s address (DT_STRTAB): built twice, the first build placing `.dynstr`. `link`
 * links `.dynamic` to `.dynstr` (sh_link); `bytes` cuts the table to that length (e.g. to leave DT_NULL out).
 */
export function dynamicObject(
  str: Uint8Array,
  entries: (dynstrAddr: number) => Array<[number, number]>,
  opts: { link?: boolean; bytes?: number } = {},
): TinyLayout {
  const table = (addr: number) => dynamicTable(64, true, entries(addr)).subarray(0, opts.bytes);
  const spec = (data: Uint8Array): TinyElf => ({
    bits: 64,
    little: true,
    machine: 62, // EM_X86_64
    type: 3,
    sections: [
      { name: '.dynstr', type: 3, flags: 2, data: str },
      { name: '.dynamic', type: 6, flags: 3, data, align: 8, ...(opts.link ? { link: '.dynstr' } : {}) },
    ],
    segments: [{ type: 2, section: '.dynamic' }],
  });
  // the addresses do not change the table's length, so the second build places .dynstr where the first did
  const first = buildElf(spec(table(0)));
  return buildElf(spec(table(BASE + first.offsets.get('.dynstr')!)));
}

/** Elf_Verneed records: each file with its version names, names given as string-table offsets. */
export function verneedTable(little: boolean, needs: Array<{ file: number; versions: number[] }>): Uint8Array {
  const w = writer(little);
  needs.forEach((n, i) => {
    const last = i === needs.length - 1;
    w.u16(1);
    w.u16(n.versions.length);
    w.u32(n.file);
    w.u32(16);
    w.u32(last ? 0 : 16 + 16 * n.versions.length);
    n.versions.forEach((v, j) => {
      w.u32(0);
      w.u16(0);
      w.u16(2 + j);
      w.u32(v);
      w.u32(j === n.versions.length - 1 ? 0 : 16);
    });
  });
  return w.done();
}

/** Elf_Verdef records; the first is the BASE entry (the soname). */
export function verdefTable(little: boolean, names: number[]): Uint8Array {
  const w = writer(little);
  names.forEach((n, i) => {
    const last = i === names.length - 1;
    w.u16(1);
    w.u16(i === 0 ? 1 : 0);
    w.u16(i + 1);
    w.u16(1);
    w.u32(0);
    w.u32(20);
    w.u32(last ? 0 : 28);
    w.u32(n);
    w.u32(0);
  });
  return w.done();
}

export function note(little: boolean, owner: string, type: number, desc: Uint8Array): Uint8Array {
  const w = writer(little);
  const name = new TextEncoder().encode(owner + '\0');
  w.u32(name.length);
  w.u32(desc.length);
  w.u32(type);
  w.raw(name);
  w.pad(4);
  w.raw(desc);
  w.pad(4);
  return w.done();
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

let tmp: string | null = null;
/** Writes bytes to a fresh file in a per-process temp dir, for readelf to read. */
export function writeTemp(name: string, bytes: Uint8Array): string {
  tmp ??= scratchDir('gokiln-elf-');
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}
