/**
 * `init --paradigm ubuntu` and `build --paradigm ubuntu` agree on a cgo binary's Debian packages.
 *
 * png-cgo (libpng through pkg-config): init writes the Dockerfile (golang:<v>-<suite> → debian:<suite>-slim, the
 * suite of the builder, trixie for Go 1.26), whose runtime stage installs the package list plan gives
 * (without libc6 and base-files, which the slim image has); buildah builds it (RUN apt-get reaches the mirror),
 * podman runs it and lists what dpkg has installed. The daemonless `gokiln build --paradigm ubuntu --suite
 * <suite>` of the same project writes its image, which podman runs too and whose status.d is read back. Every package of that status.d is
 * installed in the Dockerfile's image at the same version; beyond the slim image's own packages, apt installed
 * exactly those plus what apt adds and gokiln leaves out on purpose (Depends that provide no file the binary
 * needs, e.g. ca-certificates → openssl: the daemonless base has the generated CA bundle and no openssl).
 */
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { localReplaces } from '../../src/project/replaces.js';
import { generateFiles, writeFiles } from '../../src/generate/init.js';
import { aptNames, planDebianPackages } from '../../src/image/debian/index.js';
import { haveEngine } from '../harness/engine.js';
import { SharedEngine } from './engine-helpers.js';
import { TODAY, copyExample, needTool } from '../project/helpers.js';
import { gokiln } from '../build/helpers.js';
import { statusDOfImage } from '../image-debian/status-d.js';

const GO_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CGO_\w+|GOOS|GOARCH|GOFLAGS|GOPROXY|GOTOOLCHAIN|GOWORK)$/.test(k))),
  GOTOOLCHAIN: 'local',
};
const DPKG_LIST = ['-W', '-f', '${Package} ${Version}\n'];

const shared = new SharedEngine();
after(() => shared.close());

test(
  'png-cgo: the Dockerfile init writes installs the packages of the daemonless build (status.d), at the same versions',
  { timeout: 25 * 60_000 },
  async (t) => {
    if (!haveEngine(t)) return;
    if (!needTool('mmdebstrap') || !needTool('go') || !needTool('gcc') || !needTool('pkg-config'))
      return t.skip('mmdebstrap, go, gcc or pkg-config not installed');
    const dir = copyExample('png-cgo');
    const work = mkdtempSync(join(tmpdir(), 'gokiln-init-debian-packages-'));
    try {
      const scan = scanProject(dir, { env: GO_ENV });
      const plan = buildPlan(scan, { today: TODAY });
      const suite = plan.images.debian.suite;
      const [planned] = await planDebianPackages(plan, { suite });
      assert.ok(planned, 'png-cgo has a Debian package list');
      const apt = aptNames(planned);
      const out = generateFiles(plan, {
        paradigm: 'ubuntu',
        hasGoSum: existsSync(join(dir, 'go.sum')),
        replaces: localReplaces(scan.goMod, scan.depModules),
      });
      writeFiles(dir, out.files, false);
      const dockerfile = out.files.find((f) => f.path === 'Dockerfile')!.content;
      assert.match(dockerfile, new RegExp(`^FROM debian:${suite}-slim$`, 'm'));
      assert.ok(dockerfile.includes(`apt-get install -y --no-install-recommends ${apt.join(' ')} \\`), dockerfile);

      // the Dockerfile, built by buildah and run by podman
      const e = await shared.loadFor(dockerfile);
      const tag = 'localhost/gokiln-test/png-cgo-apt';
      const built = await e.build({ context: dir, tag, network: 'host' });
      assert.equal(built.exitCode, 0, built.stderr.slice(-4000));
      t.diagnostic(`buildah: ${(built.ms / 1000).toFixed(1)} s`);
      const ran = await e.run(tag, { timeoutMs: 60_000 });
      assert.equal(ran.exitCode, 0, ran.stderr);
      assert.match(ran.stdout, /^libpng 1\.6\.\d+ \(header 1\.6\.\d+\)\n$/);
      const list = async (image: string): Promise<Map<string, string>> => {
        const r = await e.run(image, { entrypoint: 'dpkg-query', args: DPKG_LIST, timeoutMs: 60_000 });
        assert.equal(r.exitCode, 0, r.stderr);
        return new Map(
          r.stdout
            .trim()
            .split('\n')
            .map((l) => l.split(' ') as [string, string]),
        );
      };
      const installed = await list(tag);
      const slim = await list(`debian:${suite}-slim`);

      // the daemonless build of the same project on the same suite
      const archive = join(work, 'png.tar');
      const b = gokiln([
        'build',
        dir,
        '--paradigm',
        'ubuntu',
        '--suite',
        suite,
        '--archive',
        archive,
        '--tag',
        'png-cgo:daemonless',
        '--json',
      ]);
      assert.equal(b.status, 0, b.stderr);
      // the daemonless image runs too, under the same podman, as its uid 65532
      await e.load(archive);
      const own = await e.run('png-cgo:daemonless', { timeoutMs: 60_000 });
      assert.equal(own.exitCode, 0, own.stderr);
      assert.match(own.stdout, /^libpng 1\.6\.\d+ \(header 1\.6\.\d+\)\n$/);
      const statusD = await statusDOfImage(`docker-archive:${archive}`);
      const daemonless = new Map(statusD.map((l) => l.split(' ') as [string, string]));
      assert.deepEqual(
        [...daemonless.keys()],
        planned.packages.map((p) => p.name),
        'plan lists the packages the build installed',
      );
      for (const [name, version] of daemonless) assert.equal(installed.get(name), version, `${name} in the Dockerfile's image`);

      // beyond the slim image: the same packages, plus only what apt adds and the build omits on purpose
      const added = [...installed.keys()].filter((n) => !slim.has(n)).sort();
      const expected = [...daemonless.keys()].filter((n) => !slim.has(n));
      for (const n of expected) assert.ok(added.includes(n), `${n} installed by apt`);
      const extra = added.filter((n) => !daemonless.has(n));
      const [resolved] = await planDebianPackages(plan, { suite, resolve: true });
      const omitted = new Set(resolved!.omittedDepends.flatMap((o) => o.dependency.split(' | ')));
      t.diagnostic(`slim: ${slim.size} packages; apt added ${added.join(', ')}; gokiln omits ${[...omitted].join(', ')}`);
      for (const n of extra) assert.ok(omitted.has(n), `${n}: apt installed it, and it is no Depends gokiln leaves out`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  },
);
