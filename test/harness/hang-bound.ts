/**
 * The per-input bound of the fuzz tests (issue #3: "each input finishes within a bound"). It exists to
 * catch hangs and runaway loops on damaged input, not to measure speed: speed is measured in bench/ and
 * never asserted in a test. An input normally takes milliseconds; the bound is 25 s so that a loaded
 * 2-core CI machine (the suite runs two test files at once, plus garbage collection and the page cache
 * cold) never trips it, while an endless loop or an exponential blow-up still fails the test.
 */
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';

/** Milliseconds one fuzz input may take before it counts as a hang (see the file comment for why 25 s). */
export const HANG_BOUND_MS = 25_000;

/** Runs `fn` and fails when it took longer than HANG_BOUND_MS; returns what fn returned. */
export function withinHangBound<T>(fn: () => T, what = 'input'): T {
  const t0 = performance.now();
  // the check runs also when fn throws: an input that hangs and then fails is still a hang
  try {
    return fn();
  } finally {
    const ms = performance.now() - t0;
    assert.ok(ms < HANG_BOUND_MS, `${what} took ${ms.toFixed(0)} ms (hang bound ${HANG_BOUND_MS} ms)`);
  }
}
