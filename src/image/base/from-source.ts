/**
 * A base image from any ImageSource (a registry today): its layers copied into the build's blob store (each
 * digest checked while streamed), its config's env, history and diff IDs kept. Layer media types follow
 * the output's style, so a manifest never mixes OCI and Docker types: gzip layers are the same bytes under
 * either name; a zstd layer has no Docker name and is refused for `--media-types docker`.
 */
import { GokilnError } from '../../errors.js';
import { MEDIA, type Descriptor } from '../oci.js';
import type { ResolvedImage } from '../source.js';
import type { BlobStore } from '../write/blob-store.js';
import { mediaTypes, type MediaStyle } from '../write/manifest.js';
import type { BaseImage } from './embedded.js';

function layerType(d: Descriptor, style: MediaStyle): string {
  const gz = [MEDIA.ociLayerGzip, MEDIA.dockerLayerGzip] as string[];
  if (gz.includes(d.mediaType)) return mediaTypes(style).layerGzip;
  if (d.mediaType === MEDIA.ociLayerZstd && style === 'oci') return d.mediaType;
  if (d.mediaType === MEDIA.ociLayerTar || d.mediaType === 'application/vnd.docker.image.rootfs.diff.tar') {
    return style === 'oci' ? MEDIA.ociLayerTar : 'application/vnd.docker.image.rootfs.diff.tar';
  }
  throw new GokilnError(
    'E_UNSUPPORTED',
    `base layer ${d.digest} has media type ${d.mediaType}, which ${style === 'docker' ? 'Docker v2 manifests cannot name (use OCI media types)' : 'gokiln does not handle'}`,
  );
}

export async function baseFromImage(img: ResolvedImage, store: BlobStore, style: MediaStyle): Promise<BaseImage> {
  const diffIds = img.config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== img.manifest.layers.length) {
    throw new GokilnError('E_CORRUPT', `${img.name}: ${img.manifest.layers.length} layers but ${diffIds.length} diff IDs in its config`);
  }
  const layers = [];
  for (const [i, d] of img.manifest.layers.entries()) {
    const mediaType = layerType(d, style);
    if (!store.has(d.digest)) await store.putStream(await img.openLayer(d));
    layers.push({ descriptor: { mediaType, digest: d.digest, size: d.size }, diffId: diffIds[i]!, tarSize: 0 });
  }
  return {
    name: img.name,
    digest: img.manifestDigest,
    date: img.config.created?.slice(0, 10) ?? 'unknown',
    description: `${img.config.os}/${img.config.architecture}, ${layers.length} layer${layers.length === 1 ? '' : 's'}`,
    layers,
    config: img.config,
  };
}
