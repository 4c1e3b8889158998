/**
 * The embedded base: what distroless/static holds (users, groups, CA bundle, zoneinfo, network databases,
 * /tmp, /home/nonroot), shipped in the npm package as assets/embedded-base/base.tar.gz, so a build needs no
 * registry and no network. Its files hold no executable, so one layer serves every platform; only the config
 * (architecture) differs. The tar's sha256 is checked against lock.json on every use.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { GokilnError } from '../../errors.js';
import type { ImageConfig, Platform } from '../oci.js';
import type { BlobStore } from '../write/blob-store.js';
import { writeLayerFromTar, type LayerResult } from '../write/layer.js';
import { configDocument, manifestDocument, mediaTypes, type MediaStyle } from '../write/manifest.js';
import { CA_BUNDLE } from './assemble.js';

export interface EmbeddedLock {
  date: string;
  packages: Array<{ name: string; version: string; url: string; sha256: string }>;
  tar: { sha256: string; size: number };
}

export interface BaseImage {
  /** `embedded` */
  name: string;
  /** the base's own manifest digest for this platform (what `base.digest` names) */
  digest: string;
  /** a day (YYYY-MM-DD) */
  date: string;
  /** one line: the packages it was made from */
  description: string;
  layers: LayerResult[];
  config: ImageConfig;
}

export const BASE_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `SSL_CERT_FILE=${CA_BUNDLE}`];

/** assets/embedded-base, found upwards from this module (dist/src/image/base or the bundled dist/bin). */
export function embeddedAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'assets', 'embedded-base');
    if (existsSync(join(p, 'lock.json'))) return p;
    dir = dirname(dir);
  }
  throw new GokilnError('E_NOT_FOUND', 'the embedded base (assets/embedded-base) is missing from this gokiln installation');
}

export function embeddedLock(): EmbeddedLock {
  return JSON.parse(readFileSync(join(embeddedAssetsDir(), 'lock.json'), 'utf8')) as EmbeddedLock;
}

const layerCache = new WeakMap<BlobStore, Map<string, Promise<LayerResult>>>();

/** `${XDG_CACHE_HOME:-~/.cache}/gokiln/embedded-base`: the base layer as gzip made it once, by the tar's digest. */
function layerCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'gokiln', 'embedded-base');
}

interface CachedLayer {
  digest: string;
  size: number;
  tarSize: number;
}

/**
 * The gzip of the base's tar from an earlier build: level 9 costs ~0.3-0.5 s a build on this machine for the
 * same bytes every time. The blob is hashed again as it is copied in and must have the recorded digest, so a
 * damaged cache is a fresh compression, never a wrong layer.
 */
async function fromCache(store: BlobStore, lock: EmbeddedLock, mediaType: string): Promise<LayerResult | null> {
  const dir = layerCacheDir();
  const record = join(dir, `${lock.tar.sha256}.json`);
  try {
    const c = JSON.parse(readFileSync(record, 'utf8')) as CachedLayer;
    const blob = await store.putStream(createReadStream(join(dir, c.digest.replace(/^sha256:/, ''))));
    if (blob.digest !== c.digest) return null;
    return { descriptor: { mediaType, digest: c.digest, size: blob.size }, diffId: `sha256:${lock.tar.sha256}`, tarSize: c.tarSize };
  } catch {
    return null;
  }
}

/** Keeps the layer for the next build (temporary names, then renames); a cache that cannot be written is skipped. */
async function toCache(store: BlobStore, lock: EmbeddedLock, l: LayerResult): Promise<void> {
  const dir = layerCacheDir();
  try {
    await mkdir(dir, { recursive: true });
    const hex = l.descriptor.digest.replace(/^sha256:/, '');
    const tmp = `.${process.pid}-${Date.now()}`;
    await copyFile(store.path(l.descriptor.digest), join(dir, hex + tmp));
    await rename(join(dir, hex + tmp), join(dir, hex));
    const record: CachedLayer = { digest: l.descriptor.digest, size: l.descriptor.size, tarSize: l.tarSize };
    await writeFile(join(dir, `${lock.tar.sha256}.json${tmp}`), JSON.stringify(record));
    await rename(join(dir, `${lock.tar.sha256}.json${tmp}`), join(dir, `${lock.tar.sha256}.json`));
  } catch {
    // a read-only home: the next build compresses again
  }
}

/** The base layer in `store`, written once per store and media style; the tar's digest is checked. */
async function baseLayer(store: BlobStore, style: MediaStyle, lock: EmbeddedLock): Promise<LayerResult> {
  let m = layerCache.get(store);
  if (!m) layerCache.set(store, (m = new Map()));
  let p = m.get(style);
  if (!p) {
    const file = join(embeddedAssetsDir(), 'base.tar.gz');
    const mediaType = mediaTypes(style).layerGzip;
    p = fromCache(store, lock, mediaType).then(
      (cached) =>
        cached ??
        writeLayerFromTar(createReadStream(file).pipe(createGunzip()), store, mediaType).then(async (l) => {
          if (l.diffId !== `sha256:${lock.tar.sha256}`) {
            throw new GokilnError(
              'E_DIGEST',
              `${file}: the embedded base's tar has digest ${l.diffId}, lock.json says sha256:${lock.tar.sha256}; reinstall gokiln`,
              { file },
            );
          }
          await toCache(store, lock, l);
          return l;
        }),
    );
    m.set(style, p);
  }
  return p;
}

export async function embeddedBase(store: BlobStore, platform: Platform, style: MediaStyle): Promise<BaseImage> {
  const lock = embeddedLock();
  const layer = await baseLayer(store, style, lock);
  const description = lock.packages.map((p) => `${p.name} ${p.version}`).join(', ');
  return singleLayerBase(
    {
      name: 'embedded',
      date: lock.date,
      description,
      created: `${lock.date}T00:00:00Z`,
      createdBy: `gokiln embedded base ${lock.date} (Debian 12 data: ${description})`,
    },
    layer,
    platform,
    style,
  );
}

/**
 * A base of one layer as gokiln makes them (the embedded base, a Debian package base): distroless's
 * nonroot user and home, the base's env, one history entry.
 */
export function singleLayerBase(
  about: { name: string; date: string; description: string; created: string; createdBy: string },
  layer: BaseImage['layers'][number],
  platform: Platform,
  style: MediaStyle,
): BaseImage {
  const config: ImageConfig = {
    created: about.created,
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
    os: platform.os,
    config: { User: '65532:65532', Env: BASE_ENV, WorkingDir: '/home/nonroot' },
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created: about.created, created_by: about.createdBy }],
  };
  const cfg = configDocument(style, config);
  const manifest = manifestDocument(style, cfg.descriptor, [layer.descriptor]);
  return {
    name: about.name,
    digest: manifest.descriptor.digest,
    date: about.date,
    description: about.description,
    layers: [layer],
    config,
  };
}
