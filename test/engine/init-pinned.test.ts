/**
 * `init --pin-digests` → buildah → podman: the pinned Dockerfile builds on exactly the images its digests
 * name. The engine tests' base images (fixtures/base-images.ts) are pushed to a local registry that a
 * registries.conf makes the mirror of docker.io and gcr.io; init resolves the FROM lines there; each pinned
 * reference is then copied by its digest, through the same mirror, into the engine's storage under its own
 * name — what `podman pull` does on a machine with that registries.conf — and buildah builds with
 * --pull=never, so a digest the storage does not hold would fail the build (checked too).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { baseImages } from '../../src/generate/pin.js';
import { resolveDigest } from '../../src/image/registry/resolve-digest.js';
import { loadRegistriesConf } from '../../src/image/registry/registries-conf.js';
import { Engine, exec, haveEngine } from '../harness/engine.js';
import { shortRunRoot } from '../harness/podman-root.js';
import { ensureBaseImage } from '../fixtures/base-images.js';
import { RUN_CHECK, VERSION, assertRan } from '../harness/expected-runs.js';
import { BUILD_CACHE } from './engine-helpers.js';
import { copyExample, needTool } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { gokilnAsync, probeProject } from '../build/helpers.js';
import { startRegistry } from '../image/registry-harness.js';
import { fromImages, mirrorConf, mirrorPath, sha256 } from '../image/mirror-helpers.js';

test(
  'hello-service --pin-digests: buildah builds the pinned Dockerfile from the images the digests name, podman runs it',
  { timeout: 14 * 60_000 },
  async (t) => {
    if (!haveEngine(t)) return;
    if (!needTool('mmdebstrap') || !needTool('go') || !needTool('docker-registry'))
      return t.skip('mmdebstrap, go or docker-registry not installed');
    const reg = await startRegistry();
    const e = await Engine.start({ buildCache: BUILD_CACHE() });
    try {
      const home = scratchDir('gokiln-pinned-home-');
      const conf = mirrorConf(home, reg.host);
      const dir = copyExample('hello-service');
      const images = baseImages(generateFiles(buildPlan(scanProject(dir)), { hasGoSum: false }).specs);
      for (const ref of images) {
        const t0 = Date.now();
        const cp = await exec('skopeo', [
          'copy',
          '-q',
          '--dest-tls-verify=false',
          `docker-archive:${await ensureBaseImage(ref)}`,
          `docker://${reg.host}/${mirrorPath(ref)}`,
        ]);
        assert.equal(cp.exitCode, 0, cp.stderr);
        t.diagnostic(`${ref}: pushed to the mirror in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }

      const r = await gokilnAsync(['init', dir, '--pin-digests'], { HOME: home, CONTAINERS_REGISTRIES_CONF: conf });
      assert.equal(r.status, 0, r.stderr);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      const pinned = fromImages(dockerfile);
      assert.deepEqual(
        pinned.map((p) => p.replace(/@sha256:[0-9a-f]{64}$/, '')),
        images,
      );

      const storage = `[vfs@${join(e.dir, 'root')}+${shortRunRoot(join(e.dir, 'root'))}]`;
      for (const p of pinned) {
        const [ref, digest] = p.split('@') as [string, string];
        const raw = await exec('skopeo', ['--registries-conf', conf, 'inspect', '--raw', `docker://${ref}`], {
          env: { ...process.env, HOME: home },
        });
        assert.equal(digest, sha256(raw.stdout), `${ref}: the digest of what the mirror serves for it`);
        const name = ref.replace(/:[^:/]+$/, '');
        const pull = await exec(
          'skopeo',
          ['--registries-conf', conf, 'copy', '-q', `docker://${name}@${digest}`, `containers-storage:${storage}${ref}`],
          { env: { ...process.env, HOME: home, TMPDIR: join(e.dir, 'tmp') } },
        );
        assert.equal(pull.exitCode, 0, pull.stderr);
      }

      const tag = 'localhost/gokiln-test/hello-service-pinned';
      const built = await e.build({ context: dir, tag, buildArgs: { VERSION } });
      assert.equal(built.exitCode, 0, `buildah bud of the pinned Dockerfile:\n${built.stderr.slice(-4000)}`);
      t.diagnostic(`built in ${(built.ms / 1000).toFixed(1)} s`);
      const ran = await e.run(tag, { args: RUN_CHECK['hello-service']!.args!, timeoutMs: 60_000 });
      assertRan(ran, RUN_CHECK['hello-service']!, 'hello-service pinned (podman run)');

      // the digest decides: the same tag pinned to a digest the storage does not hold is refused, not substituted
      const other = dockerfile.replace(/(gcr\.io\/distroless\/[^@\s]+)@sha256:[0-9a-f]{64}/, `$1@sha256:${'0'.repeat(64)}`);
      assert.notEqual(other, dockerfile);
      writeFileSync(join(dir, 'Dockerfile.other'), other);
      const refused = await e.build({ context: dir, file: join(dir, 'Dockerfile.other'), tag: `${tag}-other`, buildArgs: { VERSION } });
      assert.notEqual(refused.exitCode, 0, 'a digest that is not in the storage must not build with --pull=never');
      assert.match(refused.stderr, /0{64}/);
    } finally {
      await e.close();
      await reg.stop();
    }
  },
);

test(
  'an index digest (a multi-platform image pinned as docker pins it) is one buildah resolves from its storage with --pull=never',
  { timeout: 5 * 60_000 },
  async (t) => {
    if (!haveEngine(t)) return;
    if (!needTool('go') || !needTool('docker-registry')) return t.skip('go or docker-registry not installed');
    const reg = await startRegistry();
    const e = await Engine.start();
    const src = probeProject();
    try {
      const home = scratchDir('gokiln-pinned-index-home-');
      const conf = mirrorConf(home, reg.host);
      const ref = 'gokiln-probe:1';
      const pushed = await gokilnAsync(['build', src, '--platform', 'linux/amd64,linux/arm64', '--push', `${reg.host}/${mirrorPath(ref)}`]);
      assert.equal(pushed.status, 0, pushed.stderr);
      const got = await resolveDigest(ref, { registries: loadRegistriesConf({ env: { CONTAINERS_REGISTRIES_CONF: conf, HOME: home } }) });
      assert.equal(got.mediaType, 'application/vnd.oci.image.index.v1+json');
      assert.deepEqual(got.platforms, ['linux/amd64', 'linux/arm64']);
      const raw = await exec('skopeo', ['--registries-conf', conf, 'inspect', '--raw', `docker://${ref}`], {
        env: { ...process.env, HOME: home },
      });
      assert.equal(got.digest, sha256(raw.stdout), 'the index digest skopeo reads through the same mirror');
      const storage = `[vfs@${join(e.dir, 'root')}+${shortRunRoot(join(e.dir, 'root'))}]`;
      const pull = await exec(
        'skopeo',
        [
          '--registries-conf',
          conf,
          'copy',
          '-q',
          `docker://docker.io/library/gokiln-probe@${got.digest}`,
          `containers-storage:${storage}docker.io/library/${ref}`,
        ],
        {
          env: { ...process.env, HOME: home, TMPDIR: join(e.dir, 'tmp') },
        },
      );
      assert.equal(pull.exitCode, 0, pull.stderr);
      const from = await e.buildah(['from', '--pull=never', `${ref}@${got.digest}`]);
      assert.equal(from.exitCode, 0, from.stderr);
      const wrong = await e.buildah(['from', '--pull=never', `${ref}@sha256:${'0'.repeat(64)}`]);
      assert.notEqual(wrong.exitCode, 0, 'a digest the storage does not hold');
    } finally {
      rmSync(src, { recursive: true, force: true });
      await e.close();
      await reg.stop();
    }
  },
);
