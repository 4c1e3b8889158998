/**
 * Format detection and the one entry point that turns any supported executable into BinaryImages:
 * one for ELF, PE or thin Mach-O, one per architecture for a universal Mach-O.
 */
import { GokilnError, guard } from '../errors.js';
import type { BinaryImage } from './binary.js';
import { parseElf } from './elf/index.js';
import { looksFat, parseFat } from './macho/fat.js';
import { machoKind, parseMacho } from './macho/index.js';
import { SliceSource } from './macho/slice-source.js';
import { parsePe } from './pe/index.js';
import type { ByteSource } from './source.js';

export { SliceSource } from './macho/slice-source.js';
export { parseFat, type FatArch } from './macho/fat.js';
export { parseMacho } from './macho/index.js';
export { parsePe } from './pe/index.js';

export type DetectedFormat = 'elf' | 'macho' | 'macho-fat' | 'pe';

/** Bytes of the file start that detection and the not-a-binary message look at. */
export const HEAD_SIZE = 512;

/** Which reader the first bytes call for (8 are enough; pass up to HEAD_SIZE), or null. */
export function detectFormat(head: Uint8Array): DetectedFormat | null {
  if (head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return 'elf';
  if (machoKind(head)) return 'macho';
  if (looksFat(head)) return 'macho-fat';
  // 'MZ': the PE reader itself tells a plain MS-DOS program (no PE header) apart
  if (head.length >= 2 && head[0] === 0x4d && head[1] === 0x5a) return 'pe';
  return null;
}

/**
 * Parses `src` as ELF, PE, Mach-O or universal Mach-O. A universal binary yields one image per
 * slice, each reading through a SliceSource (offsets relative to the slice, macho.sliceOffset set).
 * Anything else is E_EMPTY or E_NOT_BINARY with a message naming what the file looks like.
 */
export function parseBinary(src: ByteSource): BinaryImage[] {
  if (src.size === 0) throw new GokilnError('E_EMPTY', 'the file is empty');
  const head = src.read(0, Math.min(HEAD_SIZE, src.size));
  switch (detectFormat(head)) {
    case 'elf':
      return [parseElf(src)];
    case 'macho':
      return [parseMacho(src)];
    case 'pe':
      return [parsePe(src)];
    case 'macho-fat':
      return guard('universal Mach-O', () => parseFat(src).map((a) => parseMacho(new SliceSource(src, a.offset, a.size), a.offset)));
    case null:
      throw new GokilnError('E_NOT_BINARY', `not an executable (ELF, Mach-O or PE): ${describeNonBinary(head)}`);
  }
}

function startsWith(head: Uint8Array, ...bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** What a file that is no executable looks like, from its first bytes (as file(1) would name it). */
export function describeNonBinary(head: Uint8Array): string {
  if (head.length === 0) return 'an empty file';
  if (startsWith(head, ...ascii('#!'))) {
    const end = head.indexOf(0x0a);
    const line = new TextDecoder().decode(head.subarray(2, end < 0 ? Math.min(head.length, 80) : Math.min(end, 80))).trim();
    return `a script for ${line || 'an unnamed interpreter'} (#!), not a compiled binary`;
  }
  if (startsWith(head, 0xca, 0xfe, 0xba, 0xbe))
    return 'a compiled Java class file (0xcafebabe with a class-file version, not a universal Mach-O)';
  if (startsWith(head, 0x50, 0x4b, 0x03, 0x04) || startsWith(head, 0x50, 0x4b, 0x05, 0x06)) return 'a zip archive (or a jar/apk)';
  if (startsWith(head, 0x1f, 0x8b)) return 'gzip-compressed data; decompress it first';
  if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) return 'zstd-compressed data; decompress it first';
  if (startsWith(head, 0x00, 0x61, 0x73, 0x6d)) return 'a WebAssembly module (GOOS=js/wasip1 builds are not inspected)';
  if (startsWith(head, ...ascii('!<arch>\n'))) return 'an ar archive (a static library or Go package archive), not an executable';
  if (head.length >= 262 && startsWith(head.subarray(257), ...ascii('ustar'))) return 'a tar archive';
  if (isText(head)) return 'a text file';
  const hex = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `unknown format (starts ${hex})`;
}

function isText(head: Uint8Array): boolean {
  let bad = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) bad++;
  }
  // a valid UTF-8 decode with only ordinary whitespace control characters reads as text
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length >= HEAD_SIZE ? trimPartialUtf8(head) : head);
  } catch {
    return false;
  }
  return bad === 0;
}

/** The head may cut a multi-byte character in two; drop an incomplete tail before a strict decode. */
function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let i = b.length;
  let back = 0;
  while (i > 0 && back < 3 && (b[i - 1]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i > 0 && b[i - 1]! >= 0xc0) return b.subarray(0, i - 1);
  return b;
}
