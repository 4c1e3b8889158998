/**
 * The same inputs give byte-identical output on every tested Node line (issue #19): the machine's Node 20
 * and the official 22, 24 and 26 binaries (scripts/node-lines.mjs), each running the bundled CLI. JSON
 * output, the error lines on stderr and the exit codes are compared with Node 20's, byte for byte.
 * Runs once, on the whole-suite line: it starts every line itself.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixture, fixturesOfKind } from '../fixtures/index.js';

// scripts/ is not compiled: from dist/test/node-lines it is three folders up (its types sit beside it)
const { nodeFor } = (await import(
  new URL('../../../scripts/node-lines.mjs', import.meta.url).href
)) as typeof import('../../scripts/node-lines.mjs');

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const LINES = ['20', '22', '24', '26'];
const TODAY = '2026-12-07';

const CASES: Array<[string, string[]]> = [
  [
    'inspect every Go fixture, with packages',
    ['inspect', '--json', '--packages', '-j', '1', ...fixturesOfKind('go').map((n) => fixture(n))],
  ],
  ['inspect a missing file and a directory', ['inspect', '--json', '/nonexistent/gokiln', 'examples']],
  ['size', ['size', '--json', fixture('static')]],
  ['size diff', ['size', '--json', fixture('static'), fixture('static-stripped')]],
  ['lint the corpus', ['lint', '--json', '--today', TODAY, 'test/fixtures-lint/corpus']],
  ['lint as SARIF', ['lint', '--format', 'sarif', '--today', TODAY, 'test/fixtures-lint/corpus']],
  ['plan from the sources', ['plan', '--json', '--no-go', 'examples/multi-cmd']],
  ['plan with go list', ['plan', '--json', 'examples/sqlite-cgo']],
  ['a usage error', ['inspect', '--json', '--jobs', 'many', fixture('static')]],
];

describe('byte-identical output on Node 20, 22, 24 and 26', () => {
  const nodes = new Map(LINES.map((l) => [l, nodeFor(l)]));

  test('each line is the release it claims to be', () => {
    for (const [line, node] of nodes) {
      const v = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      assert.match(v, new RegExp(`^v${line}\\.`), node);
    }
  });

  for (const [name, args] of CASES) {
    test(name, () => {
      const runs = LINES.map((line) => {
        const r = spawnSync(nodes.get(line)!, [CLI, ...args], {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
          maxBuffer: 256 * 1024 * 1024,
        });
        return { line, code: r.status, stdout: r.stdout, stderr: r.stderr };
      });
      const [first] = runs;
      assert.ok(first!.stdout.length > 0, `${name}: no output on Node 20: ${first!.stderr}`);
      assert.ok(first!.code !== null && first!.code <= 2, `${name}: exit ${first!.code}: ${first!.stderr}`);
      for (const r of runs.slice(1)) {
        assert.equal(r.code, first!.code, `${name}: exit code on Node ${r.line}`);
        assert.equal(r.stderr, first!.stderr, `${name}: stderr on Node ${r.line}`);
        // not deepEqual on the parsed values: the bytes themselves (key order, number forms, escapes) must agree
        assert.ok(r.stdout === first!.stdout, `${name}: stdout on Node ${r.line} differs from Node 20's`);
      }
    });
  }
});
