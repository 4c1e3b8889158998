import { GokilnError } from '../../errors.js';
import { Reader, type ByteSource } from '../source.js';
import { FAT_MAGIC, FAT_MAGIC_64, machoArch } from './constants.js';

export interface FatArch {
  /** Go's GOARCH name of the slice (amd64, arm64…). */
  arch: string;
  /** Byte offset of the slice in the universal file. */
  offset: number;
  /** Byte length of the slice. */
  size: number;
  cpuType: number;
  cpuSubtype: number;
}

/**
 * Java class files share the 0xcafebabe magic. Their next four bytes are minor and major version
 * (major >= 45), where a universal binary has its architecture count; file(1) draws the line at 20.
 */
export const MAX_FAT_ARCHES = 20;

/** Whether `head` starts like a universal binary (as opposed to a Java class file). */
export function looksFat(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const r = new Reader(head, false);
  const magic = r.u32(0);
  if (magic === FAT_MAGIC_64) return true;
  if (magic !== FAT_MAGIC) return false;
  const n = r.u32(4);
  return n > 0 && n < MAX_FAT_ARCHES;
}

/**
 * The architecture table of a universal (fat) Mach-O file. The header is big-endian whatever the
 * slices are: magic, nfat_arch, then nfat_arch fat_arch (20 bytes, 32-bit offsets) or fat_arch_64
 * (32 bytes, 64-bit offsets) records.
 */
export function parseFat(src: ByteSource): FatArch[] {
  if (src.size < 8) {
    throw new GokilnError('E_TRUNCATED', `a universal binary header needs 8 bytes, the file has ${src.size}`);
  }
  const head = new Reader(src.read(0, 8), false);
  const magic = head.u32(0);
  if (magic !== FAT_MAGIC && magic !== FAT_MAGIC_64) {
    throw new GokilnError('E_NOT_BINARY', `not a universal Mach-O file (magic 0x${magic.toString(16)})`);
  }
  const n = head.u32(4);
  if (magic === FAT_MAGIC && n >= MAX_FAT_ARCHES) {
    throw new GokilnError('E_NOT_BINARY', 'a compiled Java class file, not a universal Mach-O binary (both start 0xcafebabe)');
  }
  if (n === 0) throw new GokilnError('E_CORRUPT', 'universal binary lists no architectures');
  const entSize = magic === FAT_MAGIC_64 ? 32 : 20;
  if (8 + n * entSize > src.size) {
    throw new GokilnError('E_TRUNCATED', `universal header lists ${n} architectures, more than the ${src.size}-byte file holds`);
  }
  const r = new Reader(src.read(8, n * entSize), false);
  const out: FatArch[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * entSize;
    // fat_arch: cputype, cpusubtype, offset, size, align; fat_arch_64: the same with u64 offset/size
    const cpuType = r.u32(o);
    const cpuSubtype = r.u32(o + 4);
    const offset = entSize === 32 ? r.u64(o + 8) : r.u32(o + 8);
    const size = entSize === 32 ? r.u64(o + 16) : r.u32(o + 12);
    if (offset + size > src.size) {
      throw new GokilnError(
        'E_TRUNCATED',
        `slice ${i} (${machoArch(cpuType)}) at ${offset}+${size} runs past the end of the ${src.size}-byte file`,
        { offset },
      );
    }
    if (offset < 8 + n * entSize) {
      throw new GokilnError('E_CORRUPT', `slice ${i} at ${offset} overlaps the universal header`, { offset });
    }
    out.push({ arch: machoArch(cpuType), offset, size, cpuType, cpuSubtype });
  }
  return out;
}
