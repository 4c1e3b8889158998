/**
 * `gokiln build --sbom cyclonedx`: the CycloneDX 1.5 BOM attached to the image as an OCI artifact
 * (artifactType application/vnd.cyclonedx+json, subject = the image, tag sha256-<hex>.sbom) is valid against
 * the CycloneDX 1.5 JSON schema (the official schema files, checked by ajv, not by the library that wrote it),
 * names what the binary's own build info says (`go version -m`: Go, main module, each dependency), the base's
 * Debian packages, and is byte-identical when the same image is built again.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { needTool } from '../project/helpers.js';
import { gokiln, probeProject } from './helpers.js';
import { scratchDir } from '../harness/scratch.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const json = <T>(s: string): T => JSON.parse(s) as T;
const blob = (layout: string, digest: string) => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));

/** The schema files as the CycloneDX project publishes them (shipped in the library's res/schema). */
function schemaValidator() {
  const res = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const load = (f: string) => json<Record<string, unknown>>(readFileSync(join(res, f), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // bom-1.5 names its two companions relative to its own $id, by these file names
  for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    const { $id: _id, ...schema } = load(f);
    ajv.addSchema(schema, `http://cyclonedx.org/schema/${f}`);
  }
  return ajv.compile(load('bom-1.5.SNAPSHOT.schema.json'));
}

interface CdxComponent {
  'bom-ref': string;
  type: string;
  name: string;
  version?: string;
  purl?: string;
  properties?: Array<{ name: string; value: string }>;
}
interface Cdx {
  bomFormat: string;
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; component: CdxComponent };
  components: CdxComponent[];
  dependencies: Array<{ ref: string; dependsOn?: string[] }>;
}

describe('gokiln build --sbom cyclonedx', { skip: needTool('go') ? false : 'go needed' }, () => {
  // a module with one real dependency, so the BOM has a module to name
  const src = probeProject(
    { 'dep/go.mod': 'module example.com/dep\n\ngo 1.22\n', 'dep/dep.go': 'package dep\n\nfunc Answer() int { return 42 }\n' },
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/dep"\n)\n\nfunc main() { fmt.Println(dep.Answer()) }\n',
  );
  const work = scratchDir('gokiln-cyclonedx-');
  after(() => rmSync(src, { recursive: true, force: true }));

  test('valid CycloneDX 1.5, the binary build info in it, the same bytes twice', () => {
    execFileSync('sh', ['-c', 'cat >> go.mod <<EOF\nrequire example.com/dep v0.0.0\nreplace example.com/dep => ./dep\nEOF'], { cwd: src });
    const bins: string[] = [];
    const boms: string[] = [];
    for (const run of ['a', 'b']) {
      const layout = join(work, run);
      const r = gokiln(['build', src, '--oci', layout, '--tag', 'cdx:1', '--sbom', 'cyclonedx', '--json']);
      assert.equal(r.status, 0, r.stderr);
      const out = json<{ digest: string; sbom: { format: string; digest: string; tag: string } }>(r.stdout);
      assert.equal(out.sbom.format, 'cyclonedx');
      const index = json<{ manifests: Array<{ digest: string; artifactType?: string; annotations: Record<string, string> }> }>(
        readFileSync(join(layout, 'index.json'), 'utf8'),
      );
      const entry = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === out.sbom.tag)!;
      assert.equal(entry.artifactType, 'application/vnd.cyclonedx+json');
      const art = json<{ artifactType: string; subject: { digest: string }; layers: Array<{ mediaType: string; digest: string }> }>(
        readFileSync(blob(layout, entry.digest), 'utf8'),
      );
      assert.equal(art.subject.digest, out.digest);
      assert.equal(art.layers[0]!.mediaType, 'application/vnd.cyclonedx+json');
      boms.push(readFileSync(blob(layout, art.layers[0]!.digest), 'utf8'));
      execFileSync('tar', [
        '-xzf',
        blob(
          layout,
          json<{ layers: Array<{ digest: string }> }>(readFileSync(blob(layout, index.manifests[0]!.digest), 'utf8')).layers.at(-1)!.digest,
        ),
        '-C',
        layout,
        'app/probe',
      ]);
      bins.push(join(layout, 'app', 'probe'));
    }
    assert.equal(boms[0], boms[1], 'the same image gives the same BOM bytes');

    const validate = schemaValidator();
    const doc = json<Cdx>(boms[0]!);
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 1));
    assert.equal(doc.bomFormat, 'CycloneDX');
    assert.equal(doc.specVersion, '1.5');
    // a broken document is refused by the same validator (the check can fail)
    assert.equal(validate({ ...doc, components: [{ name: 'no type' }] }), false);

    // the truth: what the Go toolchain reads from the binary itself
    const info = execFileSync('go', ['version', '-m', bins[0]!], { encoding: 'utf8' });
    const goVersion = /^\S+: (go\S+)/.exec(info)![1]!;
    const mod = /^\tmod\t(\S+)\t(\S+)/m.exec(info)!;
    const dep = /^\tdep\t(\S+)\t(\S+)/m.exec(info)!;
    const byRef = new Map(doc.components.map((c) => [c['bom-ref'], c]));
    const app = doc.components.find((c) => c.type === 'application')!;
    assert.equal(app.name, mod[1]);
    assert.equal(app.version, mod[2]);
    assert.ok(app.properties?.some((p) => p.name === 'gokiln:go:build:CGO_ENABLED' && p.value === '0'));
    const appDeps = doc.dependencies.find((d) => d.ref === app['bom-ref'])!.dependsOn!.map((r) => byRef.get(r)!);
    assert.ok(
      appDeps.some((c) => c.name === 'stdlib' && c.version === goVersion && c.purl === `pkg:golang/stdlib@${goVersion}`),
      `stdlib ${goVersion}`,
    );
    assert.ok(
      appDeps.some((c) => c.name === dep[1] || c.name === './dep'),
      `the dependency ${dep[1]}: ${appDeps.map((c) => c.name).join(', ')}`,
    );
    const image = doc.metadata.component;
    assert.equal(image.type, 'container');
    const imageDeps = doc.dependencies.find((d) => d.ref === image['bom-ref'])!.dependsOn!.map((r) => byRef.get(r)?.name);
    for (const p of ['ca-certificates', 'tzdata', 'netbase']) assert.ok(imageDeps.includes(p), `the base package ${p}`);
  });
});
