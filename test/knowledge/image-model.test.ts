/**
 * The one image model: every runtime of the catalog is answerable through describeImage/findRuntime, and
 * what the model says of an image (libc and its version, shell, CA bundle, zoneinfo, default user, users)
 * agrees with the runtime tables inspect judges by; names written by imageName read back to what they say.
 * Expectations come from the tables themselves, so adding a release adds cases, never edits this file.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { KNOWN_RUNTIMES, type RuntimeInfo } from '../../src/knowledge/runtimes.js';
import { describeImage, findRuntime, type ImageFacts } from '../../src/knowledge/image-model.js';
import { imageName } from '../../src/knowledge/image-names.js';
import { ALPINE_RELEASES } from '../../src/knowledge/alpine.js';
import { DEBIAN_RELEASES, UBUNTU_RELEASES } from '../../src/knowledge/distros.js';
import { DISTROLESS_IMAGES } from '../../src/knowledge/distroless.js';
import { GOLANG_IMAGE_HISTORY } from '../../src/knowledge/golang-images.js';

/** The reference a user would write for a catalog entry (distroless names gain their registry). */
function reference(rt: RuntimeInfo): string {
  return rt.kind === 'distroless' ? `gcr.io/${rt.name}` : rt.name;
}

/** The model's facts and the catalog entry must say the same of one image. */
function assertAgree(ref: string, f: ImageFacts, rt: RuntimeInfo): void {
  assert.equal(f.libc, rt.libc.family, `${ref}: libc`);
  if (rt.libc.family === 'glibc') assert.equal(f.glibc, rt.libc.version, `${ref}: glibc version`);
  if (rt.libc.family === 'musl') assert.equal(f.musl, rt.libc.version, `${ref}: musl version`);
  // the model's `shell` is /bin/sh (what shell-form RUN and CMD use); :debug's busybox is at /busybox/sh
  assert.equal(f.shell, rt.shell === '/bin/sh', `${ref}: shell`);
  assert.equal(f.caCerts, rt.caCerts, `${ref}: CA bundle`);
  assert.equal(f.zoneinfo, rt.zoneinfo, `${ref}: zoneinfo`);
  assert.equal(f.defaultUser, rt.defaultUser.uid === 0 ? 'root' : String(rt.defaultUser.uid), `${ref}: default user`);
  if (rt.users === null) assert.equal(f.users, null, `${ref}: no /etc/passwd`);
  else for (const u of rt.users) assert.ok(f.users?.includes(u.name), `${ref}: user ${u.name} in /etc/passwd`);
}

describe('image model', () => {
  test('every runtime of the catalog, and every distroless tag, is answered through describeImage, agreeing with the runtime table', () => {
    let n = 0;
    for (const rt of KNOWN_RUNTIMES) {
      const tags = rt.kind === 'distroless' ? ['', ':nonroot', ':debug', ':debug-nonroot'] : [''];
      for (const tag of tags) {
        const ref = reference(rt) + tag;
        const f = describeImage(ref);
        assert.ok(f.runtime, `${ref} has a runtime`);
        assert.equal(f.runtime.name, rt.name + tag, ref);
        assert.deepEqual(findRuntime(ref), f.runtime, `${ref}: findRuntime is describeImage's runtime`);
        assertAgree(ref, f, f.runtime);
        n++;
      }
    }
    assert.ok(n >= KNOWN_RUNTIMES.length, `${n} references`);
  });

  test('a reference is read once: registries, digests, patch releases and mirrors reach the same runtime', () => {
    const cases: Array<[string, string | null]> = [
      ['docker.io/library/alpine:3.22@sha256:' + '0'.repeat(64), 'alpine:3.22'],
      ['public.ecr.aws/docker/library/alpine:3.22', 'alpine:3.22'],
      ['mirror.gcr.io/library/debian:bookworm-slim', 'debian:bookworm'],
      ['ubuntu:22.04.3', 'ubuntu:22.04'],
      ['ubuntu:jammy-20240101', 'ubuntu:22.04'],
      ['gcr.io/distroless/cc-debian13:debug-nonroot-arm64', 'distroless/cc-debian13:debug-nonroot'],
      ['quay.io/someone/alpine:3.22', null],
      ['gcr.io/alpine:3.22', null],
      ['golang:1.26-alpine3.24', null],
      ['alpine:3.22-foo', null],
    ];
    for (const [ref, want] of cases) assert.equal(findRuntime(ref)?.name ?? null, want, ref);
    // the ones lint reads too: os and libc version come from the same parse
    assert.equal(describeImage('ubuntu:jammy-20240101').glibc, UBUNTU_RELEASES.find((u) => u.codename === 'jammy')!.glibc);
  });

  test('names written by imageName read back to the family, release and variant they were written from', () => {
    for (const r of ALPINE_RELEASES) {
      const f = describeImage(imageName({ family: 'alpine', release: r.version }));
      assert.equal(f.os?.release, r.version);
      assert.equal(f.musl, r.musl);
    }
    for (const r of DEBIAN_RELEASES) {
      for (const slim of [true, false]) {
        const ref = imageName({ family: 'debian', suite: r.codename, slim });
        const f = describeImage(ref);
        assert.equal(f.os?.release, r.codename, ref);
        assert.equal(f.glibc, r.glibc, ref);
        assert.equal(f.runtime?.name, `debian:${r.codename}`, ref);
      }
    }
    for (const r of UBUNTU_RELEASES)
      assert.equal(describeImage(imageName({ family: 'ubuntu', version: r.version })).runtime?.name, `ubuntu:${r.version}`);
    for (const i of DISTROLESS_IMAGES) {
      const ref = imageName({ family: 'distroless', flavour: i.flavour, debian: i.debian, tag: 'nonroot' });
      const f = describeImage(ref);
      assert.equal(f.distrolessVariant, i.flavour, ref);
      assert.equal(f.distrolessDebian, i.debian, ref);
      assert.equal(f.defaultUser, '65532', ref);
      assert.equal(f.runtime?.name, `distroless/${i.flavour}-debian${i.debian}:nonroot`, ref);
    }
    for (const [minor, h] of Object.entries(GOLANG_IMAGE_HISTORY)) {
      const last = h.variants.at(-1)!;
      for (const suite of last.debian) {
        const f = describeImage(imageName({ family: 'golang', go: minor, os: 'debian', suite }));
        assert.deepEqual([f.kind, f.goVersion, f.os?.distro, f.os?.release], ['golang', minor, 'debian', suite]);
      }
      for (const release of last.alpine) {
        const f = describeImage(imageName({ family: 'golang', go: minor, os: 'alpine', release }));
        assert.deepEqual([f.kind, f.goVersion, f.os?.distro, f.os?.release, f.libc], ['golang', minor, 'alpine', release, 'musl']);
      }
    }
  });

  test('builders and images outside the catalog have no runtime', () => {
    for (const ref of [
      'golang:1.27-trixie',
      'cgr.dev/chainguard/static',
      'registry.access.redhat.com/ubi9/ubi-micro',
      'busybox',
      'node:22',
      'debian:stable',
    ]) {
      assert.equal(describeImage(ref).runtime, undefined, ref);
    }
  });
});
