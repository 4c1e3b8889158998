/**
 * Issue #20, mutant 4: a pattern that crosses directories (`**\/.DS_Store`) stays in the .dockerignore even
 * when an embed pattern (`static/*`) could match what it matches; the trailing `!static/*` takes the embedded
 * files back. Judged with the independent reader of docker's rules (docker-context.ts), over a real tree.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDockerignore } from '../../src/generate/dockerignore.js';
import { contextFiles, excluded, readDockerignore } from './docker-context.js';

test('with a glob embed (static/*) **/.DS_Store is still excluded, and the embedded files are still sent', () => {
  const text = renderDockerignore({ keepVendor: false, packageDirs: ['.'], embedPatterns: [{ dir: '.', pattern: 'static/*' }] });
  const lines = text.split('\n');
  assert.ok(lines.includes('**/.DS_Store'), text);
  assert.equal(lines.filter((l) => !l.startsWith('#') && l !== '').at(-1), '!static/*');
  const dir = mkdtempSync(join(tmpdir(), 'gk-ignore-embed-'));
  try {
    for (const d of ['static', 'sub/deeper']) mkdirSync(join(dir, d), { recursive: true });
    for (const f of ['main.go', 'go.mod', 'static/app.css', '.DS_Store', 'sub/.DS_Store', 'sub/deeper/.DS_Store'])
      writeFileSync(join(dir, f), 'x');
    const patterns = readDockerignore(text);
    const sent = contextFiles(dir)
      .filter((f) => !excluded(patterns, f))
      .sort();
    // the Finder files are gone at every depth; what the build reads is all there
    assert.deepEqual(sent, ['go.mod', 'main.go', 'static/app.css']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
