/**
 * One layer from a list of FileEntry: a reproducible tar (entries sorted by path, parents before children,
 * one fixed mtime, uid/gid as given, no user or group names), gzip-compressed into a BlobStore. Returns the
 * descriptor of the compressed blob and the diff ID (digest of the uncompressed tar) the image config lists.
 *
 * Reproducible across machines: the gzip header's OS byte is set to 255 ("unknown", as Go's compress/gzip
 * writes it), since zlib stamps the OS it was compiled for (3 on Linux, 19 on macOS since zlib 1.2.12), and
 * its mtime field is 0. File contents are streamed, never held whole (a Go binary can be hundreds of MB).
 */
import { Transform, type Readable } from 'node:stream';
import { createGzip, constants as zc } from 'node:zlib';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';

type TarHeaders = Partial<Header> & Pick<Header, 'name'>;
import { GokilnError } from '../../errors.js';
import { MEDIA, type Descriptor } from '../oci.js';
import type { FileEntry } from '../source.js';
import { BlobStore } from './blob-store.js';
import { hashingTap } from '../digest-stream.js';

export interface LayerResult {
  descriptor: Descriptor;
  diffId: string;
  /** uncompressed tar size */
  tarSize: number;
}

export interface LayerOptions {
  /** seconds since the epoch stamped on every entry that has none */
  mtime: number;
  mediaType?: string;
  /** add missing parent directories (0755, root) so every entry has its parent before it */
  addParents?: boolean;
  /** gzip level, 9 unless given (the bases' digests are pinned at 9); part of the layer's digest */
  level?: number;
}

/** Byte order of the path, which puts every directory before what it holds. */
function byPath(a: FileEntry, b: FileEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function checkPath(p: string): void {
  if (
    !p.startsWith('/') ||
    p !==
      '/' +
        p
          .split('/')
          .filter((s) => s !== '' && s !== '.')
          .join('/') ||
    p.split('/').includes('..')
  ) {
    throw new GokilnError('E_UNSAFE', `layer entry ${JSON.stringify(p)} is not a normalised absolute path inside the image`);
  }
}

/** Sorted entries with every parent directory present; duplicates are refused (which one wins would be an accident). */
export function normaliseEntries(entries: FileEntry[], addParents = true): FileEntry[] {
  const byName = new Map<string, FileEntry>();
  for (const e of entries) {
    checkPath(e.path);
    if (byName.has(e.path)) throw new GokilnError('E_UNSAFE', `layer entry ${e.path} is given twice`);
    byName.set(e.path, e);
  }
  if (addParents) {
    for (const e of [...byName.values()]) {
      const parts = e.path.split('/').slice(1, -1);
      for (let i = 1; i <= parts.length; i++) {
        const dir = '/' + parts.slice(0, i).join('/');
        if (!byName.has(dir)) byName.set(dir, { path: dir, type: 'dir', mode: 0o755, uid: 0, gid: 0 });
      }
    }
  }
  return [...byName.values()].sort(byPath);
}

function header(e: FileEntry, mtime: number): TarHeaders {
  const name = e.path.slice(1) + (e.type === 'dir' ? '/' : '');
  const h: TarHeaders = {
    name,
    mode: e.mode & 0o7777,
    uid: e.uid,
    gid: e.gid,
    uname: '',
    gname: '',
    mtime: new Date((e.mtime ?? mtime) * 1000),
    type: e.type === 'dir' ? 'directory' : e.type === 'hardlink' ? 'link' : e.type,
  };
  if (e.type === 'symlink' || e.type === 'hardlink')
    h.linkname = e.type === 'hardlink' ? (e.linkname ?? '').replace(/^\//, '') : e.linkname;
  if (e.type === 'file') h.size = e.content?.byteLength ?? e.size ?? 0;
  return h;
}

/** gzip's OS byte (offset 9 of the header) → 255, whatever zlib was built for. */
function fixGzipOs(): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (seen <= 9 && seen + chunk.length > 9) {
        chunk = Buffer.from(chunk);
        chunk[9 - seen] = 0xff;
      }
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

/** Writes the tar stream of `entries` into `pack`, one entry at a time, streaming large files. */
async function feed(pack: Pack, entries: FileEntry[], mtime: number): Promise<void> {
  for (const e of entries) {
    const h = header(e, mtime);
    if (e.type === 'file' && e.content === undefined && e.open) {
      const size = e.size;
      if (size === undefined) throw new GokilnError('E_UNSAFE', `layer entry ${e.path}: a streamed file needs its size`);
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry(h, (err) => (err ? reject(err) : resolve()));
        void (async () => {
          let written = 0;
          for await (const chunk of e.open!() as AsyncIterable<Buffer>) {
            written += chunk.length;
            if (!sink.write(chunk)) await new Promise<void>((r) => sink.once('drain', () => r()));
          }
          if (written !== size)
            throw new GokilnError(
              'E_IO',
              `layer entry ${e.path}: read ${written} bytes, expected ${size} (the file changed while it was read)`,
            );
          (sink as unknown as { end(): void }).end();
        })().catch((err: unknown) => reject(err as Error));
        // the pack is destroyed with the first error (tarStream); the open entry must not raise it again
        sink.on('error', () => undefined);
      });
    } else {
      await new Promise<void>((resolve, reject) => {
        const cb = (err?: Error | null) => (err ? reject(err) : resolve());
        if (e.type === 'file') pack.entry(h, Buffer.from(e.content ?? new Uint8Array()), cb);
        else pack.entry(h, cb);
      });
    }
  }
  pack.finalize();
}

