/**
 * A registry image as an ImageSource: the manifest asked for with every manifest media type in Accept, an
 * index resolved by platform (refused with E_PLATFORM naming the platforms it has), the config's digest
 * checked, and each layer's digest checked while it is streamed.
 */
import { Readable } from 'node:stream';
import { digestCheck } from '../digest-stream.js';
import { GokilnError } from '../../errors.js';
import {
  MANIFEST_ACCEPT,
  formatPlatform,
  isIndexMediaType,
  sha256Digest,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type Manifest,
  type Platform,
} from '../oci.js';
import type { ImageSource, ResolvedImage } from '../source.js';
import { RegistryClient } from './client.js';
import { credentialsFor } from './credentials.js';
import { registryRef } from './reference.js';

function matches(want: Platform, p: Platform | undefined): boolean {
  if (!p) return false;
  if (p.os !== want.os || p.architecture !== want.architecture) return false;
  // arm64's variant is v8 whether written or not; otherwise a variant asked for must match
  const norm = (x: Platform) => x.variant ?? (x.architecture === 'arm64' ? 'v8' : undefined);
  return !want.variant || norm(want) === norm(p);
}

export function registrySource(raw: string, opts: { insecure?: string[]; env?: NodeJS.ProcessEnv } = {}): ImageSource {
  const ref = registryRef(raw, opts.insecure ?? []);
  const client = new RegistryClient(ref, { credentials: credentialsFor(ref.host, opts.env) });
  const reference = ref.digest ?? ref.tag ?? 'latest';

  const getManifest = async (refOrDigest: string): Promise<{ bytes: Buffer; mediaType: string; digest: string }> => {
    const res = await client.request(`/v2/${ref.repository}/manifests/${refOrDigest}`, {
      method: 'GET',
      headers: { Accept: MANIFEST_ACCEPT.join(', ') },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (refOrDigest.startsWith('sha256:') && digest !== refOrDigest)
      throw new GokilnError('E_DIGEST', `${raw}: manifest ${refOrDigest} has digest ${digest}`);
    const mediaType = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? res.headers.get('content-type') ?? '';
    return { bytes, mediaType, digest };
  };
  const blob = async (d: Descriptor): Promise<Readable> => {
    const res = await client.request(`/v2/${ref.repository}/blobs/${d.digest}`, { method: 'GET' });
    if (!res.body) throw new GokilnError('E_REGISTRY', `${raw}: blob ${d.digest} has no body`);
    return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream).pipe(
      digestCheck(d.digest, `${raw} blob ${d.digest}`, d.size),
    );
  };
  let top: Promise<{ bytes: Buffer; mediaType: string; digest: string }> | null = null;
  const first = () => (top ??= getManifest(reference));

  return {
    name: raw,
    async index(): Promise<ImageIndex | null> {
      const m = await first();
      return isIndexMediaType(m.mediaType) ? (JSON.parse(m.bytes.toString('utf8')) as ImageIndex) : null;
    },
    async resolve(platform: Platform): Promise<ResolvedImage> {
      let m = await first();
      if (isIndexMediaType(m.mediaType)) {
        const idx = JSON.parse(m.bytes.toString('utf8')) as ImageIndex;
        const pick = idx.manifests.find((d) => matches(platform, d.platform));
        if (!pick)
          throw new GokilnError(
            'E_PLATFORM',
            `${raw} has no ${formatPlatform(platform)} image; it has ${idx.manifests.map((d) => (d.platform ? formatPlatform(d.platform) : 'unknown')).join(', ')}`,
          );
        m = await getManifest(pick.digest);
      }
      const manifest = JSON.parse(m.bytes.toString('utf8')) as Manifest;
      const chunks: Buffer[] = [];
      for await (const c of await blob(manifest.config)) chunks.push(c as Buffer);
      const configBytes = Buffer.concat(chunks);
      const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
      if (config.os !== platform.os || config.architecture !== platform.architecture) {
        throw new GokilnError(
          'E_PLATFORM',
          `${raw} is a ${config.os}/${config.architecture} image; ${formatPlatform(platform)} was asked for`,
        );
      }
      return { name: raw, manifestDigest: m.digest, manifest, config, configBytes, openLayer: blob };
    },
  };
}
