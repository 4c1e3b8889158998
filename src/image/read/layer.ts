/**
 * Streams one layer (tar, gzip'd tar) into an ImageTree: entry by entry, content discarded unless a check
 * asked for it, so a layer of any size costs the memory of its metadata. Hostile input (names climbing out
 * of the root, absurd sizes, too many entries, truncated streams) ends in a typed error, never a crash.
 * Layer rules: OCI image-spec v1.1 layer.md (whiteouts `.wh.NAME`, opaque `.wh..wh..opq`), see
 * docs/knowledge.md "Image formats".
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { GokilnError } from '../../errors.js';
import { zstdDecompressor } from '../../io/zstd.js';
import { type FileNode, type ImageTree, type Node, normalizeEntryName } from './tree.js';

export interface ReadLimits {
  /** one entry's declared size */
  maxEntryBytes: number;
  /** all entries of all layers together (a tar bomb stops here) */
  maxTotalBytes: number;
  /** entries in all layers together */
  maxEntries: number;
  /** one captured file's bytes (kept in memory) */
  maxCaptureBytes: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxEntryBytes: 4 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxEntries: 2_000_000,
  maxCaptureBytes: 512 * 1024 ** 2,
};

/** What to do with a regular file's bytes while they stream by: keep them, summarise them, or drop them. */
export type Capture = 'keep' | 'summary' | null;

export interface ApplyOptions {
  limits: ReadLimits;
  /** running totals across layers */
  totals: { bytes: number; entries: number };
  capture?: (path: string, size: number) => Capture;
  /** turns the bytes of a 'summary' file into something small kept on the node (`summary`) */
  summarize?: (bytes: Uint8Array, path: string) => unknown;
}

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

/** The tar stream of a layer, whatever its compression (sniffed from the bytes, not trusted from the media type). */
export async function tarStream(raw: Readable, what: string): Promise<Readable> {
  // `for await … break` would destroy the source; read through an iterator we keep instead
  const it = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let got = 0;
  while (got < 4) {
    const r = await it.next();
    if (r.done) break;
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    chunks.push(b);
    got += b.length;
  }
  const first = Buffer.concat(chunks);
  const rest = Readable.from(
    (async function* () {
      if (first.length) yield first;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })(),
  );
  if (GZIP.every((b, i) => first[i] === b)) {
    const gz = createGunzip({ chunkSize: 256 * 1024 });
    rest.on('error', (e) => gz.destroy(e));
    return rest.pipe(gz);
  }
  if (ZSTD.every((b, i) => first[i] === b)) {
    // Node's zlib (22.15+) or the fzstd fallback on older lines: io/zstd.ts decides
    const zd = zstdDecompressor(what);
    rest.on('error', (e) => zd.destroy(e));
    return rest.pipe(zd);
  }
  return rest;
}

function typeError(e: unknown, what: string): GokilnError {
  if (e instanceof GokilnError) return e;
  const err = e as NodeJS.ErrnoException;
  const m = err?.message ?? String(e);
  if (err?.code === 'Z_BUF_ERROR' || /unexpected end/i.test(m))
    return new GokilnError('E_TRUNCATED', `${what} ends early (truncated download or file): ${m}`);
  if (err?.code?.startsWith?.('Z_') || /incorrect header check|invalid/i.test(m))
    return new GokilnError('E_CORRUPT', `${what} is not a valid layer: ${m}`);
  return new GokilnError('E_IO', `${what}: ${m}`);
}

