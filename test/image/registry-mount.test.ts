/**
 * Cross-repository blob mounts on push, against a real registry (Debian's docker-registry, distribution 2.8):
 * a build on a base from the same registry asks for each of the base's blobs with
 * `POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<base repo>`. The registry's own answers, seen by a
 * pass-through proxy, show 201 (linked, no byte sent) for every base layer and an upload only for the app
 * layer and config; when the source does not hold a blob the registry answers 202 with an upload session,
 * and the push uploads through that session. skopeo reads the results back. A blob gokiln pushed before to
 * another repository of the registry is mounted from there (the pushed-blob memory), and a memory the registry
 * no longer agrees with costs only the mount request.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

    /** skopeo copies the whole image at `ref` into an OCI layout: every blob is readable in its repository */
    const copiesOut = (ref: string) => {
      const dst = mkdtempSync(join(tmpdir(), 'gokiln-mount-copy-'));
      try {
        const cp = skopeo(['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${dst}:1`]);
        assert.equal(cp.status, 0, cp.stderr);
      } finally {
        rmSync(dst, { recursive: true, force: true });
      }
    };
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
        copiesOut(`${reg!.host}/app/mounted:1`);
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

    test('the pushed-blob memory: the same image pushed to a second repository is mounted blob by blob; a stale memory falls back to uploads', async () => {
      const cache = mkdtempSync(join(tmpdir(), 'gokiln-pushed-memory-'));
      const proxy = await startProxy(reg!.port, () => 'pass');
      try {
        const push = async (repo: string) => {
          const r = await gokilnAsync(['build', app, '--push', `${proxy.host}/${repo}:1`, '--sbom', 'none', '--json'], {
            DOCKER_CONFIG: empty,
            XDG_CACHE_HOME: cache,
          });
          assert.equal(r.status, 0, r.stderr);
          return JSON.parse(r.stdout) as Pushed;
        };
        const first = await push('memory/one');
        const n = first.output.blobs.sent;
        assert.ok(n >= 3, `the embedded base's layers, the app layer and the config were sent: ${JSON.stringify(first.output.blobs)}`);
        const memoryFile = join(cache, 'gokiln', 'pushed', readdirSync(join(cache, 'gokiln', 'pushed'))[0]!);
        assert.match(memoryFile, /127\.0\.0\.1_\d+\.json$/);

        const before = proxy.seen.length;
        const second = await push('memory/two');
        assert.equal(second.digest, first.digest);
        assert.deepEqual(second.output.blobs, { sent: 0, present: 0, mounted: n });
        const seen = proxy.seen.slice(before);
        assert.equal(
          seen.filter((l) => /^POST \/v2\/memory\/two\/blobs\/uploads\/\?mount=sha256:[0-9a-f]{64}&from=memory\/one 201$/.test(l)).length,
          n,
        );
        assert.equal(seen.filter((l) => l.startsWith('PUT /v2/memory/two/blobs/')).length, 0, `no blob was uploaded:\n${seen.join('\n')}`);
        // the mounted blobs are the registry's own in the new repository: skopeo copies the image out of it
        copiesOut(`${reg!.host}/memory/two:1`);

        // a memory naming a repository that holds nothing: each mount is answered 202 and the blob sent through it
        const doc = JSON.parse(readFileSync(memoryFile, 'utf8')) as { blobs: Record<string, string> };
        for (const d of Object.keys(doc.blobs)) doc.blobs[d] = 'nothing/here';
        writeFileSync(memoryFile, JSON.stringify(doc));
        const at = proxy.seen.length;
        const third = await push('memory/three');
        assert.deepEqual(third.output.blobs, { sent: n, present: 0, mounted: 0 });
        const mounts = proxy.seen.slice(at).filter((l) => l.includes('?mount='));
        assert.equal(mounts.length, n);
        assert.ok(
          mounts.every((l) => l.endsWith('&from=nothing/here 202')),
          mounts.join('\n'),
        );
        // and the memory now names the repository that has them
        assert.ok(
          Object.values((JSON.parse(readFileSync(memoryFile, 'utf8')) as { blobs: Record<string, string> }).blobs).includes('memory/three'),
        );
      } finally {
        await proxy.stop();
        rmSync(cache, { recursive: true, force: true });
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
