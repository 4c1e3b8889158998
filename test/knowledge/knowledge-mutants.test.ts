/**
 * Mutants `npm run mutate` found alive in src/knowledge, killed here (issue #20): the Gregorian leap-year
 * rule of isCalendarDay (every 4th year, not centuries, but every 400th: 2000-02-29 exists, 1900-02-29 does
 * not — as Date.UTC agrees), the Ubuntu release from which images create the `ubuntu` user (23.04, its
 * boundary), and a sourced fact carrying no `note` key when it has no note.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { isCalendarDay, supportPhase } from '../../src/knowledge/eol.js';
import { ubuntuAccounts } from '../../src/knowledge/image-users.js';
import { sourced } from '../../src/knowledge/provenance.js';
import { newestGoMinor } from '../../src/knowledge/go-releases.js';
import { START_MESSAGES, startMessage } from '../../src/knowledge/image-lookups.js';
import { sameReleaseRuntimes } from '../../src/knowledge/image-support.js';
import { debianRelease, supportWindow } from '../../src/knowledge/distros.js';
import { distrolessImage } from '../../src/knowledge/distroless.js';
import { chooseImages } from '../../src/knowledge/image-choice.js';
import { cgoModuleFor } from '../../src/knowledge/cgo-libraries.js';

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

test('the first day of a month is a calendar day; day 00 is not (as Date.UTC agrees)', () => {
  for (const day of ['2024-03-01', '2026-01-01', '2026-12-01', '2026-01-00', '2026-13-01', '2026-00-10']) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    const real = d >= 1 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    assert.equal(isCalendarDay(day), real, day);
  }
  assert.equal(isCalendarDay('2024-03-01'), true);
});

test('the newest Go minor on a day counts the release day itself (go1.25.0: 2025-08-12, go.dev/doc/devel/release)', () => {
  assert.equal(newestGoMinor('2025-08-12'), '1.25');
  assert.equal(newestGoMinor('2025-08-11'), '1.24');
  // go1.11 (2018-08-24) is the oldest minor recorded: nothing before it
  assert.equal(newestGoMinor('2018-08-23'), null);
});

test('a start message is looked up by its id; an unknown id is a programming error', () => {
  assert.ok(START_MESSAGES.length >= 2);
  for (const m of START_MESSAGES) assert.equal(startMessage(m.id).id, m.id);
  // shell form on an image without /bin/sh: the runtime names /bin/sh (Docker turns shell form into /bin/sh -c)
  assert.match(startMessage('no-shell').text, /"\/bin\/sh": stat \/bin\/sh: no such file or directory/);
  assert.throws(() => startMessage('no-such-message'), /no start message no-such-message/);
});

test("runtimes on a builder's Debian release end on their first day without support, as supportPhase says", () => {
  // bullseye: Debian LTS until 2026-08-31 (recorded as its extended end); distroless base-debian12: 2026-10-01
  const cases: [string, string][] = [
    ['bullseye', '2026-08-30'],
    ['bullseye', '2026-08-31'],
    ['bookworm', '2026-09-30'],
    ['bookworm', '2026-10-01'],
  ];
  for (const [release, day] of cases) {
    const d = debianRelease(release)!;
    const want: string[] = [];
    if (supportPhase(supportWindow(d), day).phase !== 'ended') want.push(`debian:${release}-slim`);
    const dl = distrolessImage('base', Number(d.version));
    if (dl && supportPhase(dl, day).phase !== 'ended') want.push(`gcr.io/distroless/base-debian${dl.debian}`);
    assert.deepEqual(sameReleaseRuntimes({ distro: 'debian', release }, day), want, `${release} ${day}`);
  }
  assert.deepEqual(sameReleaseRuntimes({ distro: 'debian', release: 'bullseye' }, '2026-08-30'), ['debian:bullseye-slim']);
  assert.deepEqual(sameReleaseRuntimes({ distro: 'debian', release: 'bullseye' }, '2026-08-31'), []);
  assert.deepEqual(sameReleaseRuntimes({ distro: 'debian', release: 'bookworm' }, '2026-09-30'), [
    'debian:bookworm-slim',
    'gcr.io/distroless/base-debian12',
  ]);
  assert.deepEqual(sameReleaseRuntimes({ distro: 'debian', release: 'bookworm' }, '2026-10-01'), ['debian:bookworm-slim']);
});

test('a go line on the oldest supported minor is not raised; one below it is (Go supports the two newest minors)', () => {
  // on 2026-12-07 Go 1.26 and 1.27 are supported: 1.25 ended on 1.27's release day, 2026-08-19
  const same = chooseImages('1.26', '2026-12-07');
  assert.deepEqual([same.goMinor, same.raisedFrom], ['1.26', null]);
  const old = chooseImages('1.25.3', '2026-12-07');
  assert.deepEqual([old.goMinor, old.raisedFrom], ['1.26', '1.25']);
});

test('confluent-kafka-go links the librdkafka it bundles: no system library to install', () => {
  // its README: prebuilt librdkafka static libraries are bundled for glibc and musl (-tags musl on Alpine);
  // only -tags dynamic links a system librdkafka
  const m = cgoModuleFor('github.com/confluentinc/confluent-kafka-go/v2/kafka');
  assert.deepEqual(m?.links, { bundled: true, libraries: [] });
});
