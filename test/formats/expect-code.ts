/** Asserting that gokiln's readers fail with a typed error. */
import { strict as assert } from 'node:assert';
import { GokilnError } from '../../src/errors.js';

/** `fn` throws a GokilnError with this code (and, given `re`, a message matching it). */
export function expectCode(fn: () => unknown, code: string, re?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof GokilnError, `not a GokilnError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}
