/**
 * Cross-repository blob mounts on push, against a real registry (Debian's docker-registry, distribution 2.8):
 * a build on a base from the same registry asks for each of the base's blobs with
 * `POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<base repo>`. The registry's own answers, seen by a
 * pass-through proxy, show 201 (linked, no byte sent) for every base layer and an upload only for the app
 * layer and config; when the source does not hold a blob the registry answers 202 with an upload session,
 * and the push uploads through that session. skopeo reads the results back.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, probeProject } from '../build/helpers.js';
import { startProxy, startRegistry, type Registry } from './registry-harness.js';

const skopeo = (args: string[]) => spawnSync('skopeo', args, { encoding: 'utf8', timeout: 120_000 });
const missing = ['go', 'docker-registry', 'skopeo'].filter((t) => !needTool(t));

interface Pushed {
  digest: string;
  output: { path: string; blobs: { sent: number; present: number; mounted: number } };
}

describe(
  'gokiln build --push mounts the base blobs from the same registry',
  { skip: missing.length ? `${missing.join(', ')} needed` : false },
  () => {
    let reg: Registry | null = null;
    const src = probeProject();
    // the app differs from the base (built from src), so its layer is a blob of its own
    const app = probeProject({}, 'package main\n\nfunc main() { println("mounted app") }\n');
    const empty = mkdtempSync(join(tmpdir(), 'gokiln-docker-config-empty-'));
    let baseLayers: string[] = [];

    before(async () => {
      reg = await startRegistry();
      // the base: an image pushed to base/probe of the same registry
      const r = await gokilnAsync(['build', src, '--push', `${reg.host}/base/probe:1`, '--sbom', 'none', '--json'], {
        DOCKER_CONFIG: empty,
      });
      assert.equal(r.status, 0, r.stderr);
      baseLayers = (
        JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${reg.host}/base/probe:1`]).stdout) as { Layers: string[] }
      ).Layers;
    });
    after(async () => {
      await reg?.stop();
      for (const d of [src, app, empty]) rmSync(d, { recursive: true, force: true });
    });

    const inspectLayers = (ref: string) =>
      (JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${ref}`]).stdout) as { Layers: string[] }).Layers;

    test('201: every base layer is mounted, only the app layer and the config are uploaded', async () => {
      const proxy = await startProxy(reg!.port, () => 'pass');
      try {
        const r = await gokilnAsync(
          ['build', app, '--base', `${proxy.host}/base/probe:1`, '--push', `${proxy.host}/app/mounted:1`, '--sbom', 'none', '--json'],
          { DOCKER_CONFIG: empty },
        );
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as Pushed;
        const mounts = proxy.seen.filter((s) => s.startsWith('POST /v2/app/mounted/blobs/uploads/?mount='));
        assert.deepEqual(
          mounts.sort(),
          baseLayers.map((d) => `POST /v2/app/mounted/blobs/uploads/?mount=${d}&from=base/probe 201`).sort(),
          'one mount per base layer, each answered 201 by the registry',
        );
        const uploads = proxy.seen.filter((s) => /^PUT \/v2\/app\/mounted\/blobs\/uploads\/\S+ 201$/.test(s));
        assert.equal(uploads.length, 2, `the app layer and the config are uploaded, nothing else:\n${proxy.seen.join('\n')}`);
        assert.deepEqual(out.output.blobs, { sent: 2, present: 0, mounted: baseLayers.length });
        const layers = inspectLayers(`${reg!.host}/app/mounted:1`);
        assert.deepEqual(layers.slice(0, baseLayers.length), baseLayers);
        // the mounted blobs are readable in the new repository: skopeo copies the whole image out of it
        const dst = mkdtempSync(join(tmpdir(), 'gokiln-mount-copy-'));
        try {
          const cp = skopeo(['copy', '--src-tls-verify=false', `docker://${reg!.host}/app/mounted:1`, `oci:${dst}:1`]);
          assert.equal(cp.status, 0, cp.stderr);
        } finally {
          rmSync(dst, { recursive: true, force: true });
        }
      } finally {
        await proxy.stop();
      }
    });

    test('202: a source repository without the blob opens an upload session, and the push uploads through it', async () => {
      // the mount names a repository that holds nothing: the registry falls back to an ordinary upload
      const proxy = await startProxy(reg!.port, () => 'pass', { rewrite: (u) => u.replace(/from=[^&]+/, 'from=nothing%2Fhere') });
      try {
        const r = await gokilnAsync(
          ['build', app, '--base', `${proxy.host}/base/probe:1`, '--push', `${proxy.host}/app/fallback:1`, '--sbom', 'none', '--json'],
          { DOCKER_CONFIG: empty },
        );
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as Pushed;
        const mounts = proxy.seen.filter((s) => s.startsWith('POST /v2/app/fallback/blobs/uploads/?mount='));
        assert.equal(mounts.length, baseLayers.length);
        assert.ok(
          mounts.every((s) => s.endsWith(' 202')),
          mounts.join('\n'),
        );
        // no second POST: the session the 202 opened carries the upload
        assert.equal(
          proxy.seen.filter((s) => s === 'POST /v2/app/fallback/blobs/uploads/ 202').length,
          2,
          'plain POSTs only for the app layer and the config',
        );
        assert.deepEqual(out.output.blobs, { sent: baseLayers.length + 2, present: 0, mounted: 0 });
        assert.deepEqual(inspectLayers(`${reg!.host}/app/fallback:1`).slice(0, baseLayers.length), baseLayers);
      } finally {
        await proxy.stop();
      }
    });

    test('a base in another registry: no mount is attempted', async () => {
      const proxy = await startProxy(reg!.port, () => 'pass');
      try {
        // the same registry under two names: the base through the registry, the push through the proxy
        const r = await gokilnAsync(
          ['build', app, '--base', `${reg!.host}/base/probe:1`, '--push', `${proxy.host}/app/elsewhere:1`, '--sbom', 'none', '--json'],
          { DOCKER_CONFIG: empty },
        );
        assert.equal(r.status, 0, r.stderr);
        assert.equal(proxy.seen.filter((s) => s.includes('?mount=')).length, 0);
        assert.equal((JSON.parse(r.stdout) as Pushed).output.blobs.mounted, 0);
      } finally {
        await proxy.stop();
      }
    });
  },
);
