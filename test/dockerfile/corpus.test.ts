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

/**
 * Real-world Dockerfiles (rw-*): the file as published (source.json names repository and commit), and the
 * warnings and errors a reader of the project's Makefile, CI and sources expects, written before lint was
 * run on it; info findings are not counted. Precision and recall are taken over all of them together.
 */
interface RealWorldExpect {
  note: string;
  today: string;
  expected: string[];
  forbidden: string[];
}

interface Source {
  repo?: string;
  commit?: string;
  module?: string;
  version?: string;
  sum?: string;
  url: string;
  /** files gathered together, measured apart: the held-out batch was linted only after its expectations were committed */
  batch?: string;
}

const dirs = readdirSync(ROOT)
  .filter((d) => !d.startsWith('rw-'))
  .sort();
const realWorld = readdirSync(ROOT)
  .filter((d) => d.startsWith('rw-'))
  .sort();

describe('real-world Dockerfiles: precision and recall', () => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  const batches: Record<string, { files: number; tp: number; fp: number; fn: number }> = {};
  for (const d of realWorld) {
    test(d, () => {
      const dir = join(ROOT, d);
      const exp = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as RealWorldExpect;
      const src = JSON.parse(readFileSync(join(dir, 'source.json'), 'utf8')) as Source;
      // a file from a repository at a commit, or from a module version's zip on the Go module proxy (its h1: sum pins the bytes)
      if (src.module !== undefined)
        assert.ok(
          /^v\d/.test(src.version ?? '') && /^h1:[A-Za-z0-9+/]{43}=$/.test(src.sum ?? ''),
          `${d}: module source needs version and h1: sum`,
        );
      else assert.match(src.commit ?? '', /^[0-9a-f]{40}$/);
      const batch = src.batch ?? 'first';
      const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      const got = lintDockerfile(text, { file: 'Dockerfile', today: exp.today })
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.rule}@${f.line} ${f.severity}`);
      const want = [...exp.expected];
      const b = (batches[batch] ??= { files: 0, tp: 0, fp: 0, fn: 0 });
      b.files++;
      for (const g of got) {
        const i = want.indexOf(g);
        if (i >= 0) {
          want.splice(i, 1);
          tp++;
          b.tp++;
        } else {
          fp++;
          b.fp++;
          wrong.push(`${d}: raised ${g}`);
        }
      }
      fn += want.length;
      b.fn += want.length;
      for (const w of want) wrong.push(`${d}: missed ${w}`);
      for (const rule of exp.forbidden) assert.ok(!got.some((g) => g.startsWith(rule + '@')), `${rule} must not fire on ${d} (${src.url})`);
    });
  }
  test('precision and recall over every real-world file', () => {
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(
      `real-world lint corpus: ${realWorld.length} files, ${tp} right, ${fp} wrong, ${fn} missed: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    for (const [name, b] of Object.entries(batches)) {
      console.log(
        `  batch ${name}: ${b.files} files, precision ${(b.tp / Math.max(1, b.tp + b.fp)).toFixed(3)}, recall ${(b.tp / Math.max(1, b.tp + b.fn)).toFixed(3)}`,
      );
    }
    for (const w of wrong) console.log(`  ${w}`);
    assert.ok(realWorld.length >= 60, `only ${realWorld.length} real-world files`);
    assert.ok(precision >= 0.95, `precision ${precision.toFixed(3)}`);
    assert.ok(recall >= 0.9, `recall ${recall.toFixed(3)}`);
  });
});

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
      assert.deepEqual(
        got.map((f) => `${f.rule}@${f.line} ${f.severity}`),
        exp.findings,
      );
      for (const rule of exp.absent) assert.ok(!got.some((f) => f.rule === rule), `${rule} must not fire on ${d}`);
      // every multi-stage fixture really is multi-stage
      assert.ok((text.match(/^FROM\s/gim) ?? []).length >= 2);
    });
  }
});
