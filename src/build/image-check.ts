/**
 * The run-time check of a built image before anything is published: each binary is judged in its platform's
 * own image (the base's layers plus the application layer) by verify's static checks — loader, libraries,
 * symbol versions, user, CA certificates, zoneinfo. So a cgo binary on a base with the other libc, without a
 * loader, or with a glibc older than it was linked against is refused with the message the container would
 * print (`exec /app/x: no such file or directory`, ``version `GLIBC_2.34' not found``), and a base that fits
 * is built on. build and verify share a layer and may not import each other: src/index.ts hands verify's
 * checker in, and build knows only its shape (one checker, never a second copy of it).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { GokilnError } from '../errors.js';
import { formatPlatform, type Descriptor, type ImageConfig, type Manifest, type Platform } from '../image/oci.js';
import type { ResolvedImage } from '../image/source.js';
import type { BlobStore } from '../image/write/blob-store.js';
import type { Document } from '../image/write/manifest.js';

/** What verify's checks say about one binary of one image (the fields build reads of verify's result). */
export interface ImageCheckOutcome {
  verdict: 'runs' | 'fails';
  checks: Array<{ id: string; ok: boolean; severity: 'error' | 'warning'; message: string; fix: string | null }>;
}

export type ImageCheck = (image: ResolvedImage, opts: { binary: string }) => Promise<ImageCheckOutcome>;

/** A platform's image as it sits in the build's staging store, readable as any other resolved image. */
export function stagedImage(store: BlobStore, name: string, manifest: Document, config: Document): ResolvedImage {
  return {
    name,
    manifestDigest: manifest.descriptor.digest,
    manifest: JSON.parse(manifest.bytes) as Manifest,
    config: JSON.parse(config.bytes) as ImageConfig,
    configBytes: Buffer.from(config.bytes, 'utf8'),
    // the store hashed every blob as it was written; these are read back from the same disk moments later
    openLayer: async (layer: Descriptor): Promise<Readable> => createReadStream(store.path(layer.digest)),
  };
}

/**
 * Judges each binary in the image; the first binary with an error stops the build with every error the
 * checks found (the run-time message, then the fix). Warnings come back as notes.
 */
export async function checkBuiltImage(
  check: ImageCheck | undefined,
  image: ResolvedImage,
  binaries: Array<{ path: string; libc: string }>,
  baseName: string,
  platform: Platform,
): Promise<string[]> {
  if (!check)
    throw new GokilnError(
      'E_UNSUPPORTED',
      `the image on ${baseName} needs verify's checks before it is published: call buildImage from the gokiln library entry (src/index.ts), which wires them`,
    );
  const notes: string[] = [];
  for (const { path: binary, libc } of binaries) {
    const r = await check(image, { binary });
    const errors = r.checks.filter((c) => !c.ok && c.severity === 'error');
    if (r.verdict === 'fails' || errors.length) {
      const why = errors.map((c) => `  ${c.message.split('\n').join('\n  ')}${c.fix ? `\n  fix: ${c.fix}` : ''}`).join('\n');
      const hint =
        libc === 'glibc' && errors.some((c) => ['interpreter', 'libraries', 'symbol-versions'].includes(c.id))
          ? `\n  or: --paradigm ubuntu builds the base from the Debian packages the binary needs (glibc of the host's release)`
          : '';
      throw new GokilnError(
        'E_BUILD',
        `${binary} for ${formatPlatform(platform)} would not run on ${baseName}; the container would fail with:\n${why}${hint}`,
      );
    }
    for (const c of r.checks)
      if (!c.ok) notes.push(`${binary} on ${baseName} (${formatPlatform(platform)}): ${c.message}${c.fix ? ` (fix: ${c.fix})` : ''}`);
  }
  return notes;
}
