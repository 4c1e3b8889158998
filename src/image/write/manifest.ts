/**
 * Image config, manifest and index documents with a fixed key order, so the same inputs always give the
 * same bytes and digests. OCI media types by default; Docker v2 schema 2 on request; a document never mixes
 * the two (a Docker manifest gets Docker config and layer types, a Docker list only Docker manifests).
 */
import { MEDIA, canonicalJson, sha256Digest, type Descriptor, type ImageConfig, type Platform } from '../oci.js';

export type MediaStyle = 'oci' | 'docker';

export function mediaTypes(style: MediaStyle): { manifest: string; index: string; config: string; layerGzip: string } {
  return style === 'oci'
    ? { manifest: MEDIA.ociManifest, index: MEDIA.ociIndex, config: MEDIA.ociConfig, layerGzip: MEDIA.ociLayerGzip }
    : { manifest: MEDIA.dockerManifest, index: MEDIA.dockerManifestList, config: MEDIA.dockerConfig, layerGzip: MEDIA.dockerLayerGzip };
}

export interface Document {
  bytes: string;
  descriptor: Descriptor;
}

function doc(mediaType: string, value: unknown, extra: Partial<Descriptor> = {}): Document {
  const bytes = canonicalJson(value);
  return { bytes, descriptor: { mediaType, digest: sha256Digest(bytes), size: Buffer.byteLength(bytes), ...extra } };
}

/** The config in a fixed key order (whatever order the caller's object had). */
export function configDocument(style: MediaStyle, c: ImageConfig): Document {
  const inner: ImageConfig['config'] = {};
  const k = c.config;
  if (k.User !== undefined) inner.User = k.User;
  if (k.ExposedPorts !== undefined) inner.ExposedPorts = k.ExposedPorts;
  if (k.Env !== undefined) inner.Env = k.Env;
  if (k.Entrypoint !== undefined) inner.Entrypoint = k.Entrypoint;
  if (k.Cmd !== undefined) inner.Cmd = k.Cmd;
  if (k.WorkingDir !== undefined) inner.WorkingDir = k.WorkingDir;
  if (k.Labels !== undefined) inner.Labels = Object.fromEntries(Object.entries(k.Labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  const value: Record<string, unknown> = {};
  if (c.created !== undefined) value.created = c.created;
  value.architecture = c.architecture;
  if (c.variant !== undefined) value.variant = c.variant;
  value.os = c.os;
  value.config = inner;
  value.rootfs = { type: 'layers', diff_ids: c.rootfs.diff_ids };
  if (c.history)
    value.history = c.history.map((h) => ({
      ...(h.created ? { created: h.created } : {}),
      ...(h.created_by ? { created_by: h.created_by } : {}),
      ...(h.comment ? { comment: h.comment } : {}),
      ...(h.empty_layer ? { empty_layer: true } : {}),
    }));
  return doc(mediaTypes(style).config, value);
}

function sortedAnnotations(a: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!a || Object.keys(a).length === 0) return undefined;
  return Object.fromEntries(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : 1)));
}

export function manifestDocument(
  style: MediaStyle,
  config: Descriptor,
  layers: Descriptor[],
  annotations?: Record<string, string>,
): Document {
  const t = mediaTypes(style);
  const value: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: t.manifest,
    config: { mediaType: t.config, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  // Docker's schema 2 has no annotations field: they are kept for OCI manifests only
  const ann = style === 'oci' ? sortedAnnotations(annotations) : undefined;
  if (ann) value.annotations = ann;
  return doc(t.manifest, value);
}

export function indexDocument(
  style: MediaStyle,
  manifests: Array<{ descriptor: Descriptor; platform: Platform }>,
  annotations?: Record<string, string>,
): Document {
  const t = mediaTypes(style);
  const value: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: t.index,
    manifests: manifests.map((m) => ({
      mediaType: m.descriptor.mediaType,
      digest: m.descriptor.digest,
      size: m.descriptor.size,
      platform: platformValue(m.platform),
    })),
  };
  const ann = style === 'oci' ? sortedAnnotations(annotations) : undefined;
  if (ann) value.annotations = ann;
  return doc(t.index, value);
}

function platformValue(p: Platform): Platform {
  const v: Platform = { architecture: p.architecture, os: p.os };
  if (p.variant) v.variant = p.variant;
  return v;
}
