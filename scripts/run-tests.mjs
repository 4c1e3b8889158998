#!/usr/bin/env node
// Runs every compiled test file with Node's test runner and ends with the line CI reads:
// "N passed, N failed" (and ", N skipped" when any were skipped). Exit code 1 on any failure.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = findTests('dist/test').sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));

let passed = 0, failed = 0, skipped = 0;
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
  if (e.details?.type === 'suite' && !(e.details?.error?.failureType === 'hookFailed' || e.details?.error?.failureType === 'testCodeFailure')) return;
  failed++;
});
const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
// the summary goes after everything the spec reporter printed, so it is the last line CI reads
report.on('end', () => {
  // a skip is never a pass; in CI a skipped test means a missing tool, which is a failure
  if (process.env.CI === 'true') { failed += skipped; }
  // from scripts/test.mjs: a failed fixture build, and the run's own TMPDIR, which must be empty now
  failed += Number(process.env.GOKILN_SETUP_FAILED ?? 0) || 0;
  const guard = process.env.GOKILN_TMP_GUARD;
  if (guard) {
    const left = readdirSync(guard);
    if (left.length) process.stdout.write(`\nleft in TMPDIR by the tests (one failure each): ${left.sort().join(', ')}\n`);
    failed += left.length;
  }
  const tail = skipped && process.env.CI !== 'true' ? `, ${skipped} skipped` : '';
  process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});
