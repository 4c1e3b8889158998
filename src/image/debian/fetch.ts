/**
 * HTTP(S) downloads from a Debian mirror, streamed to a temporary file while hashed, then checked against
 * the sha256 (and size) the signed Release file or the Packages index gave, and only then stored in the
 * content cache. A file already in the cache is never fetched again, so a build whose packages are cached
 * needs no network at all.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GokilnError } from '../../errors.js';
import type { ContentCache } from './cache.js';

export interface Expected {
  sha256: string;
  size?: number;
}

const TIMEOUT_MS = 120_000;

/** GET a URL into memory (small files: InRelease). E_NETWORK when the mirror cannot be reached, E_REGISTRY on an HTTP error. */
export async function fetchBytes(url: string): Promise<Buffer> {
  const res = await get(url);
  return Buffer.from(await res.arrayBuffer());
}

async function get(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new GokilnError('E_NETWORK', `cannot reach ${url}: ${why}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new GokilnError('E_REGISTRY', `${url}: HTTP ${res.status} ${res.statusText}`);
  }
  return res;
}

/** Streams `url` into `tmp` while hashing it. */
async function download(url: string, tmp: string): Promise<{ sha256: string; size: number }> {
  const res = await get(url);
  if (!res.body) throw new GokilnError('E_REGISTRY', `${url}: empty response`);
  await mkdir(dirname(tmp), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  try {
    await pipeline(body, createWriteStream(tmp));
  } catch (e) {
    throw new GokilnError('E_NETWORK', `download of ${url} failed: ${(e as Error).message}`);
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The cached path of the file with this sha256, downloading it from `url` when it is not cached yet.
 * A download whose hash or size differs is discarded with E_DIGEST naming both hashes.
 */
export async function fetchVerified(url: string, want: Expected, cache: ContentCache): Promise<string> {
  const dest = cache.pathOf(want.sha256);
  if (cache.has(want.sha256)) return dest;
  const tmp = `${dest}.${process.pid}.${Date.now()}.part`;
  try {
    const got = await download(url, tmp);
    if (got.sha256 !== want.sha256 || (want.size !== undefined && got.size !== want.size)) {
      throw new GokilnError(
        'E_DIGEST',
        `${url}: sha256 ${got.sha256} (${got.size} bytes) does not match the expected ${want.sha256}${want.size !== undefined ? ` (${want.size} bytes)` : ''}`,
      );
    }
    await rename(tmp, dest);
    return dest;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Downloads `url` with no expected hash and stores it under the hash it has (content addressing stays
 * true: the name is what the bytes hash to). Only for files used as hints, never for image content.
 */
export async function fetchToCache(url: string, cache: ContentCache): Promise<{ path: string; sha256: string }> {
  const tmp = `${cache.pathOf('unverified')}.${process.pid}.${Date.now()}.part`;
  try {
    const { sha256 } = await download(url, tmp);
    const dest = cache.pathOf(sha256);
    await rename(tmp, dest);
    return { path: dest, sha256 };
  } finally {
    await rm(tmp, { force: true });
  }
}
