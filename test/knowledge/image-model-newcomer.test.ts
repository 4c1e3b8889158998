/**
 * The newcomer's cost: a Debian release and an Alpine release added to the knowledge tables (one record
 * each in distros.ts and alpine.ts, nothing else) are answered everywhere — lint's facts, inspect's
 * runtime catalog and its default set, `latest`, the listing of spellings, the golang tags that name the
 * suite, and the names the generators write. The releases are hypothetical ("duke", 3.99), added to the
 * tables before the model is loaded, the path a real record takes. This file runs in a process of its own,
 * so the rest of the suite never sees them.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { DEBIAN_RELEASES } from '../../src/knowledge/distros.js';
import { ALPINE_RELEASES } from '../../src/knowledge/alpine.js';
import { KNOWLEDGE_CHECKED } from '../../src/knowledge/provenance.js';

const trixie = DEBIAN_RELEASES.find((r) => r.codename === 'trixie')!;
DEBIAN_RELEASES.push({
  ...trixie,
  version: '14',
  codename: 'duke',
  glibc: '2.99',
  inspectDefault: true,
  released: '2026-01-01',
  eol: '2031-01-01',
  extendedEol: '2033-06-30',
  source: 'hypothetical release for test/knowledge/image-model-newcomer.test.ts',
  checked: KNOWLEDGE_CHECKED,
});
ALPINE_RELEASES.push({
  version: '3.99',
  musl: '9.9.9',
  released: '2026-01-02',
  eol: '2028-01-01',
  openssl: '3',
  source: 'hypothetical',
  checked: KNOWLEDGE_CHECKED,
});

// loaded after the tables grew, as the real tables are loaded before anything reads them
const { describeImage, findRuntime } = await import('../../src/knowledge/image-model.js');
const { RUNTIMES, runtimeListing } = await import('../../src/knowledge/runtimes.js');
const { golangImage } = await import('../../src/knowledge/golang-images.js');
const { imageName } = await import('../../src/knowledge/image-names.js');

test('a Debian release added to distros.ts is answered by every question, with no other file touched', () => {
  for (const ref of ['debian:duke', 'debian:14', 'debian:14.1-slim', 'docker.io/library/debian:duke-slim']) {
    const f = describeImage(ref);
    assert.deepEqual([f.kind, f.os?.release, f.libc, f.glibc, f.shell], ['debian', 'duke', 'glibc', '2.99', true], ref);
    assert.equal(findRuntime(ref)?.name, 'debian:duke', ref);
  }
  const rt = findRuntime('debian:duke')!;
  assert.equal(rt.symbolVersions.find((s) => s.soname === 'libc.so.6')?.max, '2.99');
  assert.ok(rt.arches.includes('riscv64'), 'Debian 13 and later are published for riscv64');
  assert.equal(rt.eol, '2031-01-01');
  assert.ok(
    RUNTIMES.some((r) => r.name === 'debian:duke'),
    'judged by default (inspectDefault)',
  );
  assert.equal(findRuntime('debian')?.name, 'debian:duke', 'latest follows the newest released Debian');
  assert.ok(
    runtimeListing()
      .find((l) => l.name === 'debian:duke')
      ?.spellings.includes('debian'),
  );
  const g = golangImage('golang:1.27-duke');
  assert.deepEqual([g?.os, g?.release, g?.libcVersion, g?.published], ['debian', 'duke', '2.99', false]);
  assert.equal(describeImage(imageName({ family: 'debian', suite: 'duke', slim: true })).runtime?.name, 'debian:duke');
});

test('an Alpine release added to alpine.ts is a runtime, the latest one, with its musl', () => {
  const f = describeImage('alpine:3.99');
  assert.deepEqual([f.os?.release, f.musl, f.runtime?.name], ['3.99', '9.9.9', 'alpine:3.99']);
  assert.equal(findRuntime('alpine')?.name, 'alpine:3.99');
  assert.ok(RUNTIMES.some((r) => r.name === 'alpine:3.99'));
  const g = golangImage('golang:1.27-alpine3.99');
  assert.deepEqual(
    [g?.libcVersion, g?.published],
    ['9.9.9', false],
    'read, and known never published: the golang history is its own table',
  );
});
