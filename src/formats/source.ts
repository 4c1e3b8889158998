import { GokilnError } from '../errors.js';

/**
 * Random access to the bytes of a binary. Parsers read through this and never see a path, so the same
 * code runs on a file read by offset (large binaries are never slurped) or on an in-memory buffer.
 * Reads past the end throw E_TRUNCATED, which is what a truncated binary really is.
 */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`, or E_TRUNCATED. The result may be a view; do not mutate it. */
  read(offset: number, length: number): Uint8Array;
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
}

export function checkRange(size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new GokilnError('E_CORRUPT', `invalid read at offset ${offset} length ${length}`, { offset });
  }
  if (offset + length > size) {
    throw new GokilnError('E_TRUNCATED', `needs bytes ${offset}..${offset + length} but the file has ${size}`, { offset });
  }
}

/** Endian-aware scalar reads on a byte array, with typed errors instead of RangeError. */
export class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  private need(off: number, n: number): void {
    if (off < 0 || off + n > this.bytes.length || !Number.isInteger(off)) {
      throw new GokilnError('E_TRUNCATED', `read of ${n} bytes at ${off} past end of ${this.bytes.length}-byte structure`);
    }
  }
  u8(off: number): number {
    this.need(off, 1);
    return this.view.getUint8(off);
  }
  u16(off: number): number {
    this.need(off, 2);
    return this.view.getUint16(off, this.littleEndian);
  }
  u32(off: number): number {
    this.need(off, 4);
    return this.view.getUint32(off, this.littleEndian);
  }
  i32(off: number): number {
    this.need(off, 4);
    return this.view.getInt32(off, this.littleEndian);
  }
  /** 64-bit value as a JS number; values past 2^53 are E_CORRUPT (no real offset or size is that large). */
  u64(off: number): number {
    this.need(off, 8);
    const v = this.view.getBigUint64(off, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GokilnError('E_CORRUPT', `64-bit value 0x${v.toString(16)} at ${off} is out of range`);
    }
    return Number(v);
  }
  /** 64-bit value, allowing any magnitude (addresses on some targets use the top bits). */
  u64big(off: number): bigint {
    this.need(off, 8);
    return this.view.getBigUint64(off, this.littleEndian);
  }
  /** Pointer-sized unsigned value (4 or 8 bytes). */
  uptr(off: number, ptrSize: number): number {
    return ptrSize === 8 ? this.u64(off) : this.u32(off);
  }
  /** NUL-terminated string starting at `off` (to the end if no NUL), decoded as UTF-8/latin1-safe. */
  cstring(off: number, max = 4096): string {
    this.need(off, 0);
    let end = off;
    const lim = Math.min(this.bytes.length, off + max);
    while (end < lim && this.bytes[end] !== 0) end++;
    return decodeUtf8(this.bytes.subarray(off, end));
  }
  slice(off: number, len: number): Uint8Array {
    this.need(off, len);
    return this.bytes.subarray(off, off + len);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
export function decodeUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}
