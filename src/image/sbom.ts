/**
 * An SPDX 2.3 JSON document (https://spdx.github.io/spdx-spec/v2.3/) for a built image, from what the Go
 * linker recorded in each binary (main module, dependency modules with versions, Go version, build settings)
 * and the Debian packages of the base. Deterministic: the creation time is the image's `created`, and the
 * namespace is derived from the image digest, so the same image gives the same SBOM bytes.
 */
export interface SbomBinary {
  name: string;
  platform: string;
  goVersion: string | null;
  main: { path: string; version: string } | null;
  deps: Array<{ path: string; version: string }>;
  settings: Record<string, string>;
}

export interface SbomInput {
  image: string;
  digest: string;
  created: string;
  tool: string;
  binaries: SbomBinary[];
  basePackages: Array<{ name: string; version: string }>;
}

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  primaryPackagePurpose?: string;
  externalRefs?: Array<{ referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }>;
  comment?: string;
}

const purl = (locator: string) => [
  { referenceCategory: 'PACKAGE-MANAGER' as const, referenceType: 'purl' as const, referenceLocator: locator },
];
/** purl's golang type: namespace/name lowercased only where the spec says; a module path is kept as written, `/` separated and percent-encoded otherwise. */
const goPurl = (path: string, version: string) =>
  `pkg:golang/${path.split('/').map(encodeURIComponent).join('/')}@${encodeURIComponent(version)}`;

export function spdxDocument(input: SbomInput): string {
  const packages: SpdxPackage[] = [];
  const relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }> = [];
  const hex = input.digest.replace(/^sha256:/, '');
  packages.push({
    SPDXID: 'SPDXRef-Image',
    name: input.image,
    versionInfo: input.digest,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: 'CONTAINER',
  });
  relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Image' });
  const modules = new Map<string, string>();
  input.binaries.forEach((b, i) => {
    const id = `SPDXRef-Binary-${i}`;
    const settings = Object.entries(b.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    packages.push({
      SPDXID: id,
      name: `${b.main?.path ?? b.name} (${b.name}, ${b.platform})`,
      ...(b.main ? { versionInfo: b.main.version } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'APPLICATION',
      ...(b.main ? { externalRefs: purl(goPurl(b.main.path, b.main.version)) } : {}),
      comment: `built with ${b.goVersion ?? 'an unknown Go'}; build settings: ${settings}`,
    });
    relationships.push({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: id });
    if (b.goVersion) {
      const sid = `SPDXRef-Go-${b.goVersion.replace(/[^A-Za-z0-9.-]/g, '-')}`;
      if (!packages.some((p) => p.SPDXID === sid))
        packages.push({
          SPDXID: sid,
          name: 'stdlib',
          versionInfo: b.goVersion,
          downloadLocation: 'NOASSERTION',
          filesAnalyzed: false,
          primaryPackagePurpose: 'LIBRARY',
          externalRefs: purl(`pkg:golang/stdlib@${b.goVersion}`),
        });
      relationships.push({ spdxElementId: id, relationshipType: 'DEPENDS_ON', relatedSpdxElement: sid });
    }
    for (const d of b.deps) {
      const key = `${d.path}@${d.version}`;
      if (!modules.has(key)) {
        const mid = `SPDXRef-Module-${modules.size}`;
        modules.set(key, mid);
        packages.push({
          SPDXID: mid,
          name: d.path,
          versionInfo: d.version,
          downloadLocation: 'NOASSERTION',
          filesAnalyzed: false,
          primaryPackagePurpose: 'LIBRARY',
          externalRefs: purl(goPurl(d.path, d.version)),
        });
      }
      relationships.push({ spdxElementId: id, relationshipType: 'DEPENDS_ON', relatedSpdxElement: modules.get(key)! });
    }
  });
  input.basePackages.forEach((p, i) => {
    const id = `SPDXRef-Deb-${i}`;
    packages.push({
      SPDXID: id,
      name: p.name,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      externalRefs: purl(`pkg:deb/debian/${p.name}@${encodeURIComponent(p.version)}?arch=all&distro=debian-12`),
    });
    relationships.push({ spdxElementId: 'SPDXRef-Image', relationshipType: 'CONTAINS', relatedSpdxElement: id });
  });
  return JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: input.image,
    documentNamespace: `https://gokiln.dev/spdx/${hex}`,
    creationInfo: { created: input.created, creators: [`Tool: ${input.tool}`] },
    packages,
    relationships,
  });
}
