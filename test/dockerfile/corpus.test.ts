// The corpus: realistic multi-stage Go Dockerfiles, each with the exact findings expected (rule@line severity)
// and a list of rules that must stay silent on it (the false positives a Go-blind linter would produce).
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';

const ROOT = join(process.cwd(), 'test/fixtures-lint/corpus');

interface Expect {
  note: string;
  today: string;
  findings: string[];
  absent: string[];
}

const dirs = readdirSync(ROOT).sort();

describe('lint corpus', () => {
  test('has at least 15 Dockerfiles', () => {
    assert.ok(dirs.length >= 15, `only ${dirs.length}`);
  });
  for (const d of dirs) {
    test(d, () => {
      const dir = join(ROOT, d);
      const exp = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as Expect;
      const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      const { context, notes } = loadBuildContext(dir);
      assert.deepEqual(notes, []);
      const got = lintDockerfile(text, { file: 'Dockerfile', context, today: exp.today });
      assert.deepEqual(got.map((f) => `${f.rule}@${f.line} ${f.severity}`), exp.findings);
      for (const rule of exp.absent) assert.ok(!got.some((f) => f.rule === rule), `${rule} must not fire on ${d}`);
      // every multi-stage fixture really is multi-stage
      assert.ok((text.match(/^FROM\s/gim) ?? []).length >= 2);
    });
  }
});
