import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allDocs } from '../../src/dockerfile/docs.js';
import { RULES } from '../../src/dockerfile/registry.js';

test('docs/lint.md and docs/rules/*.md are generated from the registry and up to date', () => {
  const docs = allDocs();
  assert.equal(docs.size, RULES.length + 1);
  for (const [path, text] of docs) {
    const onDisk = readFileSync(join(process.cwd(), path), 'utf8');
    assert.equal(onDisk, text, `${path} is stale: run node scripts/gen-lint-docs.mjs`);
  }
  for (const r of RULES) assert.ok(docs.get('docs/lint.md')!.includes(`[${r.id}](rules/${r.id}.md)`));
});
