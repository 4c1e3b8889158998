/** Section headers, named through the section-name string table. */
import { GokilnError } from '../../errors.js';
import type { Section } from '../binary.js';
import { Reader, decodeUtf8, type ByteSource } from '../source.js';
import { ENTSIZE, addrAt, type ElfHeader } from './header.js';

export const SHT = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  DYNAMIC: 6,
  NOTE: 7,
  NOBITS: 8,
  DYNSYM: 11,
  GNU_VERDEF: 0x6ffffffd,
  GNU_VERNEED: 0x6ffffffe,
  GNU_VERSYM: 0x6fffffff,
} as const;

export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4, COMPRESSED: 0x800 } as const;

/** A section header as the file has it, before it is reduced to the format-neutral Section. */
export interface RawSection {
  index: number;
  name: string;
  type: number;
  /** Low 32 bits of sh_flags (every defined flag lives there). */
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export function readSectionHeaders(src: ByteSource, h: ElfHeader): RawSection[] {
  if (h.shnum === 0) return [];
  const es = ENTSIZE[h.bits].shdr;
  const r = new Reader(src.read(h.shoff, h.shnum * es), h.little);
  const out: RawSection[] = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = i * es;
    const s: RawSection =
      h.bits === 64
        ? {
            // sh_name@0 u32, sh_type@4 u32, sh_flags@8 u64, sh_addr@16, sh_offset@24, sh_size@32,
            // sh_link@40 u32, sh_info@44 u32, sh_addralign@48, sh_entsize@56
            index: i,
            name: '',
            type: r.u32(o + 4),
            flags: Number(r.u64big(o + 8) & 0xffffffffn),
            addr: addrAt(r, o + 16, 64),
            offset: r.u64(o + 24),
            size: r.u64(o + 32),
            link: r.u32(o + 40),
            info: r.u32(o + 44),
            addralign: Number(r.u64big(o + 48)),
            entsize: Number(r.u64big(o + 56)),
          }
        : {
            // all ten fields are u32: name, type, flags, addr, offset, size, link, info, addralign, entsize
            index: i,
            name: '',
            type: r.u32(o + 4),
            flags: r.u32(o + 8),
            addr: r.u32(o + 12),
            offset: r.u32(o + 16),
            size: r.u32(o + 20),
            link: r.u32(o + 24),
            info: r.u32(o + 28),
            addralign: r.u32(o + 32),
            entsize: r.u32(o + 36),
          };
    if (i > 0 && s.type !== SHT.NOBITS && s.type !== SHT.NULL && s.offset + s.size > src.size) {
      throw new GokilnError(
        'E_TRUNCATED',
        `section ${i} (bytes ${s.offset}..${s.offset + s.size}) runs past the end of the ${src.size}-byte file`,
        { offset: s.offset },
      );
    }
    out.push(s);
  }
  if (h.shstrndx !== 0) {
    const strtab = out[h.shstrndx];
    if (!strtab || strtab.type === SHT.NOBITS) {
      throw new GokilnError('E_CORRUPT', `section-name table ${h.shstrndx} has no contents`);
    }
    const names = src.read(strtab.offset, strtab.size);
    for (const s of out) {
      const nameOff = r.u32(s.index * es); // sh_name
      s.name = stringAt(names, nameOff, 'section name');
    }
  }
  return out;
}

/** NUL-terminated string at `off` in a string table; an offset outside the table is E_CORRUPT. */
export function stringAt(table: Uint8Array, off: number, what: string): string {
  if (off >= table.length) {
    if (off === 0) return '';
    throw new GokilnError('E_CORRUPT', `${what} offset ${off} is outside its ${table.length}-byte string table`);
  }
  let end = table.indexOf(0, off);
  if (end < 0) end = table.length;
  return decodeUtf8(table.subarray(off, end));
}

export function toSection(s: RawSection): Section {
  const nobits = s.type === SHT.NOBITS || s.type === SHT.NULL;
  return {
    name: s.name,
    segment: '',
    addr: s.addr,
    size: s.size,
    offset: s.offset,
    fileSize: nobits ? 0 : s.size,
    alloc: (s.flags & SHF.ALLOC) !== 0,
    exec: (s.flags & SHF.EXECINSTR) !== 0,
    write: (s.flags & SHF.WRITE) !== 0,
  };
}

/** The contents of a section, or E_CORRUPT for a section that has none in the file. */
export function sectionBytes(src: ByteSource, s: RawSection): Uint8Array {
  if (s.type === SHT.NOBITS) throw new GokilnError('E_CORRUPT', `section ${s.name || s.index} has no file contents`);
  return src.read(s.offset, s.size);
}
