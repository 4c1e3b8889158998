import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { golangImage, golangVariantsFor, GOLANG_IMAGE_HISTORY, compareVersions } from '../../src/knowledge/golang-images.js';
import { goRelease, supportedGoMinors, GO_RELEASES } from '../../src/knowledge/go-releases.js';
import { runToolOrSkip } from '../truth/tools.js';

// Expectations below are read off docker-library/golang versions.json history (snapshot 7c8c182,
// 2026-08-19); the parser is what is under test, the table is the source's.
describe('golangImage', () => {
  const cases: Array<[string, Partial<ReturnType<typeof golangImage> & object>]> = [
    [
      'golang:1.23-alpine3.20',
      {
        goVersion: '1.23',
        os: 'alpine',
        release: '3.20',
        releaseExplicit: true,
        hasCgoToolchain: false,
        libc: 'musl',
        libcVersion: '1.2.5',
        resolvedGoVersion: '1.23.9',
      },
    ],
    [
      'golang:1.26',
      {
        goVersion: '1.26',
        os: 'debian',
        release: 'trixie',
        hasCgoToolchain: true,
        libc: 'glibc',
        libcVersion: '2.41',
        resolvedGoVersion: '1.26.11',
      },
    ],
    [
      'golang:1.25-bookworm',
      { goVersion: '1.25', os: 'debian', release: 'bookworm', releaseExplicit: true, hasCgoToolchain: true, libcVersion: '2.36' },
    ],
    ['golang:1.24.3-alpine', { goVersion: '1.24.3', os: 'alpine', release: '3.22', releaseExplicit: false, hasCgoToolchain: false }],
    ['golang:1.24.2-alpine', { goVersion: '1.24.2', os: 'alpine', release: '3.21' }],
    ['golang:1.22', { os: 'debian', release: 'bookworm', resolvedGoVersion: '1.22.12' }],
    ['golang:1.24.5', { os: 'debian', release: 'bookworm' }],
    ['golang:1.24.6', { os: 'debian', release: 'trixie' }],
    ['docker.io/library/golang:1.26@sha256:0123', { goVersion: '1.26', release: 'trixie' }],
    ['golang', { goVersion: null, goMinor: '1.27', release: 'trixie', resolvedGoVersion: '1.27.4' }],
    ['golang:alpine', { goVersion: null, os: 'alpine', release: '3.24' }],
    ['golang:1.21.0', { gotoolchainLocal: false }],
    ['golang:1.21.1', { gotoolchainLocal: true }],
    ['golang:1.20', { gotoolchainLocal: null }],
    ['golang:1.23-bullseye', { release: 'bullseye', published: true, libcVersion: '2.31' }],
    ['golang:1.26-bullseye', { release: 'bullseye', published: false }],
  ];
  for (const [tag, want] of cases) {
    test(tag, () => {
      const got = golangImage(tag);
      if (!got) return assert.fail(`${tag} not parsed`);
      for (const [k, v] of Object.entries(want)) assert.equal((got as unknown as Record<string, unknown>)[k], v, `${tag}.${k}`);
      assert.ok(got.source.includes('docker-library/golang'));
      assert.match(got.checked, /^\d{4}-\d{2}-\d{2}$/);
    });
  }
  for (const tag of [
    'golang:1.27rc1',
    'golang:tip-20260815',
    'node:20',
    'golang:1.99',
    'golang:1.26-windowsservercore',
    'golang:1.26alpine',
  ]) {
    test(`${tag} is not understood`, () => assert.equal(golangImage(tag), null));
  }
});

describe('golang image history', () => {
  test('variant sets start at ascending patch releases and name a default', () => {
    for (const [minor, h] of Object.entries(GOLANG_IMAGE_HISTORY)) {
      for (let i = 1; i < h.variants.length; i++) assert.ok(compareVersions(h.variants[i - 1]!.from, h.variants[i]!.from) <= 0, minor);
      for (const v of h.variants) {
        assert.ok(v.debian.length > 0 && v.alpine.length > 0, `${minor} ${v.from}`);
        assert.ok(v.from.startsWith(minor + '.'), `${minor} ${v.from}`);
      }
      assert.ok(h.lastPatch.startsWith(minor + '.'));
    }
  });
  test('the default Debian suite switched to trixie with 1.23.12/1.24.6/1.25.0 (2025-08-12)', () => {
    assert.equal(golangVariantsFor('1.24.5')?.debian[0], 'bookworm');
    assert.equal(golangVariantsFor('1.24.6')?.debian[0], 'trixie');
    assert.equal(golangVariantsFor('1.24.6')?.since, '2025-08-12');
  });
});

