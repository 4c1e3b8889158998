/**
 * The content-addressed cache of Debian archive files: indexes and `.deb`s are stored under their sha256
 * (`$XDG_CACHE_HOME/gokiln/debian/sha256/<hex>`), so a file is fetched once whatever mirror or suite named
 * it, and a lockfile build works offline once its packages were fetched. Entries are written under a
 * temporary name and renamed, and their hash is checked before they are stored, so the cache never holds
 * a half-written or wrong file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { gokilnCacheDir } from '../../io/cache-dir.js';

/** `${XDG_CACHE_HOME:-$HOME/.cache}/gokiln/debian` (the same root as the fixture cache). */
export function defaultCacheDir(): string {
  return gokilnCacheDir('debian');
}

export class ContentCache {
  constructor(readonly dir: string = defaultCacheDir()) {}

  pathOf(sha256: string): string {
    return join(this.dir, 'sha256', sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  /** Stores bytes whose sha256 the caller has checked; returns the path. */
  async put(sha256: string, bytes: Uint8Array): Promise<string> {
    const p = this.pathOf(sha256);
    if (existsSync(p)) return p;
    await mkdir(join(this.dir, 'sha256'), { recursive: true });
    const tmp = `${p}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, p);
    } finally {
      await rm(tmp, { force: true });
    }
    return p;
  }

  /** Derived data (a parsed index) keyed by the hash of what it was derived from and a format version. */
  derivedPath(key: string): string {
    return join(this.dir, 'derived', key);
  }

  async readDerived(key: string): Promise<string | null> {
    const p = this.derivedPath(key);
    return existsSync(p) ? readFile(p, 'utf8') : null;
  }

  async putDerived(key: string, text: string): Promise<void> {
    const p = this.derivedPath(key);
    await mkdir(join(this.dir, 'derived'), { recursive: true });
    const tmp = `${p}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, text);
      await rename(tmp, p);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
