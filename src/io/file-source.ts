import { Buffer } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { GokilnError, fsError } from '../errors.js';
import { checkRange, type ByteSource } from '../formats/source.js';

const BLOCK = 64 * 1024;
const MAX_BLOCKS = 64; // 4 MiB of cache at most, whatever the file size

/**
 * A ByteSource over an open file that reads by offset through a small block cache, so a 400 MB binary
 * costs a few MB of memory. Large reads (a whole section) bypass the cache.
 */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | null;
  private readonly blocks = new Map<number, Uint8Array>();

  private constructor(
    fd: number,
    size: number,
    readonly path: string,
  ) {
    this.fd = fd;
    this.size = size;
  }

  static open(path: string): FileSource {
    let fd: number;
    try {
      // O_NONBLOCK: a named pipe or a device opens at once and is refused below, instead of waiting for a writer
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      throw fsError(e, path);
    }
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw new GokilnError('E_IS_DIRECTORY', `${path} is a directory`, { file: path });
      if (!st.isFile()) throw new GokilnError('E_NOT_BINARY', `${path} is not a regular file`, { file: path });
      return new FileSource(fd, st.size, path);
    } catch (e) {
      closeSync(fd);
      throw e instanceof GokilnError ? e : fsError(e, path);
    }
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length);
    if (length > BLOCK) return this.readDirect(offset, length);
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((offset + length - 1) / BLOCK);
    if (length === 0) return new Uint8Array(0);
    if (first === last) {
      const b = this.block(first);
      const start = offset - first * BLOCK;
      return b.subarray(start, start + length);
    }
    return this.readDirect(offset, length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.blocks.clear();
  }

  private block(i: number): Uint8Array {
    const hit = this.blocks.get(i);
    if (hit) {
      this.blocks.delete(i);
      this.blocks.set(i, hit);
      return hit;
    }
    const start = i * BLOCK;
    const b = this.readDirect(start, Math.min(BLOCK, this.size - start));
    if (this.blocks.size >= MAX_BLOCKS) {
      const oldest = this.blocks.keys().next().value;
      if (oldest !== undefined) this.blocks.delete(oldest);
    }
    this.blocks.set(i, b);
    return b;
  }

  private readDirect(offset: number, length: number): Uint8Array {
    if (this.fd === null) throw new GokilnError('E_IO', `${this.path} is closed`, { file: this.path });
    // every byte is overwritten below: no zero-filling (which costs as much as the read for a table of MBs)
    const buf = Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(this.fd, buf, done, length - done, offset + done);
      } catch (e) {
        throw fsError(e, this.path);
      }
      if (n === 0) throw new GokilnError('E_TRUNCATED', `${this.path} ended early at ${offset + done}`, { file: this.path });
      done += n;
    }
    return buf;
  }
}

// the one errno mapping lives in errors.ts; re-exported for the callers that found it here
export { fsError } from '../errors.js';
