/**
 * Content-addressed blobs in a directory laid out as an OCI image layout's `blobs/sha256/<hex>`: every
 * publisher (layout, archive, registry) reads from one of these, so an image is assembled once, on disk,
 * streamed, and only then published. A blob is written under a temporary name and renamed once its digest
 * is known, so a blob file is never half-written under its digest.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { hashingTap } from '../digest-stream.js';
import { sha256Digest } from '../oci.js';

export interface StoredBlob {
  digest: string;
  size: number;
}

export class BlobStore {
  constructor(readonly dir: string) {}

  path(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  async putBytes(bytes: Uint8Array | string): Promise<StoredBlob> {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const digest = sha256Digest(data);
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    const p = this.path(digest);
    if (!existsSync(p)) {
      const tmp = `${p}.tmp-${randomBytes(4).toString('hex')}`;
      await writeFile(tmp, data);
      await rename(tmp, p);
    }
    return { digest, size: data.byteLength };
  }

  /** Streams `source` into the store, hashing on the way; `through` transforms may observe the bytes first. */
  async putStream(source: Readable | AsyncIterable<Uint8Array>, ...through: Transform[]): Promise<StoredBlob> {
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    const tmp = join(this.dir, 'blobs', 'sha256', `.incoming-${randomBytes(6).toString('hex')}`);
    const { tap, result } = hashingTap();
    try {
      await pipeline([source instanceof Readable ? source : Readable.from(source), ...through, tap, createWriteStream(tmp)]);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const stored = result();
    await rename(tmp, this.path(stored.digest));
    return stored;
  }

  open(digest: string): Readable {
    return createReadStream(this.path(digest));
  }

  async size(digest: string): Promise<number> {
    return (await stat(this.path(digest))).size;
  }
}
