/**
 * An OCI image layout (image-spec v1.1 image-layout.md): `oci-layout`, `index.json`, `blobs/sha256/…`,
 * in a directory (`oci:DIR[:TAG]`) or inside a tar (a docker-archive written as an OCI layout).
 * The tag is the `org.opencontainers.image.ref.name` annotation of an index entry.
 */
import type { Readable } from 'node:stream';
import { GokilnError } from '../../errors.js';
import {
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type Manifest,
  type Platform,
  formatPlatform,
  isDigest,
  isIndexMediaType,
  sha256Digest,
} from '../oci.js';
import type { ImageSource, ResolvedImage } from '../source.js';
import type { BlobStore } from './store.js';
import { digestCheck } from '../digest-stream.js';

const REF_NAME = 'org.opencontainers.image.ref.name';

export function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
  } catch (e) {
    throw new GokilnError('E_PARSE', `${what} is not valid JSON: ${(e as Error).message}`);
  }
}

export function blobPath(digest: string): string {
  // a digest names a file: anything but sha256 hex could be a path
  if (!isDigest(digest)) throw new GokilnError('E_UNSAFE', `not a sha256 digest: ${JSON.stringify(digest)}`);
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}

/** Two platforms match when os and architecture do, and the variant when both name one. */
export function platformMatches(have: Platform | undefined, want: Platform): boolean {
  if (!have) return false;
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  return !want.variant || !have.variant || have.variant === want.variant;
}

export class OciLayoutSource implements ImageSource {
  constructor(
    readonly name: string,
    private readonly store: BlobStore,
    private readonly tag: string | null,
    /** false: a layout holding one image gives it whatever its platform (the user named no platform) */
    private readonly strictPlatform = true,
  ) {}

  static isLayout(store: BlobStore): boolean {
    return store.has('index.json') && store.has('oci-layout');
  }

  private blob(d: Descriptor, what: string): Uint8Array {
    const bytes = this.store.read(blobPath(d.digest));
    if (sha256Digest(bytes) !== d.digest) throw new GokilnError('E_DIGEST', `${this.name}: ${what} ${d.digest} does not match its content`);
    return bytes;
  }

  async index(): Promise<ImageIndex | null> {
    return parseJson<ImageIndex>(this.store.read('index.json'), `${this.name}: index.json`);
  }

  /** The index entries the tag selects (all of them without a tag). */
  private async top(): Promise<Descriptor[]> {
    const all = (await this.index())?.manifests ?? [];
    if (all.length === 0) throw new GokilnError('E_NOT_FOUND', `${this.name}: the layout holds no image`);
    if (this.tag === null) return all;
    const d = all.filter((m) => m.annotations?.[REF_NAME] === this.tag);
    if (d.length === 0) {
      const tags = all.map((m) => m.annotations?.[REF_NAME]).filter(Boolean);
      throw new GokilnError('E_NOT_FOUND', `${this.name}: no image tagged ${this.tag} (tags: ${tags.join(', ') || 'none'})`);
    }
    return d;
  }

  /** One of several entries: the only one, or the one for the platform (E_PLATFORM naming those there are). */
  private pick(ms: Descriptor[], platform: Platform): Descriptor {
    if (ms.length === 1 && (!ms[0]!.platform || !this.strictPlatform)) return ms[0]!;
    const d = ms.find((m) => platformMatches(m.platform, platform));
    if (d) return d;
    if (ms.length === 1 && isIndexMediaType(ms[0]!.mediaType)) return ms[0]!;
    const have = ms.map((m) => (m.platform ? formatPlatform(m.platform) : '?')).join(', ');
    throw new GokilnError('E_PLATFORM', `${this.name}: no image for ${formatPlatform(platform)} (it has: ${have || 'none'})`);
  }

  async resolve(platform: Platform): Promise<ResolvedImage> {
    let d = this.pick(await this.top(), platform);
    for (let depth = 0; isIndexMediaType(d.mediaType); depth++) {
      if (depth > 4) throw new GokilnError('E_CORRUPT', `${this.name}: indexes nested more than 4 deep`);
      const idx = parseJson<ImageIndex>(this.blob(d, 'index'), `${this.name}: index ${d.digest}`);
      d = this.pick(idx.manifests ?? [], platform);
    }
    const manifestBytes = this.blob(d, 'manifest');
    const manifest = parseJson<Manifest>(manifestBytes, `${this.name}: manifest ${d.digest}`);
    if (!manifest.config || !Array.isArray(manifest.layers))
      throw new GokilnError('E_PARSE', `${this.name}: manifest ${d.digest} has no config or layers`);
    const configBytes = this.blob(manifest.config, 'config');
    const config = parseJson<ImageConfig>(configBytes, `${this.name}: config`);
    const store = this.store;
    const name = this.name;
    return {
      name,
      manifestDigest: d.digest,
      manifest,
      config,
      configBytes,
      async openLayer(layer: Descriptor): Promise<Readable> {
        const path = blobPath(layer.digest);
        if (!store.has(path)) throw new GokilnError('E_NOT_FOUND', `${name}: layer ${layer.digest} is missing from the layout`);
        const check = digestCheck(layer.digest, `${name}: layer ${layer.digest}`);
        const raw = store.open(path);
        raw.on('error', (e) => check.destroy(e));
        return raw.pipe(check);
      },
    };
  }
}
