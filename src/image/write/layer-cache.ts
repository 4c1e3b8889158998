/**
 * A cache of compressed application layers, keyed by everything that goes into one: each entry's path,
 * type, mode, owner and size, the sha256 of each file's bytes, the mtime, the gzip level and the media type.
 * The same key gives the same blob (the layer writer is reproducible), so a rebuild whose binary did not
 * change copies the blob instead of compressing it again: for hello-service's 9.1 MB binary, gzip level 1
 * is most of what a warm build does after `go build`. ko keeps a like cache when KOCACHE is set
 * (build ID → diff ID → descriptor); gokiln keys on the content itself, so a binary whose build ID
 * repeats over other bytes cannot hit.
 *
 * Safe to share between processes and to lose: entries are written under temporary names and renamed, a
 * blob is digest-checked as it is copied out (a damaged entry is dropped and the layer built again), and
 * an unwritable cache only means no cache. The oldest entries beyond MAX_ENTRIES are removed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileEntry } from '../source.js';
import type { BlobStore } from './blob-store.js';
import type { LayerOptions, LayerResult } from './layer.js';

/** How many layers are kept: a few projects × platforms; each is about half its binary's size. */
const MAX_ENTRIES = 24;
const KEY_VERSION = 1;

export type LayerOrigin = 'compressed' | 'from-cache';

async function fileSha256(entry: FileEntry): Promise<string> {
  const h = createHash('sha256');
  if (entry.content !== undefined) return h.update(entry.content).digest('hex');
  if (!entry.open) return h.digest('hex');
  for await (const chunk of entry.open() as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

/** The key: a sha256 over the layer's whole description (file bytes by their hash). */
export async function layerKey(entries: FileEntry[], opts: LayerOptions): Promise<string> {
  const described = [];
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    described.push({
      path: e.path,
      type: e.type,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      mtime: e.mtime ?? null,
      linkname: e.linkname ?? null,
      ...(e.type === 'file' ? { size: e.content?.byteLength ?? e.size ?? 0, sha256: await fileSha256(e) } : {}),
    });
  }
  const doc = {
    v: KEY_VERSION,
    entries: described,
    mtime: opts.mtime,
    level: opts.level ?? 9,
    mediaType: opts.mediaType ?? null,
    addParents: opts.addParents ?? true,
  };
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}

interface Entry {
  key: string;
  result: LayerResult;
}

export class LayerCache {
  constructor(readonly dir: string) {}

  private indexPath(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  private blobPath(digest: string): string {
    return join(this.dir, 'blobs', digest.replace(/^sha256:/, ''));
  }

  /**
   * The layer of `entries` in `store`: copied from the cache when an entry for the same key is there and
   * its blob checks out, else made by `make` (which writes it into `store`) and then kept.
   */
  async layer(
    entries: FileEntry[],
    opts: LayerOptions,
    store: BlobStore,
    make: () => Promise<LayerResult>,
  ): Promise<LayerResult & { origin: LayerOrigin }> {
    const key = await layerKey(entries, opts);
    const hit = await this.copyOut(key, store);
    if (hit) return { ...hit, origin: 'from-cache' };
    const made = await make();
    await this.keep({ key, result: made }, store).catch(() => undefined);
    return { ...made, origin: 'compressed' };
  }

  private async copyOut(key: string, store: BlobStore): Promise<LayerResult | null> {
    let entry: Entry;
    try {
      entry = JSON.parse(await readFile(this.indexPath(key), 'utf8')) as Entry;
    } catch {
      return null;
    }
    const want = entry.result?.descriptor?.digest;
    if (entry.key !== key || typeof want !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(want)) return this.drop(key);
    if (store.has(want)) return entry.result;
    try {
      const got = await store.putStream(createReadStream(this.blobPath(want)));
      if (got.digest !== want || got.size !== entry.result.descriptor.size) {
        // the store now holds a blob under its true digest, which nothing names: harmless; the entry goes
        await rm(store.path(got.digest), { force: true });
        return this.drop(key);
      }
    } catch {
      return this.drop(key);
    }
    // touched, so the oldest-first pruning removes what was not used recently
    const now = new Date();
    await utimes(this.indexPath(key), now, now).catch(() => undefined);
    return entry.result;
  }

  private async drop(key: string): Promise<null> {
    await rm(this.indexPath(key), { force: true }).catch(() => undefined);
    return null;
  }

  private async keep(entry: Entry, store: BlobStore): Promise<void> {
    await mkdir(join(this.dir, 'blobs'), { recursive: true });
    const tmpSuffix = `.${process.pid}.${Date.now()}.tmp`;
    const blob = this.blobPath(entry.result.descriptor.digest);
    await copyFile(store.path(entry.result.descriptor.digest), blob + tmpSuffix);
    await rename(blob + tmpSuffix, blob);
    const index = this.indexPath(entry.key);
    await writeFile(index + tmpSuffix, JSON.stringify(entry));
    await rename(index + tmpSuffix, index);
    await this.prune();
  }

  /** Keeps the MAX_ENTRIES most recently used entries, and the blobs they name. */
  private async prune(): Promise<void> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    if (names.length <= MAX_ENTRIES) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(this.dir, n)).catch(() => null))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => b.t - a.t);
    for (const { n } of dated.slice(MAX_ENTRIES)) await rm(join(this.dir, n), { force: true });
    const named = new Set<string>();
    for (const { n } of dated.slice(0, MAX_ENTRIES)) {
      try {
        const e = JSON.parse(await readFile(join(this.dir, n), 'utf8')) as Entry;
        named.add(e.result.descriptor.digest.replace(/^sha256:/, ''));
      } catch {
        // unreadable: it will be dropped when next looked up
      }
    }
    for (const b of await readdir(join(this.dir, 'blobs')))
      if (!named.has(b) && !b.endsWith('.tmp')) await rm(join(this.dir, 'blobs', b), { force: true });
  }
}
