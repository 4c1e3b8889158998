import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { RUNTIMES, KNOWN_RUNTIMES, loaderFor } from '../../src/knowledge/runtimes.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { COMPAT_ARCHES, compatArch } from '../../src/knowledge/compat-arch.js';
import { distrolessImage, DISTROLESS_IMAGES } from '../../src/knowledge/distroless.js';
import { FAILURE_MESSAGES, matchFailure, renderMessage } from '../../src/knowledge/failure-messages.js';
import { cgoModuleFor } from '../../src/knowledge/cgo-libraries.js';

describe('runtime catalog', () => {
  test('covers what inspect must judge', () => {
    const names = RUNTIMES.map((r) => r.name);
    for (const n of [
      'scratch',
      'distroless/static-debian12',
      'distroless/static-debian13',
      'distroless/base-debian12',
      'distroless/base-debian13',
      'distroless/cc-debian12',
      'distroless/cc-debian13',
      'alpine:3.18',
      'alpine:3.19',
      'alpine:3.20',
      'alpine:3.21',
      'alpine:3.22',
      'alpine:3.23',
      'alpine:3.24',
      'debian:bullseye',
      'debian:bookworm',
      'debian:trixie',
      'ubuntu:20.04',
      'ubuntu:22.04',
      'ubuntu:24.04',
    ])
      assert.ok(names.includes(n), n);
    assert.equal(new Set(names).size, names.length, 'no duplicates');
  });

  const spellings: Array<[string, string | null]> = [
    ['scratch', 'scratch'],
    ['gcr.io/distroless/static-debian12', 'distroless/static-debian12'],
    ['gcr.io/distroless/static-debian12:latest', 'distroless/static-debian12'],
    ['distroless/static-debian12:nonroot', 'distroless/static-debian12:nonroot'],
    ['gcr.io/distroless/base-debian13:debug-nonroot-arm64', 'distroless/base-debian13:debug-nonroot'],
    ['distroless/base-nossl-debian12', 'distroless/base-nossl-debian12'],
    ['alpine', 'alpine:3.24'],
    ['alpine:3.21.3', 'alpine:3.21'],
    ['alpine:3.16', 'alpine:3.16'],
    ['debian', 'debian:trixie'],
    ['debian:11', 'debian:bullseye'],
    ['debian:12-slim', 'debian:bookworm'],
    ['debian:bookworm-slim', 'debian:bookworm'],
    ['docker.io/library/debian:13', 'debian:trixie'],
    ['ubuntu:noble', 'ubuntu:24.04'],
    ['ubuntu:26.04', 'ubuntu:26.04'],
    ['ALPINE:3.22', 'alpine:3.22'],
    ['alpine:edge', null],
    ['distroless/java21-debian12', null],
    ['busybox', null],
  ];
  for (const [given, want] of spellings) {
    test(`findRuntime(${given})`, () => assert.equal(findRuntime(given)?.name ?? null, want));
  }

  test('distroless tags set user, workdir and shell', () => {
    const root = findRuntime('distroless/static-debian12')!;
    const nonroot = findRuntime('distroless/static-debian12:nonroot')!;
    const debug = findRuntime('distroless/static-debian12:debug')!;
    assert.deepEqual([root.defaultUser.uid, root.workdir, root.shell], [0, '/', null]);
    assert.deepEqual([nonroot.defaultUser, nonroot.workdir, nonroot.shell], [{ name: 'nonroot', uid: 65532 }, '/home/nonroot', null]);
    assert.deepEqual([debug.defaultUser.uid, debug.shell, debug.debug], [0, '/busybox/sh', true]);
  });

  test('distroless contents follow config.bzl: base has libssl, only cc has libstdc++ and libgcc_s', () => {
    assert.equal(distrolessImage('static', 12)?.libc.family, 'none');
    assert.deepEqual(distrolessImage('static', 12)?.libraries, []);
    assert.equal(distrolessImage('base-nossl', 13)?.libssl, false);
    assert.equal(distrolessImage('base', 12)?.libc.version, '2.36');
    assert.equal(distrolessImage('base', 13)?.libc.version, '2.41');
    assert.ok(distrolessImage('base', 12)?.libraries.includes('libssl.so.3'));
    assert.ok(!distrolessImage('base', 12)?.libraries.includes('libz.so.1'), 'zlib1g only from debian13 base');
    assert.ok(distrolessImage('base', 13)?.libraries.includes('libz.so.1'));
    assert.ok(!distrolessImage('base', 12)?.libraries.includes('libgcc_s.so.1'));
    assert.ok(distrolessImage('cc', 12)?.libraries.includes('libstdc++.so.6'));
    assert.ok(distrolessImage('cc', 13)?.libraries.includes('libgomp.so.1'));
    assert.ok(DISTROLESS_IMAGES.every((i) => i.arches.includes('amd64') && i.arches.includes('arm64')));
    assert.ok(distrolessImage('static', 13)?.arches.includes('riscv64'));
    assert.ok(!distrolessImage('static', 12)?.arches.includes('riscv64'));
  });

  test('merged /usr in distroless from Debian 13 on (its README: "Debian 13 distroless images use the debian UsrMerge scheme")', () => {
    const distroless = KNOWN_RUNTIMES.filter((r) => r.kind === 'distroless');
    assert.ok(distroless.some((r) => r.name.endsWith('-debian12')) && distroless.some((r) => r.name.endsWith('-debian13')));
    // a loader or library is found under /usr too only where /lib is a link into it
    for (const r of distroless) assert.equal(r.usrMerged, r.name.endsWith('-debian13'), r.name);
  });

  test('loaders per libc and arch', () => {
    assert.equal(loaderFor(findRuntime('debian:bookworm')!, 'amd64'), '/lib64/ld-linux-x86-64.so.2');
    assert.equal(loaderFor(findRuntime('distroless/base-debian12')!, 'arm64'), '/lib/ld-linux-aarch64.so.1');
    assert.equal(loaderFor(findRuntime('alpine:3.22')!, 'amd64'), '/lib/ld-musl-x86_64.so.1');
    assert.equal(loaderFor(findRuntime('alpine:3.22')!, 'arm64'), '/lib/ld-musl-aarch64.so.1');
    assert.equal(loaderFor(findRuntime('scratch')!, 'amd64'), null);
    assert.equal(loaderFor(findRuntime('distroless/static-debian13')!, 'amd64'), null);
  });

  test('contents that decide verdicts and warnings', () => {
    const r = (n: string) => findRuntime(n)!;
    assert.deepEqual([r('scratch').caCerts, r('scratch').zoneinfo, r('scratch').users], [false, false, null]);
    assert.deepEqual([r('alpine:3.22').caCerts, r('alpine:3.22').zoneinfo, r('alpine:3.22').shell], [true, false, '/bin/sh']);
    assert.deepEqual([r('debian:bookworm').caCerts, r('debian:bookworm').zoneinfo], [false, true]);
    assert.deepEqual([r('ubuntu:24.04').caCerts, r('ubuntu:24.04').zoneinfo], [false, false]);
    assert.ok(!r('debian:bookworm').libraries.includes('libssl.so.3'));
    assert.ok(r('debian:trixie').libraries.includes('libssl.so.3'));
    assert.ok(r('debian:bullseye').libraries.includes('libssl.so.1.1'));
    for (const rt of KNOWN_RUNTIMES) {
      assert.ok(rt.source.length > 10, rt.name);
      assert.match(rt.checked, /^\d{4}-\d{2}-\d{2}$/, rt.name);
      if (rt.libc.family !== 'none') assert.ok(rt.libc.version, rt.name);
    }
  });
});

