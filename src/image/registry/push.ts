/**
 * The registry publisher: every blob (HEAD first: what is there is not sent again, so a rerun completes an
 * interrupted push), uploaded with POST then a monolithic PUT (distribution 2.8 has no single-request upload),
 * falling back to chunked PATCH uploads where the registry refuses the monolithic PUT; then the per-platform
 * manifests by digest, and only then the tag — no tag ever points at a half-pushed image. The SBOM artifact
 * follows under `sha256-<hex>.sbom`. The registry's own digest (Docker-Content-Digest) is checked.
 * A blob the base brought from another repository of the same registry is mounted from there first
 * (`POST …/blobs/uploads/?mount=<digest>&from=<repo>`, distribution spec "Mounting a blob from another
 * repository"): 201 means the registry linked it without a byte sent; 202 opens an ordinary upload session,
 * which is then used as it is. A blob gokiln pushed before to another repository of the same registry is mounted
 * from there the same way (pushed-blobs.ts). Blobs go up BLOB_JOBS at a time, as ko's publisher does; the
 * manifests only after every blob is there.
 */
import { GokilnError } from '../../errors.js';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import type { BuiltImage } from '../write/built-image.js';
import { RegistryClient, registryErrorCodes } from './client.js';
import { credentialsFor, type Credentials } from './credentials.js';
import { registryRef, type RegistryRef } from './reference.js';
import { PushedBlobs } from './pushed-blobs.js';

/** blobs checked and sent at once: round trips overlap; more gains little against one registry */
const BLOB_JOBS = 4;

export interface PushOptions {
  insecure?: string[];
  credentials?: Credentials | null;
  env?: NodeJS.ProcessEnv;
  onProgress?: (message: string) => void;
  /** PATCH chunk size for the fallback (default 8 MiB) */
  chunkSize?: number;
  attempts?: number;
  backoffMs?: number;
  /** where the base's blobs already are: mounted from there when it is the same registry host */
  mountFrom?: MountSource;
  /** the directory of the pushed-blob memory (gokilnCacheDir('pushed')); none: no memory read or kept */
  memoryDir?: string;
}

export interface MountSource {
  host: string;
  repository: string;
  digests: string[];
}

export interface PushResult {
  ref: string;
  digest: string;
  blobsSent: number;
  blobsPresent: number;
  /** blobs the registry linked from another repository (201 to a mount request): the base's, or one gokiln pushed them to before */
  blobsMounted: number;
  sbomTag: string | null;
}

const OCTET = { 'Content-Type': 'application/octet-stream' };

function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

async function startUpload(c: RegistryClient, ref: RegistryRef): Promise<string> {
  const res = await c.request(`/v2/${ref.repository}/blobs/uploads/`, { method: 'POST', headers: { 'Content-Length': '0' } }, 'pull,push');
  await res.body?.cancel();
  const loc = res.headers.get('location');
  if (res.status !== 202 || !loc) throw new GokilnError('E_REGISTRY', `POST blobs/uploads: HTTP ${res.status} without an upload location`);
  return new URL(loc, ref.base).toString();
}

/** Asks the registry to link `digest` from `from`: true when it did (201); else the upload session it opened (202). */
async function mountBlob(c: RegistryClient, ref: RegistryRef, digest: string, from: string): Promise<true | string> {
  const q = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
  const res = await c.request(
    `/v2/${ref.repository}/blobs/uploads/?${q}`,
    { method: 'POST', headers: { 'Content-Length': '0' } },
    'pull,push',
    [`repository:${from}:pull`],
  );
  await res.body?.cancel();
  if (res.status === 201) return true;
  const loc = res.headers.get('location');
  if (res.status !== 202 || !loc)
    throw new GokilnError('E_REGISTRY', `POST blobs/uploads/?mount: HTTP ${res.status} without an upload location`);
  return new URL(loc, ref.base).toString();
}

async function uploadBlob(
  c: RegistryClient,
  ref: RegistryRef,
  image: BuiltImage,
  digest: string,
  chunkSize: number,
  session?: string,
): Promise<void> {
  const size = await image.store.size(digest);
  let loc = session ?? (await startUpload(c, ref));
  const put = await c.request(
    withDigest(loc, digest),
    {
      method: 'PUT',
      headers: { ...OCTET, 'Content-Length': String(size) },
      body: () => Readable.toWeb(image.store.open(digest)) as ReadableStream,
      accept: [400, 405, 413, 416, 501],
    },
    'pull,push',
  );
  if (put.status === 201) return void (await put.body?.cancel());
  const text = await put.text().catch(() => '');
  if (registryErrorCodes(text).includes('DIGEST_INVALID'))
    throw new GokilnError('E_DIGEST', `PUT ${digest}: ${ref.host} computed another digest for the blob sent`);
  // the registry wants chunks: a new session, PATCH each range, then PUT with the digest and no body
  loc = await startUpload(c, ref);
  const path = image.store.path(digest);
  const bytes = readFileSync(path);
  for (let start = 0; start < size || (size === 0 && start === 0); start += chunkSize) {
    const end = Math.min(size, start + chunkSize);
    const chunk = bytes.subarray(start, end);
    // distribution 2.8 wants `Content-Range: start-end` without the `bytes=` prefix
    const res = await c.request(
      loc,
      {
        method: 'PATCH',
        headers: { ...OCTET, 'Content-Length': String(chunk.length), 'Content-Range': `${start}-${Math.max(start, end - 1)}` },
        body: () => chunk,
      },
      'pull,push',
    );
    await res.body?.cancel();
    const next = res.headers.get('location');
    if (next) loc = new URL(next, ref.base).toString();
    if (size === 0) break;
  }
  const fin = await c.request(withDigest(loc, digest), { method: 'PUT', headers: { 'Content-Length': '0' } }, 'pull,push');
  await fin.body?.cancel();
}

