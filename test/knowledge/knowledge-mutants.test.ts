/**
 * Mutants `npm run mutate` found alive in src/knowledge, killed here (issue #20): the Gregorian leap-year
 * rule of isCalendarDay (every 4th year, not centuries, but every 400th: 2000-02-29 exists, 1900-02-29 does
 * not — as Date.UTC agrees), the Ubuntu release from which images create the `ubuntu` user (23.04, its
 * boundary), and a sourced fact carrying no `note` key when it has no note.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { isCalendarDay } from '../../src/knowledge/eol.js';
import { ubuntuAccounts } from '../../src/knowledge/image-users.js';
import { sourced } from '../../src/knowledge/provenance.js';

test('isCalendarDay follows the Gregorian calendar on 29 February, as Date does', () => {
  for (const y of [1900, 2000, 2023, 2024, 2100, 2400]) {
    const day = `${y}-02-29`;
    const real = new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1;
    assert.equal(isCalendarDay(day), real, day);
  }
  assert.deepEqual(['2000-02-29', '2024-02-29', '2400-02-29'].map(isCalendarDay), [true, true, true]);
  assert.deepEqual(['1900-02-29', '2023-02-29', '2100-02-29'].map(isCalendarDay), [false, false, false]);
});

test('ubuntu images create the ubuntu user from 23.04 on, not before', () => {
  assert.ok((ubuntuAccounts('23.04').users ?? []).includes('ubuntu'));
  assert.ok((ubuntuAccounts('24.04').users ?? []).includes('ubuntu'));
  assert.ok(!(ubuntuAccounts('22.10').users ?? []).includes('ubuntu'));
  assert.ok(!(ubuntuAccounts('22.04').users ?? []).includes('ubuntu'));
});

test('a sourced fact has a note key only when it has a note', () => {
  assert.deepStrictEqual(sourced(1, 's', '2026-01-01'), { value: 1, source: 's', checked: '2026-01-01' });
  assert.deepStrictEqual(sourced(1, 's', '2026-01-01', 'n'), { value: 1, source: 's', checked: '2026-01-01', note: 'n' });
});
