/**
 * A CycloneDX 1.5 JSON BOM (https://cyclonedx.org/docs/1.5/json/) for a built image, from the same input as
 * the SPDX document (sbom.ts): the image as metadata.component (type container), each binary an application
 * with its Go build settings as properties, the Go standard library and every module a library (purl
 * pkg:golang), the base's Debian packages (purl pkg:deb), and the dependency graph. Made with the CycloneDX
 * project's own library (@cyclonedx/cyclonedx-library: models and the 1.5 serializer), not by hand.
 * Deterministic: bom-refs are fixed names, lists sorted, the timestamp is the image's `created`, the serial
 * number is derived from the image digest.
 */
// the subpaths, not the package root: the root also loads the XML serializer and validators' optional plug-ins
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { SbomInput } from './sbom.js';

const goPurl = (path: string, version: string) =>
  `pkg:golang/${path.split('/').map(encodeURIComponent).join('/')}@${encodeURIComponent(version)}`;

/** An RFC 4122 layout of the digest's first 128 bits (version nibble 8: custom), so the same image has the same serial. */
function serialOf(hex: string): string {
  const h = hex.slice(0, 32).split('');
  h[12] = '8';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `urn:uuid:${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

export function cyclonedxDocument(input: SbomInput): string {
  const hex = input.digest.replace(/^sha256:/, '');
  const [, toolName = input.tool, toolVersion] = /^(.*?)-(\d.*)$/.exec(input.tool) ?? [];
  const image = new Models.Component(Enums.ComponentType.Container, input.image, { bomRef: 'image', version: input.digest });
  const bom = new Models.Bom({
    serialNumber: serialOf(hex),
    metadata: new Models.Metadata({
      timestamp: new Date(input.created),
      component: image,
      tools: new Models.Tools({
        components: new Models.ComponentRepository([
          new Models.Component(Enums.ComponentType.Application, toolName, { ...(toolVersion ? { version: toolVersion } : {}) }),
        ]),
      }),
    }),
  });
  const shared = new Map<string, Models.Component>();
  const library = (ref: string, name: string, version: string, purl: string) => {
    let c = shared.get(ref);
    if (!c) {
      c = new Models.Component(Enums.ComponentType.Library, name, { bomRef: ref, version, purl });
      shared.set(ref, c);
      bom.components.add(c);
    }
    return c;
  };
  input.binaries.forEach((b, i) => {
    const properties = new Models.PropertyRepository([
      new Models.Property('gokiln:binary', b.name),
      new Models.Property('gokiln:platform', b.platform),
      ...Object.entries(b.settings).map(([k, v]) => new Models.Property(`gokiln:go:build:${k}`, v)),
    ]);
    const app = new Models.Component(Enums.ComponentType.Application, b.main?.path ?? b.name, {
      bomRef: `binary-${i}`,
      ...(b.main ? { version: b.main.version, purl: goPurl(b.main.path, b.main.version) } : {}),
      description: `${b.name} for ${b.platform}, built with ${b.goVersion ?? 'an unknown Go'}`,
      properties,
    });
    bom.components.add(app);
    image.dependencies.add(app.bomRef);
    if (b.goVersion)
      app.dependencies.add(library(`go-stdlib-${b.goVersion}`, 'stdlib', b.goVersion, `pkg:golang/stdlib@${b.goVersion}`).bomRef);
    for (const d of b.deps)
      app.dependencies.add(library(`module-${d.path}@${d.version}`, d.path, d.version, goPurl(d.path, d.version)).bomRef);
  });
  for (const p of input.basePackages) {
    const deb = library(
      `deb-${p.name}@${p.version}`,
      p.name,
      p.version,
      `pkg:deb/debian/${p.name}@${encodeURIComponent(p.version)}?distro=debian-12`,
    );
    image.dependencies.add(deb.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot5));
  return serializer.serialize(bom, { sortLists: true });
}
