/**
 * `docker save` / `podman save` / `skopeo copy docker-archive:` files: a tar with `manifest.json`
 * ([{Config, RepoTags, Layers}]), the config and the layer tars as members. Newer Docker writes an OCI
 * layout in the same tar (index.json + blobs/); that form is read as an OCI layout.
 */
import type { Readable } from 'node:stream';
import { GokilnError } from '../../errors.js';
import { MEDIA, type Descriptor, type ImageConfig, type Manifest, type Platform, formatPlatform, sha256Digest } from '../oci.js';
import type { ImageSource, ResolvedImage } from '../source.js';
import { digestCheck } from './digest-check.js';
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
    const layers: Descriptor[] = e.Layers.map((path, i) => ({
      mediaType: MEDIA.ociLayerTar,
      digest: diffIds[i] ?? '',
      size: this.store.size(path),
      annotations: { 'org.gokiln.archive.path': path },
    }));
    const manifest: Manifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: MEDIA.ociConfig, digest: sha256Digest(configBytes), size: configBytes.length }, layers };
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
        // an uncompressed layer's digest is its diff_id; a compressed one is named by a blobs/sha256 path or not checked
        const head = store.peek(path, 2);
        const fromName = /(?:^|\/)sha256\/([0-9a-f]{64})$/.exec(path)?.[1];
        const expected = fromName ? `sha256:${fromName}` : head[0] === 0x1f && head[1] === 0x8b ? null : layer.digest || null;
        if (!expected) return raw;
        const check = digestCheck(expected, `${name}: layer ${path}`);
        raw.on('error', (err) => check.destroy(err));
        return raw.pipe(check);
      },
    };
  }
}
