/**
 * `gokiln build --paradigm alpine`, the Alpine slim paradigm: a static (CGO_ENABLED=0) binary on an Alpine
 * base — `--base`, else the `alpine:<release>` image plan and init name, pulled from the registry. No Alpine
 * image is reachable from this machine, so the base here is an Alpine-like root (musl's loader, CA bundle,
 * zoneinfo: test/harness/rootfs.ts) saved as a docker-archive; the image is checked by a real run (verify --run
 * in bubblewrap, and podman as uid 65532). A cgo binary linked against glibc is refused with the message the
 * container would print; linked against musl (CC=musl-gcc) it is built and runs.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, podman, probeProject, RUN_FLAGS } from './helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { ensureRootfs } from '../harness/rootfs.js';
import { rootfsArchive } from '../fixtures/base-images.js';
import { chooseImages } from '../../src/knowledge/image-choice.js';
import { isoDay } from '../../src/knowledge/eol.js';

const CGO_MAIN =
  'package main\n\n// static int two(void) { return 2; }\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Printf("cgo two=%d\\n", C.two()) }\n';
const missing = ['go', 'gcc', 'bwrap', 'tar', 'dpkg-query'].filter((t) => !needTool(t));
const json = <T>(s: string): T => JSON.parse(s) as T;

interface BuildJson {
  error?: { code: string; message: string };
  base?: { name: string };
  platforms?: Array<{ binaries: Array<{ path: string }> }>;
}

describe('gokiln build --paradigm alpine', { skip: missing.length ? `needs ${missing.join(', ')}` : false }, () => {
  const work = scratchDir('gokiln-build-alpine-');
  const dirs: string[] = [];
  let base = '';
  before(async () => {
    base = `docker-archive:${await rootfsArchive(await ensureRootfs('alpine-like'), join(work, 'alpine-like.tar'), 'alpine-like:1')}`;
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a static binary on the given Alpine base: runs in bubblewrap and under podman as 65532, with the base CA bundle and zones', async (t) => {
    const src = probeProject();
    dirs.push(src);
    const archive = join(work, 'static.tar');
    const r = await gokilnAsync([
      'build',
      src,
      '--paradigm',
      'alpine',
      '--base',
      base,
      '--archive',
      archive,
      '--tag',
      'probe:alpine',
      '--sbom',
      'none',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(json<BuildJson>(r.stdout).base?.name, base);
    const line = /^gokiln-probe uid=65532 gid=65532 arch=amd64 tz=ok certs=[1-9]\d* wd=\/\n$/;
    const v = await gokilnAsync(['verify', `docker-archive:${archive}`, '--run', '--json']);
    const vr = json<{ verdict: string; run?: { exitCode: number | null; stdout: string; predicted: boolean } }>(v.stdout);
    assert.equal(vr.verdict, 'runs', v.stdout);
    assert.equal(vr.run?.exitCode, 0, v.stdout + v.stderr);
    assert.match(vr.run!.stdout, line);
    assert.equal(vr.run?.predicted, true);
    if (!needTool('podman') || !needTool('runc')) {
      if (process.env.CI === 'true') assert.fail('podman and runc are needed in CI');
      return t.skip('podman and runc needed');
    }
    const root = join(work, 'podman');
    const load = podman(root, ['load', '-i', archive]);
    assert.equal(load.status, 0, load.stderr);
    const run = podman(root, ['run', '--rm', ...RUN_FLAGS, 'probe:alpine']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, line);
  });

  test('cgo on Alpine: a glibc link is refused with the loader message and nothing is written; a musl link (CC=musl-gcc) is built and runs', async (t) => {
    const src = probeProject({}, CGO_MAIN);
    dirs.push(src);
    const refused = join(work, 'cgo-glibc');
    const r = await gokilnAsync(['build', src, '--paradigm', 'alpine', '--base', base, '--oci', refused, '--sbom', 'none', '--json']);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    const e = json<BuildJson>(r.stdout).error!;
    assert.equal(e.code, 'E_BUILD');
    assert.match(e.message, /exec \/app\/probe: no such file or directory/);
    assert.equal(existsSync(refused), false, 'nothing written');
    if (!needTool('musl-gcc')) {
      if (process.env.CI === 'true') assert.fail('musl-gcc is needed in CI');
      return t.skip('musl-gcc needed');
    }
    const out = join(work, 'cgo-musl');
    const ok = await gokilnAsync(
      ['build', src, '--paradigm', 'alpine', '--base', base, '--oci', out, '--tag', 'cgo:musl', '--sbom', 'none', '--json'],
      { CC: 'musl-gcc' },
    );
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const v = await gokilnAsync(['verify', `oci:${out}:musl`, '--run', '--json']);
    const vr = json<{ verdict: string; run?: { exitCode: number | null; stdout: string } }>(v.stdout);
    assert.equal(vr.verdict, 'runs', v.stdout);
    assert.equal(vr.run?.stdout, 'cgo two=2\n');
  });

  test('without --base the Alpine image plan names is the base, pulled through the registry client', async () => {
    const src = probeProject();
    dirs.push(src);
    const expected = chooseImages('1.22', isoDay(new Date())).alpine.runtime;
    assert.match(expected, /^alpine:3\.\d+$/);
    const out = join(work, 'default');
    // a registry that cannot be reached (no public registry here) leaves a typed network error naming the image
    const r = await gokilnAsync(['build', src, '--paradigm', 'alpine', '--oci', out, '--sbom', 'none', '--json']);
    const res = json<BuildJson>(r.stdout);
    if (r.status === 0) assert.equal(res.base?.name, expected);
    else {
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.ok(['E_NETWORK', 'E_REGISTRY', 'E_AUTH'].includes(res.error!.code), r.stdout);
      assert.ok(res.error!.message.includes(expected.split(':')[0]!), `the error names the base: ${res.error!.message}`);
      assert.match(
        res.error!.message,
        /--paradigm alpine[^]*--base REF/,
        "it says the base was the paradigm's choice and how to name another",
      );
      assert.equal(existsSync(out), false, 'nothing written');
    }
  });
});
