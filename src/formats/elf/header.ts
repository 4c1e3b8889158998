/**
 * The ELF file header (the first 52 or 64 bytes), with the extended-numbering escapes resolved, so the
 * other modules see plain counts and indexes.
 */
import { GokilnError } from '../../errors.js';
import { Reader, type ByteSource } from '../source.js';

export interface ElfHeader {
  bits: 32 | 64;
  little: boolean;
  osabi: number;
  abiVersion: number;
  /** e_type: 1 REL, 2 EXEC, 3 DYN, 4 CORE. */
  type: number;
  machine: number;
  flags: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  shoff: number;
  shentsize: number;
  shnum: number;
  /** Index of the section-name string table; 0 when the file has none. */
  shstrndx: number;
}

const MAGIC = [0x7f, 0x45, 0x4c, 0x46]; // "\x7fELF"
const SHN_XINDEX = 0xffff;
const PN_XNUM = 0xffff;

/** Sizes the ELF spec fixes for each class; anything else means the header is not what it claims. */
export const ENTSIZE = {
  32: { ehdr: 52, phdr: 32, shdr: 40, sym: 16, dyn: 8 },
  64: { ehdr: 64, phdr: 56, shdr: 64, sym: 24, dyn: 16 },
} as const;

export function isElf(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= 4 && MAGIC.every((b, i) => firstBytes[i] === b);
}

/** Reads a 64-bit address; addresses above 2^53 (kernel images) lose low bits rather than failing. */
export function addrAt(r: Reader, off: number, bits: 32 | 64): number {
  return bits === 64 ? Number(r.u64big(off)) : r.u32(off);
}

export function readElfHeader(src: ByteSource): ElfHeader {
  if (src.size < 4 || !isElf(src.read(0, 4))) {
    throw new GokilnError('E_NOT_BINARY', 'not an ELF file (no \\x7fELF magic)', { offset: 0 });
  }
  const ident = src.read(0, Math.min(16, src.size));
  if (ident.length < 16) throw new GokilnError('E_TRUNCATED', `ELF identification needs 16 bytes, file has ${src.size}`);
  // e_ident[4] EI_CLASS: 1 = 32-bit, 2 = 64-bit
  const cls = ident[4];
  if (cls !== 1 && cls !== 2) throw new GokilnError('E_CORRUPT', `ELF class byte is ${cls}, expected 1 or 2`, { offset: 4 });
  // e_ident[5] EI_DATA: 1 = little endian, 2 = big endian
  const data = ident[5];
  if (data !== 1 && data !== 2) throw new GokilnError('E_CORRUPT', `ELF data byte is ${data}, expected 1 or 2`, { offset: 5 });
  const bits = cls === 1 ? 32 : 64;
  const little = data === 1;
  const sizes = ENTSIZE[bits];
  const r = new Reader(src.read(0, sizes.ehdr), little);
  const w = bits === 64 ? 8 : 4; // width of e_entry/e_phoff/e_shoff
  // After e_ident: e_type@16 u16, e_machine@18 u16, e_version@20 u32, e_entry@24 (word), then phoff, shoff (words).
  const tail = 24 + 3 * w; // e_flags follows the three words
  const h: ElfHeader = {
    bits,
    little,
    osabi: ident[7] ?? 0, // EI_OSABI
    abiVersion: ident[8] ?? 0, // EI_ABIVERSION
    type: r.u16(16),
    machine: r.u16(18),
    entry: addrAt(r, 24, bits),
    phoff: bits === 64 ? r.u64(32) : r.u32(28),
    shoff: bits === 64 ? r.u64(40) : r.u32(32),
    flags: r.u32(tail), // e_flags
    // tail+4 e_ehsize
    phentsize: r.u16(tail + 6),
    phnum: r.u16(tail + 8),
    shentsize: r.u16(tail + 10),
    shnum: r.u16(tail + 12),
    shstrndx: r.u16(tail + 14),
  };
  if (h.shoff === 0) {
    h.shnum = 0;
    h.shstrndx = 0;
  } else {
    if (h.shentsize !== sizes.shdr) {
      throw new GokilnError('E_CORRUPT', `e_shentsize is ${h.shentsize}, ELF${bits} section headers are ${sizes.shdr} bytes`);
    }
    // Extended numbering: the real counts live in section header 0 when they do not fit in 16 bits.
    if (h.shnum === 0 || h.shstrndx === SHN_XINDEX || h.phnum === PN_XNUM) {
      const s0 = new Reader(src.read(h.shoff, sizes.shdr), little);
      if (h.shnum === 0) h.shnum = bits === 64 ? s0.u64(32) : s0.u32(20); // sh_size
      if (h.shstrndx === SHN_XINDEX) h.shstrndx = bits === 64 ? s0.u32(40) : s0.u32(24); // sh_link
      if (h.phnum === PN_XNUM) h.phnum = bits === 64 ? s0.u32(44) : s0.u32(28); // sh_info
    }
    if (h.shstrndx >= h.shnum && h.shstrndx !== 0) {
      throw new GokilnError('E_CORRUPT', `section-name table index ${h.shstrndx} is outside the ${h.shnum} section headers`);
    }
  }
  if (h.phoff === 0) h.phnum = 0;
  if (h.phnum > 0 && h.phentsize !== sizes.phdr) {
    throw new GokilnError('E_CORRUPT', `e_phentsize is ${h.phentsize}, ELF${bits} program headers are ${sizes.phdr} bytes`);
  }
  // Bound the counts by the file before anything allocates per entry.
  if (h.phoff + h.phnum * sizes.phdr > src.size) {
    throw new GokilnError('E_TRUNCATED', `${h.phnum} program headers at ${h.phoff} run past the end of the ${src.size}-byte file`, {
      offset: h.phoff,
    });
  }
  if (h.shoff + h.shnum * sizes.shdr > src.size) {
    throw new GokilnError('E_TRUNCATED', `${h.shnum} section headers at ${h.shoff} run past the end of the ${src.size}-byte file`, {
      offset: h.shoff,
    });
  }
  return h;
}
