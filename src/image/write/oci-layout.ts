/**
 * The OCI image layout publisher (image-spec v1.1 image-layout.md): `oci-layout`, `index.json` and the blobs
 * already in the staging store. The layout is assembled in a temporary directory beside the target and
 * renamed into place only when complete; an existing target is replaced only with `force`.
 */
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GokilnError } from '../../errors.js';
import { MEDIA, canonicalJson } from '../oci.js';
import type { BuiltImage } from './built-image.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';

/**
 * index.json of a layout holding `image`: the image under its tag, then the extras (SBOM) under theirs.
 * `qualified` names them `repository:tag` instead: podman loads a docker-archive that is also an OCI archive
 * as the OCI archive first and takes ref.name as the whole image name (a bare `1` became `localhost/1:latest`),
 * so inside an archive the name is the one `docker load` reads from manifest.json's RepoTags.
 */
export function layoutIndex(image: BuiltImage, opts: { qualified?: boolean } = {}): string {
  const name = (tag: string) => (opts.qualified ? `${image.repository}:${tag}` : tag);
  const manifests = [
    { mediaType: image.top.mediaType, digest: image.top.digest, size: image.top.size, annotations: { [REF_NAME]: name(image.tag) } },
    ...image.extras.map((x) => ({
      mediaType: x.descriptor.mediaType,
      digest: x.descriptor.digest,
      size: x.descriptor.size,
      ...(x.descriptor.artifactType ? { artifactType: x.descriptor.artifactType } : {}),
      annotations: { [REF_NAME]: name(x.refName) },
    })),
  ];
  return canonicalJson({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests });
}

/** Writes `oci-layout` and `index.json` into the store's directory, which is then a complete layout. */
export async function finishLayout(image: BuiltImage): Promise<void> {
  await writeFile(join(image.store.dir, 'oci-layout'), canonicalJson({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(image.store.dir, 'index.json'), layoutIndex(image));
}

/** Refuses an existing target unless forced: checked before any work starts. */
export function checkTarget(path: string, force: boolean): void {
  if (existsSync(path) && !force) throw new GokilnError('E_EXISTS', `${path} exists; use --force to replace it`, { file: path });
}

/** Moves a finished staging path onto `target`; an old target (with force) is removed only after the move. */
export async function moveIntoPlace(staging: string, target: string, force: boolean): Promise<void> {
  checkTarget(target, force);
  let old: string | null = null;
  if (existsSync(target)) {
    old = `${target}.gokiln-old-${randomBytes(4).toString('hex')}`;
    await rename(target, old);
  }
  await rename(staging, target);
  if (old) await rm(old, { recursive: true, force: true });
}
