/**
 * Where an image's blobs live: a directory (an `oci:` layout) or the members of a tar file (a
 * docker-archive, which may hold an OCI layout inside). Sources read through this and never see which.
 */
import { createReadStream, existsSync, openSync, closeSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GokilnError } from '../../errors.js';
import { indexTar, type TarMember } from './tar-index.js';

/** JSON documents (index, manifest, config) are small; a larger one is refused rather than read into memory. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
/**
 * Blobs are read 1 MiB at a time, not fs's 64 KiB: each chunk passes the digest check, the decompressor and
 * the tar reader, and a 5 MB layer in 72 chunks spent more time handing chunks on than hashing them.
 */
const READ_CHUNK = 1024 * 1024;

export interface BlobStore {
  /** what to name in messages */
  name: string;
  has(path: string): boolean;
  size(path: string): number;
  /** a small file's bytes (JSON documents) */
  read(path: string): Uint8Array;
  open(path: string): Readable;
  /** the first bytes of a file (to sniff compression) */
  peek(path: string, n: number): Uint8Array;
}

/** Paths inside a store are relative and may not climb out of it. */
function safeRel(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new GokilnError('E_UNSAFE', `image names a blob outside its layout: ${JSON.stringify(path)}`);
  return parts.join('/');
}

export class DirStore implements BlobStore {
  constructor(readonly dir: string) {}
  get name(): string {
    return this.dir;
  }
  has(path: string): boolean {
    return existsSync(join(this.dir, safeRel(path)));
  }
  size(path: string): number {
    return statSync(join(this.dir, safeRel(path))).size;
  }
  read(path: string): Uint8Array {
    const p = join(this.dir, safeRel(path));
    if (!existsSync(p)) throw new GokilnError('E_NOT_FOUND', `${this.dir}: no ${path}`, { file: p });
    return readBounded(p, 0, statSync(p).size);
  }
  open(path: string): Readable {
    return createReadStream(join(this.dir, safeRel(path)), { highWaterMark: READ_CHUNK });
  }
  peek(path: string, n: number): Uint8Array {
    const p = join(this.dir, safeRel(path));
    return readBounded(p, 0, Math.min(n, statSync(p).size));
  }
}

function readBounded(file: string, offset: number, size: number): Uint8Array {
  if (size > MAX_JSON_BYTES)
    throw new GokilnError('E_UNSAFE', `${file}: a ${size}-byte document is too large to be an image manifest or config`);
  const buf = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, offset + got);
      if (n === 0) throw new GokilnError('E_TRUNCATED', `${file}: ends before byte ${offset + size}`);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return buf;
}

export class TarStore implements BlobStore {
  private constructor(
    readonly file: string,
    private readonly members: Map<string, TarMember>,
  ) {}
  static open(file: string): TarStore {
    return new TarStore(file, indexTar(file));
  }
  get name(): string {
    return this.file;
  }
  private member(path: string): TarMember {
    const m = this.members.get(safeRel(path));
    if (!m) throw new GokilnError('E_NOT_FOUND', `${this.file}: the archive has no ${path}`, { file: this.file });
    return m;
  }
  has(path: string): boolean {
    return this.members.has(safeRel(path));
  }
  size(path: string): number {
    return this.member(path).size;
  }
  read(path: string): Uint8Array {
    const m = this.member(path);
    return readBounded(this.file, m.offset, m.size);
  }
  open(path: string): Readable {
    const m = this.member(path);
    if (m.size === 0) return createReadStream(this.file, { start: 0, end: -1 });
    return createReadStream(this.file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: READ_CHUNK });
  }
  peek(path: string, n: number): Uint8Array {
    const m = this.member(path);
    return readBounded(this.file, m.offset, Math.min(n, m.size));
  }
}
