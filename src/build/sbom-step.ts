/**
 * Attaches the SBOM (SPDX 2.3, or CycloneDX 1.5) to a built image as an OCI 1.1 artifact manifest (artifactType
 * application/spdx+json or application/vnd.cyclonedx+json,
 * the empty config, `subject` = the image), listed in the layout under the tag `sha256-<hex>.sbom` — the tag
 * scheme registries without the referrers API use (cosign's, also what `--push` will tag).
 */
import type { InspectOk } from '../analysis/types.js';
import { MEDIA, canonicalJson, formatPlatform, sha256Digest, type Platform } from '../image/oci.js';
import type { BuiltImage } from '../image/write/built-image.js';
import { spdxDocument, type SbomInput } from '../image/sbom.js';
import { embeddedLock } from '../image/base/embedded.js';
import { VERSION } from '../version.js';

const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256Digest('{}'), size: 2 };

export type SbomFormat = 'spdx' | 'cyclonedx';

export async function addSbom(
  image: BuiltImage,
  bins: Array<{ platform: Platform; name: string; facts: InspectOk }>,
  created: string,
  format: SbomFormat = 'spdx',
): Promise<{ format: SbomFormat; digest: string; tag: string }> {
  const input: SbomInput = {
    image: `${image.repository}:${image.tag}`,
    digest: image.top.digest,
    created,
    tool: `gokiln-${VERSION}`,
    binaries: bins.map((b) => ({
      name: b.name,
      platform: formatPlatform(b.platform),
      goVersion: b.facts.go?.version ?? null,
      main: b.facts.go?.main ? { path: b.facts.go.main.path, version: b.facts.go.main.version } : null,
      deps: (b.facts.go?.deps ?? []).map((d) =>
        d.replace ? { path: d.replace.path, version: d.replace.version } : { path: d.path, version: d.version },
      ),
      settings: b.facts.go?.settings ?? {},
    })),
    basePackages: embeddedLock().packages.map((p) => ({ name: p.name, version: p.version })),
  };
  // the CycloneDX library is loaded only when asked for: an SPDX build does not pay for it
  const doc = format === 'spdx' ? spdxDocument(input) : (await import('../image/sbom-cyclonedx.js')).cyclonedxDocument(input);
  const type = format === 'spdx' ? MEDIA.spdxJson : MEDIA.cyclonedxJson;
  const blob = await image.store.putBytes(doc);
  await image.store.putBytes('{}');
  const manifest = canonicalJson({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType: type,
    config: EMPTY,
    layers: [{ mediaType: type, digest: blob.digest, size: blob.size }],
    subject: { mediaType: image.top.mediaType, digest: image.top.digest, size: image.top.size },
    annotations: { 'org.opencontainers.image.created': created },
  });
  const m = await image.store.putBytes(manifest);
  const tag = `${image.top.digest.replace(':', '-')}.sbom`;
  image.extras.push({ descriptor: { mediaType: MEDIA.ociManifest, digest: m.digest, size: m.size, artifactType: type }, refName: tag });
  return { format, digest: m.digest, tag };
}