/** A tar entry's content stream (streamx, not a Node Readable: only these calls are used). */
interface EntryStream {
  resume(): unknown;
  on(event: 'data' | 'end' | 'error', fn: (...args: unknown[]) => void): unknown;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Applies a layer's tar stream (already decompressed or not) to the tree. */
export async function applyLayer(raw: Readable, tree: ImageTree, layer: number, what: string, opts: ApplyOptions): Promise<void> {
  try {
    const input = await tarStream(raw, what);
    const extract = tar.extract();
    extract.on('entry', (h, stream, next) => {
      // the entry is destroyed with the error that ends the extraction; that error is reported once, by the pipeline
      stream.on('error', () => undefined);
      const done = (e?: unknown) => {
        if (e) {
          stream.resume();
          next(asError(e));
        } else next();
      };
      try {
        onEntry(h, stream, tree, layer, opts, done);
      } catch (e) {
        done(e);
      }
    });
    await pipeline(input, extract);
  } catch (e) {
    throw typeError(e, what);
  }
}

function onEntry(
  h: tar.Header,
  stream: EntryStream,
  tree: ImageTree,
  layer: number,
  opts: ApplyOptions,
  next: (e?: unknown) => void,
): void {
  const { limits, totals } = opts;
  const size = h.size ?? 0;
  if (!Number.isSafeInteger(size) || size < 0 || size > limits.maxEntryBytes) {
    throw new GokilnError(
      'E_UNSAFE',
      `layer entry ${JSON.stringify(h.name)} declares ${size} bytes, over the limit of ${limits.maxEntryBytes}`,
    );
  }
  totals.bytes += size;
  if (totals.bytes > limits.maxTotalBytes)
    throw new GokilnError('E_UNSAFE', `the image's layers hold more than ${limits.maxTotalBytes} bytes (a tar bomb?)`);
  if (++totals.entries > limits.maxEntries)
    throw new GokilnError('E_UNSAFE', `the image's layers hold more than ${limits.maxEntries} entries (a tar bomb?)`);
  if (h.name.length > 4096) throw new GokilnError('E_UNSAFE', `layer entry name longer than 4096 bytes`);
  const path = normalizeEntryName(h.name);
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash) || '/';
  const base = path.slice(slash + 1);
  const meta = { mode: (h.mode ?? 0o644) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0, layer };
  if (base.startsWith('.wh.')) {
    if (base === '.wh..wh..opq') tree.opaque(dir, layer);
    else tree.whiteout(dir, base.slice(4), layer);
    stream.resume();
    stream.on('end', () => next());
    return;
  }
  if (path === '/') {
    stream.resume();
    stream.on('end', () => next());
    return;
  }
  let node: Node;
  switch (h.type) {
    case 'directory':
      node = { type: 'dir', ...meta, children: new Map() };
      break;
    case 'symlink':
      node = { type: 'symlink', ...meta, target: h.linkname ?? '' };
      break;
    case 'link': {
      const target = normalizeEntryName(h.linkname ?? '');
      const t = tree.lookup(target, false);
      if (!t.node || t.node.type !== 'file')
        throw new GokilnError('E_CORRUPT', `hard link ${path} points to ${target}, which is not a regular file of the image`);
      node = { ...t.node, layer, linkOf: target };
      break;
    }
    case 'file':
    case 'contiguous-file':
    case undefined:
    case null: {
      const f: FileNode = { type: 'file', ...meta, size, origin: { layer, path } };
      node = f;
      const how = opts.capture?.(path, size) ?? null;
      if (how && size <= limits.maxCaptureBytes) {
        collect(
          stream,
          size,
          (bytes) => {
            if (how === 'keep') f.content = bytes;
            else f.summary = opts.summarize?.(bytes, path);
            tree.put(path, f);
          },
          next,
        );
        return;
      }
      break;
    }
    default:
      node = { type: 'other', ...meta, kind: h.type ?? 'unknown' };
  }
  tree.put(path, node);
  stream.resume();
  stream.on('end', () => next());
}

/** Gathers an entry's bytes into one buffer of its declared size. */
function collect(stream: EntryStream, size: number, onBytes: (b: Uint8Array) => void, next: (e?: unknown) => void): void {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  stream.on('data', (arg?: unknown) => {
    const c = arg as Buffer;
    if (off + c.length > size) return; // more than declared: tar-stream never does this; ignore the excess
    c.copy(buf, off);
    off += c.length;
  });
  stream.on('end', () => {
    try {
      onBytes(buf.subarray(0, off));
      next();
    } catch (e) {
      next(e);
    }
  });
  stream.on('error', (e?: unknown) => next(e));
}

/** Reads the bytes of some paths of one layer (a second, targeted pass for files found only after the first). */
export async function readLayerFiles(
  raw: Readable,
  paths: Set<string>,
  what: string,
  limits: ReadLimits,
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  try {
    const input = await tarStream(raw, what);
    const extract = tar.extract();
    extract.on('entry', (h, stream, next) => {
      // the entry is destroyed with the error that ends the extraction; that error is reported once, by the pipeline
      stream.on('error', () => undefined);
      let path: string;
      try {
        path = normalizeEntryName(h.name);
      } catch (e) {
        stream.resume();
        next(asError(e));
        return;
      }
      const size = h.size ?? 0;
      if (paths.has(path) && (h.type === 'file' || h.type === 'contiguous-file') && size <= limits.maxCaptureBytes) {
        collect(
          stream,
          size,
          (b) => out.set(path, b),
          (e) => next(e === undefined ? null : asError(e)),
        );
        return;
      }
      stream.resume();
      stream.on('end', () => next());
    });
    await pipeline(input, extract);
  } catch (e) {
    throw typeError(e, what);
  }
  return out;
}
