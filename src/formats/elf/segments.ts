/** Program headers (segments), with readelf's names for their types. */
import { GokilnError } from '../../errors.js';
import type { Segment } from '../binary.js';
import { Reader, type ByteSource } from '../source.js';
import { ENTSIZE, addrAt, type ElfHeader } from './header.js';
import { EM } from './arch.js';

export const PT = { LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, PHDR: 6, TLS: 7 } as const;
const PF = { X: 1, W: 2, R: 4 } as const;

export interface RawSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
  align: number;
}

const GENERIC: Record<number, string> = {
  0: 'NULL',
  1: 'LOAD',
  2: 'DYNAMIC',
  3: 'INTERP',
  4: 'NOTE',
  5: 'SHLIB',
  6: 'PHDR',
  7: 'TLS',
  0x6474e550: 'GNU_EH_FRAME',
  0x6474e551: 'GNU_STACK',
  0x6474e552: 'GNU_RELRO',
  0x6474e553: 'GNU_PROPERTY',
  0x6474e554: 'GNU_SFRAME',
  0x65041580: 'PAX_FLAGS',
  0x65a3dbe6: 'OPENBSD_RANDOMIZE',
  0x65a3dbe7: 'OPENBSD_WXNEEDED',
  0x65a3dbe8: 'OPENBSD_NOBTCFI',
  0x65a41be6: 'OPENBSD_BOOTDATA',
};

// Processor-specific types reuse the same numbers, so the name depends on e_machine.
const PROC: Record<number, Record<number, string>> = {
  [EM.ARM]: { 0x70000001: 'EXIDX' },
  [EM.AARCH64]: { 0x70000002: 'AARCH64_MEMTAG_MTE' },
  [EM.MIPS]: { 0x70000000: 'MIPS_REGINFO', 0x70000001: 'MIPS_RTPROC', 0x70000002: 'MIPS_OPTIONS', 0x70000003: 'MIPS_ABIFLAGS' },
  [EM.RISCV]: { 0x70000003: 'RISCV_ATTRIBUTES' },
  [EM.PPC64]: { 0x70000000: 'PPC64_OPT' },
};

export function segmentTypeName(type: number, machine: number): string {
  return GENERIC[type] ?? PROC[machine]?.[type] ?? `0x${type.toString(16)}`;
}

export function readProgramHeaders(src: ByteSource, h: ElfHeader): RawSegment[] {
  if (h.phnum === 0) return [];
  const es = ENTSIZE[h.bits].phdr;
  const r = new Reader(src.read(h.phoff, h.phnum * es), h.little);
  const out: RawSegment[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = i * es;
    const g: RawSegment =
      h.bits === 64
        ? // p_type@0 u32, p_flags@4 u32, p_offset@8, p_vaddr@16, p_paddr@24, p_filesz@32, p_memsz@40, p_align@48
          {
            type: r.u32(o),
            flags: r.u32(o + 4),
            offset: r.u64(o + 8),
            vaddr: addrAt(r, o + 16, 64),
            fileSize: r.u64(o + 32),
            memSize: r.u64(o + 40),
            align: Number(r.u64big(o + 48)),
          }
        : // p_type@0, p_offset@4, p_vaddr@8, p_paddr@12, p_filesz@16, p_memsz@20, p_flags@24, p_align@28 (all u32)
          {
            type: r.u32(o),
            offset: r.u32(o + 4),
            vaddr: r.u32(o + 8),
            fileSize: r.u32(o + 16),
            memSize: r.u32(o + 20),
            flags: r.u32(o + 24),
            align: r.u32(o + 28),
          };
    if (g.fileSize > 0 && g.offset + g.fileSize > src.size) {
      throw new GokilnError(
        'E_TRUNCATED',
        `segment ${i} (bytes ${g.offset}..${g.offset + g.fileSize}) runs past the end of the ${src.size}-byte file`,
        { offset: g.offset },
      );
    }
    out.push(g);
  }
  return out;
}

export function toSegment(g: RawSegment, machine: number): Segment {
  return {
    type: segmentTypeName(g.type, machine),
    offset: g.offset,
    vaddr: g.vaddr,
    fileSize: g.fileSize,
    memSize: g.memSize,
    read: (g.flags & PF.R) !== 0,
    write: (g.flags & PF.W) !== 0,
    exec: (g.flags & PF.X) !== 0,
  };
}

/**
 * File offset of virtual address `addr` through the LOAD segments, and how many bytes of file follow it
 * inside that segment; null when no segment maps it from the file.
 */
export function vaddrToOffset(segments: RawSegment[], addr: number): { offset: number; avail: number } | null {
  for (const g of segments) {
    if (g.type === PT.LOAD && addr >= g.vaddr && addr < g.vaddr + g.fileSize) {
      const delta = addr - g.vaddr;
      return { offset: g.offset + delta, avail: g.fileSize - delta };
    }
  }
  return null;
}