describe('failure messages', () => {
  test('each has a cause, fix, source, and its key inside its text', () => {
    const ids = new Set<string>();
    for (const m of FAILURE_MESSAGES) {
      assert.ok(!ids.has(m.id), m.id);
      ids.add(m.id);
      assert.ok(m.text.includes(m.key), m.id);
      assert.ok(m.cause && m.fix && m.source && m.checked, m.id);
    }
  });
  test('render and match', () => {
    const t = renderMessage(
      '{path}: error while loading shared libraries: {lib}: cannot open shared object file: No such file or directory',
      { path: '/app', lib: 'libsqlite3.so.0' },
    );
    assert.equal(
      t,
      '/app: error while loading shared libraries: libsqlite3.so.0: cannot open shared object file: No such file or directory',
    );
    assert.deepEqual(
      matchFailure('panic: unknown time zone Europe/Berlin').map((m) => m.id),
      ['no-zoneinfo'],
    );
  });
});

describe('cgo modules', () => {
  test('go-sqlite3 and its packages', () => {
    assert.equal(cgoModuleFor('github.com/mattn/go-sqlite3')?.module, 'github.com/mattn/go-sqlite3');
    assert.equal(cgoModuleFor('github.com/mattn/go-sqlite3/sub')?.module, 'github.com/mattn/go-sqlite3');
    assert.equal(cgoModuleFor('modernc.org/sqlite'), undefined);
    // the stub's own words, as the sqlite-nocgo fixture prints them (verdict-rootfs.test.ts)
    assert.match(cgoModuleFor('github.com/mattn/go-sqlite3')?.withoutCgo ?? '', /go-sqlite3 requires cgo to work/);
  });
});

describe('32-bit companions', () => {
  test('each has a source and a day, and pairs a 64-bit platform with its own 32-bit architecture', () => {
    const pairs = COMPAT_ARCHES.map((c) => `${c.kernel}>${c.runs}`);
    assert.deepEqual(pairs.sort(), ['amd64>386', 'arm64>arm']);
    for (const c of COMPAT_ARCHES) {
      assert.ok(c.note && c.source, c.runs);
      assert.match(c.checked, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(compatArch(c.kernel, c.runs), c);
    }
    assert.equal(compatArch('386', 'amd64'), undefined);
  });
});
