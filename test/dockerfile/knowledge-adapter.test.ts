// The adapter maps image references to facts from src/knowledge; the expected values here are the ones in
// shared/facts.md (docker-library/golang, distroless README, Debian/Alpine package lists).
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { defaultKnowledge as k } from '../../src/dockerfile/knowledge-adapter.js';
import { parseImageRef } from '../../src/knowledge/image-ref.js';

const img = (s: string) => k.image(parseImageRef(s));

test('golang images: Go version, OS release, libc, C toolchain', () => {
  const a = img('golang:1.23-alpine3.20');
  assert.deepEqual(
    [a.kind, a.goVersion, a.os, a.libc, a.cgoToolchain],
    ['golang', '1.23', { distro: 'alpine', release: '3.20' }, 'musl', false],
  );
  const d = img('golang:1.27');
  assert.deepEqual([d.os?.distro, d.os?.release, d.libc, d.glibc, d.cgoToolchain], ['debian', 'trixie', 'glibc', '2.41', true]);
  assert.equal(img('golang:1.24-bookworm').glibc, '2.36');
  assert.equal(img('golang:1.27-alpine').os?.release, '3.24');
});

test('runtime images', () => {
  const s = img('scratch');
  assert.deepEqual([s.libc, s.shell, s.caCerts, s.zoneinfo], ['none', false, false, false]);
  const dl = img('gcr.io/distroless/static-debian12:nonroot');
  assert.deepEqual(
    [dl.kind, dl.libc, dl.shell, dl.caCerts, dl.zoneinfo, dl.defaultUser, dl.debug],
    ['distroless', 'none', false, true, true, '65532', false],
  );
  const base = img('gcr.io/distroless/base-debian13:debug');
  assert.deepEqual([base.libc, base.glibc, base.shell, base.defaultUser, base.debug], ['glibc', '2.41', false, 'root', true]);
  const al = img('alpine:3.21.3');
  assert.deepEqual([al.os?.release, al.libc, al.shell, al.caCerts, al.zoneinfo], ['3.21', 'musl', true, true, false]);
  assert.equal(img('alpine').os, undefined, 'latest names no release');
  assert.deepEqual([img('debian:bullseye-slim').glibc, img('debian:12-slim').glibc, img('ubuntu:24.04').glibc], ['2.31', '2.36', '2.39']);
  assert.equal(img('mycorp/base:1').kind, 'unknown');
  assert.equal(img('mycorp/base:1').shell, undefined, 'unknown images claim nothing');
});

test('support dates and cgo modules', () => {
  assert.equal(k.goSupportEnd('1.25'), '2026-08-19');
  assert.equal(k.goSupportEnd('1.27'), undefined);
  assert.deepEqual(k.osSupport('alpine', '3.20'), { eol: '2026-04-01' });
  assert.deepEqual(k.osSupport('debian', 'bullseye'), { eol: '2024-08-14', extendedEol: '2026-08-31', extendedSupport: 'lts' });
  assert.deepEqual(k.osSupport('ubuntu', '20.04'), { eol: '2025-05-29', extendedEol: '2030-04-01', extendedSupport: 'esm' });
  // the musl each Alpine image has, for GK001
  assert.equal(img('alpine:3.24').musl, '1.2.6');
  assert.equal(img('golang:1.27-alpine3.23').musl, '1.2.5');
  assert.equal(img('debian:trixie').musl, undefined);
  assert.match(k.cgoOnlyModule('github.com/mattn/go-sqlite3')?.note ?? '', /requires cgo to work/);
  assert.equal(k.cgoOnlyModule('modernc.org/sqlite'), undefined);
});