/**
 * The reproducible tar of `entries` as a stream (sorted, parents added); `done` settles when every entry
 * was written, rejecting with the first error (which also ends the stream).
 */
export function tarStream(entries: FileEntry[], opts: LayerOptions): { stream: AsyncIterable<Uint8Array>; done: Promise<void> } {
  const sorted = normaliseEntries(entries, opts.addParents ?? true);
  const pack = tarPack();
  // the error reaches the caller through `done` and the stream's iterator; streamx would also throw it as an event
  pack.on('error', () => undefined);
  const done = feed(pack, sorted, opts.mtime).catch((e: unknown) => {
    pack.destroy(e as Error);
    throw e;
  });
  return { stream: pack as unknown as AsyncIterable<Uint8Array>, done };
}

export async function writeLayer(
  entries: FileEntry[] | AsyncIterable<FileEntry>,
  store: BlobStore,
  opts: LayerOptions,
): Promise<LayerResult> {
  const list: FileEntry[] = [];
  for await (const e of entries) list.push(e);
  const { stream, done } = tarStream(list, opts);
  const diff = hashingTap();
  const [blob] = await Promise.all([
    store.putStream(
      stream,
      diff.tap,
      createGzip({ level: opts.level ?? 9, memLevel: 9, strategy: zc.Z_DEFAULT_STRATEGY, chunkSize: 256 * 1024 }),
      fixGzipOs(),
    ),
    done,
  ]);
  const tar = diff.result();
  return {
    descriptor: { mediaType: opts.mediaType ?? MEDIA.ociLayerGzip, digest: blob.digest, size: blob.size },
    diffId: tar.digest,
    tarSize: tar.size,
  };
}

/** A layer from an existing uncompressed tar stream (the embedded base): gzip it the same reproducible way. */
export async function writeLayerFromTar(
  tar: Readable | AsyncIterable<Uint8Array>,
  store: BlobStore,
  mediaType: string = MEDIA.ociLayerGzip,
): Promise<LayerResult> {
  const diff = hashingTap();
  const blob = await store.putStream(tar, diff.tap, createGzip({ level: 9, memLevel: 9, chunkSize: 256 * 1024 }), fixGzipOs());
  const t = diff.result();
  return { descriptor: { mediaType, digest: blob.digest, size: blob.size }, diffId: t.digest, tarSize: t.size };
}
