import { createHash } from 'node:crypto';
/**
 * `docker save` / `podman save` / `skopeo copy docker-archive:` files: a tar with `manifest.json`
 * ([{Config, RepoTags, Layers}]), the config and the layer tars as members. Newer Docker writes an OCI
 * layout in the same tar (index.json + blobs/); that form is read as an OCI layout.
 */
import type { Readable } from 'node:stream';
import { GokilnError } from '../../errors.js';
import { MEDIA, type Descriptor, type ImageConfig, type Manifest, type Platform, formatPlatform, sha256Digest } from '../oci.js';
import type { ImageSource, ResolvedImage } from '../source.js';
import { digestCheck } from '../digest-stream.js';
import { OciLayoutSource, parseJson, platformMatches } from './oci-layout.js';
import { TarStore } from './store.js';

interface ArchiveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export function openDockerArchive(file: string, name: string, strictPlatform = true): ImageSource {
  const store = TarStore.open(file);
  if (store.has('manifest.json')) return new DockerArchiveSource(name, store, strictPlatform);
  if (OciLayoutSource.isLayout(store)) return new OciLayoutSource(name, store, null, strictPlatform);
  throw new GokilnError('E_PARSE', `${file}: not a docker-archive (no manifest.json) nor an OCI layout (no index.json)`, { file });
}

class DockerArchiveSource implements ImageSource {
  constructor(
    readonly name: string,
    private readonly store: TarStore,
    private readonly strictPlatform: boolean,
  ) {}

  async index(): Promise<null> {
    return null;
  }

  async resolve(platform: Platform): Promise<ResolvedImage> {
    const entries = parseJson<ArchiveEntry[]>(this.store.read('manifest.json'), `${this.name}: manifest.json`);
    const e = entries[0];
    if (!Array.isArray(entries) || !e || typeof e.Config !== 'string' || !Array.isArray(e.Layers)) {
      throw new GokilnError('E_PARSE', `${this.name}: manifest.json names no image`);
    }
    const configBytes = this.store.read(e.Config);
    const config = parseJson<ImageConfig>(configBytes, `${this.name}: ${e.Config}`);
    const have: Platform = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
    if (this.strictPlatform && !platformMatches(have, platform)) {
      throw new GokilnError('E_PLATFORM', `${this.name}: the image is for ${formatPlatform(have)}, not ${formatPlatform(platform)}`);
    }
    const diffIds = config.rootfs?.diff_ids ?? [];
    // a layer's descriptor names its stored bytes: `docker save` stores plain tars (digest = diff_id), an
    // archive with an OCI layout inside stores compressed blobs under blobs/sha256/<digest>; any other
    // compressed layer is hashed once here, so a publisher copying it keeps a digest that matches its bytes
    const layers: Descriptor[] = [];
    for (const [i, path] of e.Layers.entries()) {
      const head = this.store.peek(path, 4);
      const gzip = head[0] === 0x1f && head[1] === 0x8b;
      const zstd = head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;
      const fromName = /(?:^|\/)sha256\/([0-9a-f]{64})$/.exec(path)?.[1];
      const digest = fromName ? `sha256:${fromName}` : !gzip && !zstd ? (diffIds[i] ?? '') : await hashStream(this.store.open(path));
      const mediaType = gzip ? MEDIA.ociLayerGzip : zstd ? MEDIA.ociLayerZstd : MEDIA.ociLayerTar;
      layers.push({ mediaType, digest, size: this.store.size(path), annotations: { 'org.gokiln.archive.path': path } });
    }
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: sha256Digest(configBytes), size: configBytes.length },
      layers,
    };
    const store = this.store;
    const name = this.name;
    return {
      name,
      manifestDigest: sha256Digest(JSON.stringify(manifest)),
      manifest,
      config,
      configBytes,
      async openLayer(layer: Descriptor): Promise<Readable> {
        const path = layer.annotations?.['org.gokiln.archive.path'] ?? '';
        const raw = store.open(path);
        const expected = layer.digest || null;
        if (!expected) return raw;
        const check = digestCheck(expected, `${name}: layer ${path}`);
        raw.on('error', (err) => check.destroy(err));
        return raw.pipe(check);
      },
    };
  }
}

async function hashStream(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}
