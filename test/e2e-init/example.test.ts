/**
 * `npm run example` (scripts/example.mjs) works on a scratch copy under the temporary directory and
 * removes it at the end, whether the run succeeds or a step fails. TMPDIR points at a fresh directory
 * per run, so what the script leaves behind is exactly what is in it afterwards.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needTool, run } from '../project/helpers.js';

const example = (env: NodeJS.ProcessEnv) => {
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-example-test-'));
  const r = run(process.execPath, ['scripts/example.mjs'], {
    env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ...env, TMPDIR: tmp },
  });
  // what the script left is read now; the test's own directory goes whatever the assertions say
  const left = readdirSync(tmp);
  rmSync(tmp, { recursive: true, force: true });
  return { ...r, tmp, left };
};

describe('npm run example', () => {
  test(
    'a full run: plan, init, lint, three builds and inspect, then nothing left in the temporary directory',
    { skip: needTool('go') && needTool('gcc') ? false : 'go and gcc needed' },
    () => {
      const r = example({});
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const work = /# working on a copy: WORK=(\S+)/.exec(r.stdout)?.[1];
      assert.ok(work?.startsWith(join(r.tmp, 'gokiln-example-')), r.stdout);
      for (const step of ['$ gokiln plan', '$ gokiln init', '$ gokiln lint', 'go build', '$ gokiln inspect'])
        assert.ok(r.stdout.includes(step), step);
      assert.match(r.stdout, /app-static .*static/);
      assert.deepEqual(r.left, []);
    },
  );

  test('a step that fails (no go on PATH): exit 1 naming it, and the scratch copy is still removed', () => {
    const r = example({ PATH: '/nonexistent' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\$ gokiln init/, 'got as far as writing into the copy');
    assert.match(r.stderr, /spawnSync go ENOENT/);
    assert.deepEqual(r.left, []);
  });
});
