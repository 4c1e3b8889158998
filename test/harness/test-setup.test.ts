/**
 * What `npm test` does before and after the tests on a fresh machine (scripts/test.mjs, issue #16): the
 * system packages come from .ci/run's list (one place), a missing one is installed (root with apt-get) or
 * named with its install command, a missing host package for the root file systems is a named skip (not a
 * crash of the fixture build), and the run fails when a test leaves anything in its TMPDIR — still ending
 * with the "N passed, N failed" line.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../fixtures/paths.js';
import { MissingToolError } from '../fixtures/tools.js';
import { hostPackageVersions } from './rootfs.js';
import { scratchDir } from './scratch.js';
import { haveTool } from '../truth/tools.js';

interface Setup {
  aptPackages(script: string): string[];
  missingPackages(names: string[]): string[] | null;
  installPlan(
    missing: string[],
    o: { uid: number; hasAptGet: boolean; env: Record<string, string | undefined> },
  ): { action: string; command?: string; message?: string };
}
const setup = (await import(pathToFileURL(join(repoRoot(), 'scripts/test.mjs')).href)) as Setup;
const NOPE = 'gokiln-no-such-package';

test('the package list is .ci/run`s APT_PACKAGES, without comments', () => {
  const list = setup.aptPackages(readFileSync(join(repoRoot(), '.ci/run'), 'utf8'));
  for (const p of ['musl', 'musl-tools', 'bubblewrap', 'gcc', 'chromium', 'qemu-user', 'strace']) assert.ok(list.includes(p), p);
  assert.ok(
    list.every((p) => /^[a-z0-9][a-z0-9+.-]+$/.test(p)),
    list.join(' '),
  );
});

test('a missing package is found, and installed only by root with apt-get; otherwise named with its command', (t) => {
  if (!haveTool(t, 'dpkg-query', ['--version'])) return;
  const missing = setup.missingPackages(['dpkg', NOPE])!;
  assert.deepEqual(missing, [NOPE]);
  assert.deepEqual(setup.installPlan([], { uid: 0, hasAptGet: true, env: {} }), { action: 'none' });
  assert.equal(setup.installPlan(missing, { uid: 0, hasAptGet: true, env: {} }).action, 'install');
  for (const [o, why] of [
    [{ uid: 1000, hasAptGet: true, env: {} }, 'not root'],
    [{ uid: 0, hasAptGet: false, env: {} }, 'no apt-get'],
    [{ uid: 0, hasAptGet: true, env: { GOKILN_NO_INSTALL: '1' } }, 'GOKILN_NO_INSTALL'],
  ] as const) {
    const p = setup.installPlan(missing, o);
    assert.equal(p.action, 'tell');
    assert.match(p.message!, new RegExp(`${why}.*${NOPE}`));
    assert.match(p.message!, new RegExp(`apt-get install -y --no-install-recommends ${NOPE}`));
  }
  assert.match(setup.installPlan(missing, { uid: 1000, hasAptGet: true, env: {} }).message!, /sudo apt-get install/);
});

test('a root file system made of a package that is not installed: a MissingToolError naming it and the fix', async (t) => {
  if (!haveTool(t, 'dpkg-query', ['--version'])) return;
  await assert.rejects(
    hostPackageVersions(['libc6', NOPE]),
    (e: unknown) =>
      e instanceof MissingToolError && e.message.includes(`not installed: ${NOPE}`) && e.message.includes(`apt-get install ${NOPE}`),
  );
  assert.match(await hostPackageVersions(['libc6']), /^libc6 \S+\n$/);
});

test('the TMPDIR guard and a failed setup count as failures; the last line is still "N passed, N failed"', () => {
  const tmp = scratchDir('gk-guard-');
  writeFileSync(join(tmp, 'left-behind'), 'x');
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'runtime-spellings'], {
    cwd: repoRoot(),
    encoding: 'utf8',
    // NODE_TEST_CONTEXT would make the nested runner report to this one instead of counting
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, GOKILN_TMP_GUARD: tmp, GOKILN_SETUP_FAILED: '1', CI: 'false' },
  });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /left in TMPDIR by the tests \(one failure each\): left-behind\n/);
  const last = r.stdout.trimEnd().split('\n').at(-1)!;
  assert.match(last, /^(\d+) passed, 2 failed$/);
  assert.ok(Number(/^(\d+)/.exec(last)![1]) > 0);
});
