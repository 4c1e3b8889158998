#!/usr/bin/env node
// Runs the compiled test files with Node's test runner and ends with the line CI reads:
// "N passed, N failed" (and ", N skipped" when any were skipped). Exit code 1 on any failure.
//
//   node scripts/run-tests.mjs                  CI's run (what `npm test` does): the whole suite on Node 24,
//                                               then the CLI and library tests on 20 (this machine's), 22 and 26
//   node scripts/run-tests.mjs WORD…            the test files whose path holds a word, on this machine's node
//   node scripts/run-tests.mjs --node 26 WORD…  the same on another line (its binary fetched once, see node-lines.mjs)
//   GOKILN_TEST_LINES=current npm test          the whole suite on this machine's node only (offline)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { nodeFor } from './node-lines.mjs';

/** The line the whole suite runs on: the newest long-term-support line. */
const FULL_LINE = '24';
/**
 * The other lines, each running LINE_TESTS: the CLI as users call it and the library's own tests.
 * test/node-lines/ is not among them: it starts every line itself, once, in the whole suite.
 */
const OTHER_LINES = ['20', '22', '26'];
const LINE_TESTS = ['/test/cli/', '/test/io/', '/test/report/', '/test/knowledge/', '/test/doctor/'];

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// set by the whole-suite plan below for the runs it starts; not passed on to the tests themselves
const IS_CHILD = process.env.GOKILN_TEST_CHILD === '1';
delete process.env.GOKILN_TEST_CHILD;

const args = process.argv.slice(2);
let line = null;
const nodeAt = args.findIndex((a) => a === '--node' || a.startsWith('--node='));
if (nodeAt >= 0) {
  const [a] = args.splice(nodeAt, 1);
  line = a.includes('=') ? a.slice('--node='.length) : args.splice(nodeAt, 1)[0];
}
const filter = args;

/** Runs this script under another node with the given arguments; resolves to its summary and exit code. */
function runOn(lineName, argv) {
  const node = nodeFor(lineName);
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GOKILN_TEST_CHILD: '1' };
    const child = spawn(node, [fileURLToPath(import.meta.url), ...argv], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let tail = '';
    child.stdout.on('data', (b) => {
      process.stdout.write(b);
      tail = (tail + b.toString('utf8')).slice(-500);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(tail);
      resolve({ code, passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 1), skipped: Number(m?.[3] ?? 0) });
    });
  });
}

const own = process.versions.node.split('.')[0];
if (line !== null && line !== own && line !== 'current') {
  // another line asked for: the same run under that node (node:test starts each file with process.execPath)
  const r = await runOn(line, filter);
  process.exitCode = r.code ?? 1;
} else if (line === null && filter.length === 0 && process.env.GOKILN_TEST_LINES !== 'current') {
  const plan = [[FULL_LINE, []], ...OTHER_LINES.map((l) => [l, LINE_TESTS])];
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const per = [];
  for (const [l, words] of plan) {
    process.stdout.write(`\n== Node ${l}: ${words.length ? `the CLI and library tests (${words.join(' ')})` : 'the whole suite'}\n`);
    let r;
    try {
      r = await runOn(l, ['--node', 'current', ...words]);
    } catch (e) {
      // a line whose binary cannot be had (offline, no npm) is a failure, never a silent skip
      process.stdout.write(`Node ${l}: ${e?.message ?? e}\n`);
      r = { code: 1, passed: 0, failed: 1, skipped: 0 };
    }
    per.push(`Node ${l}: ${r.passed} passed, ${r.failed} failed`);
    for (const k of Object.keys(totals)) totals[k] += r[k];
  }
  process.stdout.write(`\n${per.join('; ')}\n`);
  totals.failed += runExtras();
  const tail = totals.skipped && process.env.CI !== 'true' ? `, ${totals.skipped} skipped` : '';
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed${tail}\n`);
  process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
} else {
  runHere(filter);
}

function runHere(filter) {
  let files = findTests('dist/test').sort();
  if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));

  let passed = 0,
    failed = 0,
    skipped = 0;
  const stream = run({ files, concurrency: 2, timeout: 15 * 60 * 1000 });
  stream.on('test:pass', (e) => {
    // a skipped suite's tests never run and are never reported one by one: the suite counts as one skip
    if (e.details?.type === 'suite') {
      if (e.skip || e.todo) skipped++;
      return;
    }
    if (e.skip || e.todo) skipped++;
    else passed++;
  });
  stream.on('test:fail', (e) => {
    if (
      e.details?.type === 'suite' &&
      !(e.details?.error?.failureType === 'hookFailed' || e.details?.error?.failureType === 'testCodeFailure')
    )
      return;
    failed++;
  });
  const report = stream.compose(spec);
  report.pipe(process.stdout, { end: false });
  // the summary goes after everything the spec reporter printed, so it is the last line CI reads
  report.on('end', () => {
    // a skip is never a pass; in CI a skipped test means a missing tool, which is a failure
    if (process.env.CI === 'true') {
      failed += skipped;
    }
    // a run under the whole-suite plan above counts these once, at its end
    if (!IS_CHILD) failed += runExtras();
    const tail = skipped && process.env.CI !== 'true' ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
    process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
  });
}

/**
 * Failures that are not tests, passed on by scripts/test.mjs: a fixture build that failed, and whatever
 * the tests left in the run's own TMPDIR (one failure each, named).
 */
function runExtras() {
  let n = Number(process.env.GOKILN_SETUP_FAILED ?? 0) || 0;
  const guard = process.env.GOKILN_TMP_GUARD;
  if (guard) {
    const left = readdirSync(guard);
    if (left.length) process.stdout.write(`\nleft in TMPDIR by the tests (one failure each): ${left.sort().join(', ')}\n`);
    n += left.length;
  }
  return n;
}
