/**
 * The README says how to get `gokiln` on the PATH (issue #16), and what it says works: `npm link` into a
 * private prefix puts a `gokiln` that runs; `npx gokiln` in the checkout runs the package's own bin.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../fixtures/paths.js';
import { scratchDir } from '../harness/scratch.js';
import { haveTool } from '../truth/tools.js';

test('README: npx gokiln and npm link, each checked', (t) => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  assert.match(readme, /npx gokiln /);
  assert.match(readme, /npm link /);
  if (!haveTool(t, 'npm', ['--version'])) return;
  const version = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const npx = spawnSync('npx', ['--no-install', 'gokiln', '--version'], { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(npx.stdout.trim(), version, npx.stderr);
  // a private global prefix: the machine's own global packages are not touched
  const prefix = scratchDir('gk-npm-prefix-');
  const env = {
    ...process.env,
    npm_config_prefix: prefix,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const link = spawnSync('npm', ['link', '--ignore-scripts'], { cwd: repoRoot(), encoding: 'utf8', env });
  assert.equal(link.status, 0, link.stderr);
  const onPath = spawnSync('gokiln', ['--version'], {
    encoding: 'utf8',
    env: { ...env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` },
  });
  assert.equal(onPath.stdout.trim(), version, onPath.stderr);
});
