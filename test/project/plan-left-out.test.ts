/**
 * Issue #20 (plan.ts's binary-left-out warning): a command gokiln leaves out by default (an example, a
 * development tool) is named in a warning that says how to take it back in; a command the user left out
 * with --binary, or one --all-binaries took back, is not. The commands themselves are go list's.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan, type PlanOptions } from '../../src/project/plan.js';
import { scanProject } from '../../src/project/scan.js';
import { scratchDir } from '../harness/scratch.js';
import { goListMains, needTool, TODAY } from './helpers.js';

const MAIN = 'package main\n\nfunc main() {}\n';

function project(): string {
  const dir = scratchDir('gk-plan-left-out-');
  writeFileSync(join(dir, 'go.mod'), 'module example.com/srv\n\ngo 1.26\n');
  writeFileSync(join(dir, 'main.go'), MAIN);
  for (const sub of ['cmd/worker', 'tools/gen', 'examples/demo']) {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, 'main.go'), MAIN);
  }
  return dir;
}

const leftOut = (dir: string, select?: PlanOptions['select']) =>
  buildPlan(scanProject(dir, { go: null }), { today: TODAY, select })
    .warnings.filter((w) => w.code === 'binary-left-out')
    .map((w) => w.message);

test('binary-left-out: only the commands left out by default are named; --binary and --all-binaries name none', () => {
  const dir = project();
  const plan = buildPlan(scanProject(dir, { go: null }), { today: TODAY });
  // the four commands are the module's main packages (go list's answer, when go is here)
  const want = ['example.com/srv', 'example.com/srv/cmd/worker', 'example.com/srv/examples/demo', 'example.com/srv/tools/gen'];
  assert.deepEqual(plan.binaries.map((b) => b.importPath).sort(), want);
  if (needTool('go')) assert.deepEqual(goListMains(dir), want);
  assert.deepEqual(
    plan.binaries.filter((b) => b.selected).map((b) => b.binary),
    ['srv', 'worker'],
  );

  // default: the example and the tool are left out, each warned about with the way back in
  assert.deepEqual(leftOut(dir).sort(), [
    'demo (./examples/demo) is left out: an example (./examples/demo); --binary demo or --all-binaries builds it',
    'gen (./tools/gen) is left out: a development tool (./tools/gen); --binary gen or --all-binaries builds it',
  ]);
  // --binary srv: worker is left out by the user's choice, not for a reason of gokiln's: not named; the
  // example and the tool still are, with their reasons
  assert.deepEqual(
    leftOut(dir, { binaries: ['srv'] })
      .map((m) => m.split(' ')[0])
      .sort(),
    ['demo', 'gen'],
  );
  // --all-binaries: everything is built, nothing is left out
  assert.deepEqual(leftOut(dir, { all: true }), []);
});