async function putManifest(
  c: RegistryClient,
  ref: RegistryRef,
  image: BuiltImage,
  digest: string,
  mediaType: string,
  reference: string,
): Promise<void> {
  const bytes = readFileSync(image.store.path(digest));
  const res = await c.request(
    `/v2/${ref.repository}/manifests/${reference}`,
    { method: 'PUT', headers: { 'Content-Type': mediaType }, body: () => bytes },
    'pull,push',
  );
  await res.body?.cancel();
  const got = res.headers.get('docker-content-digest');
  if (got && got !== digest)
    throw new GokilnError('E_DIGEST', `PUT manifest ${reference}: ${ref.host} stored it as ${got}, gokiln wrote ${digest}`);
}

export async function pushImage(image: BuiltImage, raw: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = registryRef(raw, opts.insecure ?? []);
  if (ref.digest) throw new GokilnError('E_USAGE', `--push ${raw}: push to a tag, not a digest`);
  const tag = ref.tag ?? image.tag;
  const credentials = opts.credentials !== undefined ? opts.credentials : credentialsFor(ref.host, opts.env);
  const c = new RegistryClient(ref, {
    credentials,
    ...(opts.attempts ? { attempts: opts.attempts } : {}),
    ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
  });
  const blobs = new Set<string>();
  for (const p of image.platforms) for (const d of [p.config, ...p.layers]) blobs.add(d.digest);
  const sbom = image.extras[0];
  let sbomBlobs: string[] = [];
  if (sbom) {
    const m = JSON.parse(readFileSync(image.store.path(sbom.descriptor.digest), 'utf8')) as {
      config: { digest: string };
      layers: Array<{ digest: string }>;
    };
    sbomBlobs = [m.config.digest, ...m.layers.map((l) => l.digest)];
  }
  const all = [...blobs, ...sbomBlobs];
  let sent = 0;
  let present = 0;
  let mounted = 0;
  const from = opts.mountFrom && opts.mountFrom.host === ref.host && opts.mountFrom.repository !== ref.repository ? opts.mountFrom : null;
  const mountable = new Set(from?.digests ?? []);
  const memory = opts.memoryDir ? new PushedBlobs(opts.memoryDir, ref.host) : null;
  await memory?.load();
  const mountSource = (d: string): string | null => {
    const r = from && mountable.has(d) ? from.repository : (memory?.repositoryOf(d) ?? null);
    return r && r !== ref.repository ? r : null;
  };
  const pushBlob = async (d: string, i: number): Promise<void> => {
    const head = await c.request(`/v2/${ref.repository}/blobs/${d}`, { method: 'HEAD', accept: [404] }, 'pull,push');
    await head.body?.cancel();
    if (head.status === 200) return void present++;
    let session: string | undefined;
    const source = mountSource(d);
    if (source) {
      const m = await mountBlob(c, ref, d, source);
      if (m === true) return void mounted++;
      session = m;
    }
    opts.onProgress?.(`pushing blob ${i + 1}/${all.length} ${d.slice(7, 19)} (${((await image.store.size(d)) / 1048576).toFixed(1)} MB)`);
    await uploadBlob(c, ref, image, d, opts.chunkSize ?? 8 << 20, session);
    sent++;
  };
  let next = 0;
  let failed = false;
  // the first failure stops every worker from taking another blob; the push then fails with it
  const worker = async (): Promise<void> => {
    while (!failed && next < all.length) {
      const i = next++;
      await pushBlob(all[i]!, i).catch((e: unknown) => {
        failed = true;
        throw e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLOB_JOBS, all.length) }, worker));
  if (image.platforms.length > 1) {
    for (const p of image.platforms) await putManifest(c, ref, image, p.manifest.digest, p.manifest.mediaType, p.manifest.digest);
  }
  await putManifest(c, ref, image, image.top.digest, image.top.mediaType, tag);
  if (sbom) await putManifest(c, ref, image, sbom.descriptor.digest, sbom.descriptor.mediaType, sbom.refName);
  await memory?.record(ref.repository, all);
  return {
    ref: `${ref.host}/${ref.repository}:${tag}`,
    digest: image.top.digest,
    blobsSent: sent,
    blobsPresent: present,
    blobsMounted: mounted,
    sbomTag: sbom?.refName ?? null,
  };
}
