/**
 * verify's checks one at a time, each against the truth where one can be had on this machine: a USER the
 * image does not have and a binary its user may not execute (podman + runc as the truth), a rootfs
 * directory with --binary, and the CLI's contract (exit codes, typed errors, --json on stdout, no colour).
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRootfs } from '../harness/rootfs.js';
import { failInCiIfMissing, missingTools } from '../truth/tools.js';
import { verifyImage } from '../../src/verify/verify.js';
import { writeLayout } from './layout.js';
import { buildProbe } from './probes.js';
import { lowercaseDir, podmanStorage, RUN_FLAGS } from '../harness/podman-root.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));

function gokiln(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verify checks', () => {
  let dir: string;
  let podmanDir: string;
  let ok: Buffer | null = null;
  before(() => {
    dir = lowercaseDir('gokiln-checks-');
    podmanDir = mkdtempSync(join(tmpdir(), 'gokiln-podman-'));
    if (missingTools(['go']).length) failInCiIfMissing('go');
    else ok = buildProbe('ok', dir);
  });
  after(() => {
    spawnSync('podman', [...podmanStorage(podmanDir), 'system', 'reset', '--force'], { encoding: 'utf8' });
    rmSync(podmanDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  function podman(ref: string): { code: number | null; stderr: string } | null {
    if (missingTools(['podman', 'runc']).length) return (failInCiIfMissing('podman, runc'), null);
    const r = spawnSync('podman', [...podmanStorage(podmanDir), 'run', '--rm', ...RUN_FLAGS, ref], { encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stderr: r.stderr };
  }

  test("a USER the image does not have: runc's message, and podman refuses to start it", async (t) => {
    if (!ok) return t.skip('no go');
    const ref = await writeLayout(join(dir, 'nouser'), {
      layers: [
        { dir: await ensureRootfs('distroless-static-like') },
        { entries: [{ name: 'app', type: 'file', content: ok, mode: 0o755 }] },
      ],
      entrypoint: ['/app'],
      user: 'app',
    });
    const r = await verifyImage(ref);
    assert.equal(r.verdict, 'fails');
    const c = r.checks.find((x) => x.id === 'user')!;
    assert.equal(c.message, 'unable to find user app: no matching entries in passwd file');
    const p = podman(ref);
    if (p) {
      assert.notEqual(p.code, 0);
      assert.match(p.stderr, /unable to find user app: no matching entries in passwd file/);
    }
  });

  test('a binary only its owner may execute, run as nonroot: permission denied, as podman says', async (t) => {
    if (!ok) return t.skip('no go');
    const ref = await writeLayout(join(dir, 'noexec'), {
      layers: [
        { dir: await ensureRootfs('distroless-static-like') },
        { entries: [{ name: 'app', type: 'file', content: ok, mode: 0o700 }] },
      ],
      entrypoint: ['/app'],
      user: 'nonroot',
    });
    const r = await verifyImage(ref);
    assert.equal(r.verdict, 'fails');
    const c = r.checks.find((x) => x.id === 'binary-executable')!;
    assert.match(c.message, /^exec \/app: permission denied/);
    assert.ok(r.checks.find((x) => x.id === 'not-root')!.ok, 'nonroot is uid 65532');
    const p = podman(ref);
    if (p) {
      assert.notEqual(p.code, 0);
      assert.match(p.stderr, /permission denied/);
    }
  });

  test('a root file system directory with --binary, statically and with --run', async (t) => {
    if (!ok) return t.skip('no go');
    const root = join(dir, 'rootfs');
    mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
    writeFileSync(join(root, 'usr', 'bin', 'ok'), ok);
    chmodSync(join(root, 'usr', 'bin', 'ok'), 0o755);
    const s = gokiln(['verify', root, '--binary', '/usr/bin/ok', '--json']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(JSON.parse(s.stdout).verdict, 'runs');
    if (missingTools(['bwrap']).length) return failInCiIfMissing('bwrap');
    const r = gokiln(['verify', root, '--binary', '/usr/bin/ok', '--run']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /stdout: ok/);
    assert.match(r.stdout, /predicted it/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour with NO_COLOR');
  });

  test('CLI contract: typed errors exit 2 (with a JSON error under --json); no command is a failing check', async () => {
    const notRef = gokiln(['verify', './no/such/dir', '--json']);
    assert.equal(notRef.code, 2);
    assert.match(notRef.stderr, /^gokiln: E_NOT_FOUND: /);
    assert.equal(JSON.parse(notRef.stdout).error.code, 'E_NOT_FOUND');
    const missing = gokiln(['verify', `oci:${join(dir, 'nope')}`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /E_NOT_FOUND/);
    const badTimeout = gokiln(['verify', 'oci:x', '--timeout', 'soon']);
    assert.equal(badTimeout.code, 2);
    assert.match(badTimeout.stderr, /E_USAGE/);
    const ref = await writeLayout(join(dir, 'nocmd'), {
      layers: [{ entries: [{ name: 'etc/passwd', type: 'file', content: 'root:x:0:0::/:/x\n' }] }],
    });
    const none = gokiln(['verify', ref, '--json']);
    assert.equal(none.code, 1);
    const j = JSON.parse(none.stdout);
    assert.equal(j.verdict, 'fails');
    assert.equal(j.binary, null);
    assert.equal(j.checks.find((c: { id: string }) => c.id === 'command').message, 'no command specified');
  });
});
