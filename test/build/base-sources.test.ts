/**
 * `gokiln build --base oci:DIR[:TAG]` and `--base docker-archive:FILE` read the base with verify's image
 * sources: an image built on the embedded base and then used as a base gives an image whose layers are the
 * base's layers plus one application layer, whose base.digest annotation names the base's manifest, and
 * which verify judges runnable. A directory is refused as a base.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, probeProject } from './helpers.js';
import { scratchDir } from '../harness/scratch.js';

const json = <T>(s: string): T => JSON.parse(s) as T;
const blob = (layout: string, digest: string) => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));

describe('gokiln build --base from a layout or an archive', { skip: needTool('go') ? false : 'go needed' }, () => {
  const src = probeProject();
  const out = scratchDir('gokiln-build-base-');
  after(() => rmSync(src, { recursive: true, force: true }));

  test('oci:DIR:TAG and docker-archive:FILE bases: their layers first, one app layer, base.digest named, verify says runs', async () => {
    const baseLayout = join(out, 'base');
    const baseArchive = join(out, 'base.tar');
    for (const args of [
      ['--oci', baseLayout],
      ['--archive', baseArchive],
    ]) {
      const r = await gokilnAsync(['build', src, ...args, '--tag', 'base:1', '--sbom', 'none', '--json']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
    const baseIndex = json<{ manifests: Array<{ digest: string }> }>(readFileSync(join(baseLayout, 'index.json'), 'utf8'));
    const baseManifest = json<{ config: { digest: string }; layers: Array<{ digest: string }> }>(
      readFileSync(blob(baseLayout, baseIndex.manifests[0]!.digest), 'utf8'),
    );
    const diffIds = (layout: string, configDigest: string) =>
      json<{ rootfs: { diff_ids: string[] } }>(readFileSync(blob(layout, configDigest), 'utf8')).rootfs.diff_ids;
    const baseDiffIds = diffIds(baseLayout, baseManifest.config.digest);

    for (const base of [`oci:${baseLayout}:1`, `docker-archive:${baseArchive}`]) {
      const layout = join(out, base.startsWith('oci:') ? 'on-layout' : 'on-archive');
      const r = await gokilnAsync(['build', src, '--base', base, '--oci', layout, '--tag', 'app:1', '--sbom', 'none', '--json']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const index = json<{ manifests: Array<{ digest: string }> }>(readFileSync(join(layout, 'index.json'), 'utf8'));
      const m = json<{ config: { digest: string }; layers: Array<{ digest: string }>; annotations: Record<string, string> }>(
        readFileSync(blob(layout, index.manifests[0]!.digest), 'utf8'),
      );
      // the base's file system layers come first, unchanged (an archive may store them compressed otherwise: compare diff_ids)
      const ids = diffIds(layout, m.config.digest);
      assert.deepEqual(ids.slice(0, baseDiffIds.length), baseDiffIds, `${base}: the base's layers come first, unchanged`);
      assert.equal(m.layers.length, baseManifest.layers.length + 1, `${base}: one application layer on top`);
      assert.equal(m.annotations['org.opencontainers.image.base.name'], base);
      if (base.startsWith('oci:')) assert.equal(m.annotations['org.opencontainers.image.base.digest'], baseIndex.manifests[0]!.digest);
      else assert.match(m.annotations['org.opencontainers.image.base.digest']!, /^sha256:[0-9a-f]{64}$/);
      const v = await gokilnAsync(['verify', `oci:${layout}:1`, '--json']);
      assert.equal(v.status, 0, v.stdout + v.stderr);
      assert.equal(json<{ verdict: string }>(v.stdout).verdict, 'runs');
    }
  });

  test('a directory is not a base: E_USAGE, exit 2, nothing written', async () => {
    const target = join(out, 'never');
    const r = await gokilnAsync(['build', src, '--base', out, '--oci', target, '--json']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(json<{ error: { code: string } }>(r.stdout).error.code, 'E_USAGE');
    assert.throws(() => readFileSync(join(target, 'index.json')));
  });
});
