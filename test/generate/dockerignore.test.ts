import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { renderDockerignore } from '../../src/generate/dockerignore.js';

test('.dockerignore keeps vendor/ only when asked, and never a directory holding Go packages', () => {
  const plain = renderDockerignore({ keepVendor: false }).split('\n');
  for (const p of ['.git', 'Dockerfile*', 'vendor', 'bin', 'dist', '.env']) assert.ok(plain.includes(p), p);
  assert.ok(!renderDockerignore({ keepVendor: true }).split('\n').includes('vendor'));
  const withPkgs = renderDockerignore({ keepVendor: false, packageDirs: ['.', './bin/tool', './dist'] }).split('\n');
  assert.ok(!withPkgs.includes('bin'));
  assert.ok(!withPkgs.includes('dist'));
  assert.ok(withPkgs.includes('.git'));
});
