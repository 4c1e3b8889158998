/**
 * The docker-archive publisher: one tar holding both what `docker load`/`podman load` read (`manifest.json`,
 * `repositories`) and a complete OCI layout (`oci-layout`, `index.json`, `blobs/sha256/…`), as `docker save`
 * writes it since Docker 25. manifest.json's Config and Layers point into blobs/sha256, so nothing is stored
 * twice. Several platforms give one manifest.json entry each; only one carries the tag, since a loader
 * would otherwise tag each in turn and leave the tag on the last: this machine's platform when it is one of
 * them, else the first. How podman 4.3 loads such an archive (checked here): with one image in index.json it
 * reads the tar as an OCI archive and stores the index's entry for the loading machine's platform; with more
 * (the SBOM beside the image) it falls back to manifest.json, stores every platform and tags the tagged
 * entry — a tag on an arm64 entry ran as `exec format error` on amd64. Written under a temporary name, then renamed.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { canonicalJson } from '../oci.js';
import { hostPlatform } from '../read/read-image.js';
import type { FileEntry } from '../source.js';
import type { BuiltImage } from './built-image.js';
import { tarStream } from './layer.js';
import { layoutIndex, moveIntoPlace } from './oci-layout.js';

const hex = (d: string) => d.replace(/^sha256:/, '');
const blobPath = (d: string) => `blobs/sha256/${hex(d)}`;

/** The platform manifest.json tags: this machine's, else the first. */
export function taggedPlatform(image: BuiltImage): number {
  const host = hostPlatform();
  const i = image.platforms.findIndex((p) => p.platform.os === host.os && p.platform.architecture === host.architecture);
  return i < 0 ? 0 : i;
}

export function archiveManifest(image: BuiltImage): string {
  const tagged = taggedPlatform(image);
  return canonicalJson(
    image.platforms.map((p, i) => ({
      Config: blobPath(p.config.digest),
      RepoTags: i === tagged ? [`${image.repository}:${image.tag}`] : [],
      Layers: p.layers.map((l) => blobPath(l.digest)),
    })),
  );
}

export async function writeDockerArchive(image: BuiltImage, file: string, opts: { force: boolean; mtime: number }): Promise<void> {
  const text = (path: string, s: string): FileEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, content: Buffer.from(s) });
  const first = image.platforms[taggedPlatform(image)]!;
  const entries: FileEntry[] = [
    text('/oci-layout', canonicalJson({ imageLayoutVersion: '1.0.0' })),
    text('/index.json', layoutIndex(image, { qualified: true })),
    text('/manifest.json', archiveManifest(image)),
    text('/repositories', canonicalJson({ [image.repository]: { [image.tag]: hex(first.layers.at(-1)!.digest) } })),
  ];
  const digests = new Set<string>();
  for (const p of image.platforms) for (const d of [p.manifest, p.config, ...p.layers]) digests.add(d.digest);
  digests.add(image.top.digest);
  for (const x of image.extras) digests.add(x.descriptor.digest);
  // an SBOM artifact manifest names its own blobs: every blob in the store goes in
  for (const d of await listBlobs(image)) digests.add(d);
  for (const d of [...digests].sort()) {
    const size = await image.store.size(d);
    entries.push({
      path: `/${blobPath(d)}`,
      type: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      size,
      open: () => createReadStream(image.store.path(d)),
    });
  }
  const tmp = `${file}.gokiln-${randomBytes(4).toString('hex')}`;
  const { stream, done } = tarStream(entries, { mtime: opts.mtime });
  try {
    await Promise.all([pipeline(Readable.from(stream), createWriteStream(tmp)), done]);
    await moveIntoPlace(tmp, file, opts.force);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function listBlobs(image: BuiltImage): Promise<string[]> {
  const names = await readdir(`${image.store.dir}/blobs/sha256`);
  return names.filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => `sha256:${n}`);
}