describe('Go releases', () => {
  test('support ends when minor+2 is released', () => {
    for (let i = 0; i + 2 < GO_RELEASES.length; i++) assert.equal(GO_RELEASES[i]!.eol, GO_RELEASES[i + 2]!.released);
    assert.equal(goRelease('go1.25.3')?.eol, '2026-08-19');
    assert.equal(goRelease('1.27')?.eol, null);
  });
  test('supported minors on a day', () => {
    assert.deepEqual(supportedGoMinors('2026-11-26'), ['1.26', '1.27']);
    assert.deepEqual(supportedGoMinors('2026-08-18'), ['1.25', '1.26']);
    assert.deepEqual(supportedGoMinors('2024-01-01'), ['1.20', '1.21']);
  });
  test('GA days agree with the golang image repository', () => {
    // the "Update to X.Y (GA)" commit lands the day of the release; its variants start that day (the
    // history starts at 1.16: the older minors are there for binaries built with them, not for images)
    const imaged = GO_RELEASES.filter((r) => compareVersions(r.minor, '1.16') >= 0);
    assert.equal(imaged.length, Object.keys(GOLANG_IMAGE_HISTORY).length);
    for (const r of imaged) {
      const first = GOLANG_IMAGE_HISTORY[r.minor]?.variants[0];
      if (!first) return assert.fail(r.minor);
      assert.equal(first.since, r.released, r.minor);
    }
  });
  test('every newest patch named is a real Go release: on the module proxy (1.21+, golang.org/toolchain)', (t) => {
    const r = runToolOrSkip(t, 'go', ['list', '-m', '-versions', 'golang.org/toolchain']);
    if (r === null) return;
    const listed = new Set(
      r
        .trim()
        .split(/\s+/)
        .flatMap((v) => /^v0\.0\.1-go(\d+\.\d+(?:\.\d+)?)\.linux-amd64$/.exec(v)?.[1] ?? []),
    );
    assert.ok(listed.size > 50, `only ${listed.size} toolchains listed`);
    const named = GO_RELEASES.filter((x) => compareVersions(x.minor, '1.21') >= 0).map((x) => x.latestPatch);
    assert.deepEqual(
      named.filter((p) => !listed.has(p)),
      [],
    );
  });
  test('a binary from a Go release before the image history still has its support dates', () => {
    assert.equal(goRelease('go1.15.5')?.eol, '2021-08-16');
    assert.equal(goRelease('go1.15.5')?.latestPatch, '1.15.15');
  });
  test('goRelease parses go version strings', () => {
    assert.equal(goRelease('go1.24rc1')?.minor, '1.24');
    assert.equal(goRelease('devel'), null);
  });
});

test('a full patch version is that release even on a later-dropped suite; a suite never published stays on the last patch', () => {
  // stretch was dropped from Go 1.17 at 1.17.11 (versions.json history): golang:1.17.3-stretch is Go 1.17.3 itself
  assert.equal(golangImage('golang:1.17.3-stretch')?.resolvedGoVersion, '1.17.3');
  assert.equal(golangImage('golang:1.17-stretch')?.resolvedGoVersion, '1.17.11');
  // Go 1.21 was never built on trixie: nothing was dropped, so no earlier patch is picked (and 1.21.0's missing
  // GOTOOLCHAIN=local is not claimed)
  const t = golangImage('golang:1.21-trixie')!;
  assert.deepEqual([t.published, t.resolvedGoVersion, t.gotoolchainLocal], [false, GOLANG_IMAGE_HISTORY['1.21']!.lastPatch, true]);
});

test('golangImage answers for Docker Hub’s golang only, and not for an empty tag', () => {
  assert.equal(golangImage('docker.io/library/golang:1.26')?.goMinor, '1.26');
  // another registry's golang is another image (mirrors are mapped to Docker Hub by the image model, not here)
  assert.equal(golangImage('example.com/golang:1.26'), null);
  assert.equal(golangImage('gcr.io/golang:1.26'), null);
  // `golang:` (FROM golang:${UNSET}) is refused by Docker (invalid reference format): it is not golang:latest
  assert.equal(golangImage('golang:'), null);
});
