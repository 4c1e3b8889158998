/**
 * One Debian release across plan, init and build: the Debian library's default suite is the suite of the
 * golang images gokiln's plan chooses for the newest Go line it knows, and `plan`'s package list names the
 * suite of the runtime it recommends (`debian:<suite>-slim`), offline.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { DEFAULT_SUITE } from '../../src/image/debian/index.js';
import { chooseImages } from '../../src/knowledge/image-choice.js';
import { newestGolangMinor } from '../../src/knowledge/golang-images.js';
import { isoDay } from '../../src/knowledge/eol.js';
import { planProjectPackages } from '../../src/index.js';
import { isGokilnError } from '../../src/errors.js';

test('DEFAULT_SUITE is the suite of the newest golang images', () => {
  const choice = chooseImages(newestGolangMinor(), isoDay(new Date()));
  assert.equal(DEFAULT_SUITE, choice.debian.suite);
  assert.equal(choice.debian.runtime, `debian:${DEFAULT_SUITE}-slim`);
});

test("plan's Debian packages are for the suite of the runtime it recommends", async () => {
  const { plan, debian } = await planProjectPackages('examples/png-cgo', { go: null });
  assert.equal(debian.length, 1);
  const d = debian[0]!;
  assert.equal(d.suite, plan.images.debian.suite);
  assert.equal(plan.binaries.find((b) => b.binary === 'png-cgo')?.runtimes.ubuntu, `debian:${d.suite}-slim`);
  // the suite's own package name: trixie renamed libpng16-16 for the 64-bit time_t transition
  assert.ok(
    d.packages.some((p) => p.name === (d.suite === 'trixie' ? 'libpng16-16t64' : 'libpng16-16')),
    JSON.stringify(d.packages.map((p) => p.name)),
  );
});

test('a --suite that is no Debian suite name is E_USAGE before any network, for plan and build alike', async () => {
  const { checkSuiteName } = await import('../../src/image/debian/index.js');
  const { debianBuildMode } = await import('../../src/build/debian-mode.js');
  const usage = (e: unknown) => isGokilnError(e) && e.code === 'E_USAGE' && /--suite Trixie\/1: a Debian suite name/.test(e.message);
  assert.throws(() => checkSuiteName('Trixie/1'), usage);
  assert.doesNotThrow(() => checkSuiteName('trixie'));
  assert.doesNotThrow(() => checkSuiteName(undefined));
  await assert.rejects(planProjectPackages('examples/png-cgo', { go: null, suite: 'Trixie/1' }), usage);
  const { plan } = await planProjectPackages('examples/png-cgo', { go: null });
  assert.throws(
    () => debianBuildMode({ dir: 'examples/png-cgo', output: { kind: 'oci', dir: 'x' }, paradigm: 'ubuntu', suite: 'Trixie/1' }, plan, []),
    usage,
  );
});
