/**
 * Mutants `npm run mutate` found alive in src/knowledge's image model, killed here (issue #20): what
 * describeImage says of golang tags older than the image history, moving Debian and Ubuntu tags, Red Hat
 * and Chainguard names, the accounts of golang images; the runtime spellings `alpine` and `debian`; and
 * whether a Go minor is beyond the image history.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { describeImage, findRuntime } from '../../src/knowledge/image-model.js';
import { latestRelease, runtimeListing } from '../../src/knowledge/runtimes.js';
import { chooseImages, recommendedImages } from '../../src/knowledge/image-choice.js';
import { DEBIAN_RELEASES, UBUNTU_RELEASES } from '../../src/knowledge/distros.js';
import { glibcDefaultDirs } from '../../src/knowledge/image-lookups.js';
import { renderMessage } from '../../src/knowledge/failure-messages.js';
import { CGO_MODULES } from '../../src/knowledge/cgo-libraries.js';
import { GOLANG_VARIANT_PACKAGES, newestGolangMinor } from '../../src/knowledge/golang-images.js';
import { sameReleaseRuntimes } from '../../src/knowledge/image-support.js';
import { GO_RELEASES, supportedGoMinors } from '../../src/knowledge/go-releases.js';
import { ALPINE_RELEASES } from '../../src/knowledge/alpine.js';

test('golang tags older than the image history: the Go minor and the OS the tag names, both past support', () => {
  // Go 1.10 predates every minor in the tables (they start at 1.11, released 2018-08-24); 1.14 is listed
  assert.equal(GO_RELEASES[0]!.minor, '1.11');
  const old = describeImage('golang:1.10');
  assert.deepEqual(
    [old.goVersion, old.goOlderThanKnown, old.os, old.olderThanKnown],
    ['1.10', true, { distro: 'debian', release: 'before bullseye' }, true],
  );
  const listed = describeImage('golang:1.14');
  assert.equal(listed.goOlderThanKnown, undefined);
  // minors before 1.16 were published on Alpine before 3.15 (the oldest Alpine in the tables)
  assert.equal(ALPINE_RELEASES[0]!.version, '3.15');
  const alp = describeImage('golang:1.14-alpine');
  assert.deepEqual([alp.os, alp.libc, alp.olderThanKnown], [{ distro: 'alpine', release: 'before 3.15' }, 'musl', true]);
  const alp311 = describeImage('golang:1.14-alpine3.11');
  assert.deepEqual([alp311.os, alp311.libc, alp311.olderThanKnown], [{ distro: 'alpine', release: '3.11' }, 'musl', true]);
  // a minor inside the history on a named Alpine: no "older than known"
  assert.equal(describeImage('golang:1.26-alpine3.22').olderThanKnown, undefined);
});

test('moving tags: debian:stable and ubuntu:rolling move; each name is checked against its own distribution’s aliases', () => {
  assert.equal(describeImage('debian:stable').movingTag, 'debian:stable follows whichever release is current, like latest');
  assert.equal(describeImage('debian:testing-slim').movingTag, 'debian:testing-slim follows whichever release is current, like latest');
  assert.equal(describeImage('ubuntu:rolling').movingTag, 'ubuntu:rolling follows whichever release is current, like latest');
  // not aliases of the other distribution
  assert.equal(describeImage('debian:rolling').movingTag, undefined);
  assert.equal(describeImage('ubuntu:stable').movingTag, undefined);
});

test('ubi-micro is known from Red Hat registries and Docker Hub’s redhat/ only; chainguard static only from cgr.dev', () => {
  for (const ref of ['registry.access.redhat.com/ubi9/ubi-micro', 'registry.redhat.io/ubi9-micro', 'redhat/ubi9-micro']) {
    const f = describeImage(ref);
    assert.deepEqual([f.kind, f.os], ['ubi', { distro: 'rhel', release: '9' }], ref);
  }
  assert.equal(describeImage('example.com/ubi9-micro').kind, 'unknown');
  assert.equal(describeImage('cgr.dev/chainguard/static').kind, 'chainguard');
  assert.equal(describeImage('cgr.dev/chainguard/go').kind, 'unknown');
  assert.equal(describeImage('example.com/chainguard/static').kind, 'unknown');
});

test('a golang image has the accounts of the OS it is built on (alpine-baselayout or base-passwd)', () => {
  assert.deepEqual(describeImage('golang:1.26-alpine').users, describeImage('alpine:3.22').users);
  assert.deepEqual(describeImage('golang:1.26-bookworm').users, describeImage('debian:bookworm').users);
  assert.notDeepEqual(describeImage('golang:1.26-alpine').users, describeImage('golang:1.26-bookworm').users);
});

test('the bare names alpine and debian are listed as spellings of the release they resolve to', () => {
  for (const [name, rel] of [
    ['alpine', `alpine:${latestRelease('alpine')}`],
    ['debian', `debian:${latestRelease('debian')}`],
  ] as const) {
    assert.equal(findRuntime(name)?.name, rel);
    const listed = runtimeListing().filter((r) => r.spellings.includes(name));
    assert.deepEqual(
      listed.map((r) => r.name),
      [rel],
      name,
    );
  }
});

test('a Go minor is beyond the image history only when newer than its newest minor', () => {
  const newest = newestGolangMinor();
  const [maj, min] = newest.split('.').map(Number) as [number, number];
  assert.equal(chooseImages(newest, '2026-11-26').beyondKnown, false);
  assert.equal(chooseImages(`${maj}.${min + 1}`, '2026-11-26').beyondKnown, true);
});

test('golang images have a C toolchain exactly when their variant installs gcc (Debian variants, not Alpine)', () => {
  for (const os of ['debian', 'alpine'] as const)
    assert.equal(GOLANG_VARIANT_PACKAGES[os].cgoToolchain, (GOLANG_VARIANT_PACKAGES[os].added as readonly string[]).includes('gcc'), os);
  assert.deepEqual(
    ['golang:1.26', 'golang:1.26-bookworm', 'golang:1.26-alpine', 'golang:1.26-alpine3.22'].map((t) => describeImage(t).cgoToolchain),
    [true, true, false, false],
  );
});

test("runtimes on a builder's Debian release: each image only while it is supported", () => {
  const debian = (release: string, day: string) => sameReleaseRuntimes({ distro: 'debian', release }, day);
  // distroless debian12 images end 2026-10-01 (docs/knowledge.md); debian:bookworm-slim has LTS until 2028-06-30
  assert.deepEqual(debian('bookworm', '2026-01-01'), ['debian:bookworm-slim', 'gcr.io/distroless/base-debian12']);
  assert.deepEqual(debian('bookworm', '2026-11-26'), ['debian:bookworm-slim']);
  // a release with no distroless image in the tables
  assert.deepEqual(debian('buster', '2020-01-01'), ['debian:buster-slim']);
});

test('golang tags on Debian before the tables: jessie is older than every listed release; a tag naming no Go version is not dated', () => {
  // Debian 8 (jessie) predates stretch, the oldest Debian in the tables
  assert.equal(DEBIAN_RELEASES[0]!.codename, 'stretch');
  const jessie = describeImage('golang:1.10-jessie');
  assert.deepEqual([jessie.os, jessie.olderThanKnown], [{ distro: 'debian', release: 'jessie' }, true]);
  const tip = describeImage('golang:tip');
  assert.deepEqual([tip.os, tip.olderThanKnown, tip.goVersion], [undefined, undefined, undefined]);
});

test('a glibc runtime is judged by its GLIBC_ symbol versions; distroless static, without libc, by none', () => {
  // distroless base-debian12 ships Debian 12's libc6 2.36 (docs/knowledge.md)
  assert.deepEqual(findRuntime('distroless/base-debian12')?.symbolVersions, [{ soname: 'libc.so.6', prefix: 'GLIBC_', max: '2.36' }]);
  assert.deepEqual(findRuntime('distroless/static-debian12')?.symbolVersions, []);
});

test('the recommended Ubuntu is the newest released by the day: on its release day, not before', () => {
  const u2604 = UBUNTU_RELEASES.find((u) => u.version === '26.04')!;
  assert.equal(recommendedImages(u2604.released).ubuntu, 'ubuntu:26.04');
  const before = new Date(Date.parse(u2604.released) - 86_400_000).toISOString().slice(0, 10);
  assert.equal(recommendedImages(before).ubuntu, 'ubuntu:24.04');
});

test('glibc searches /lib64 and /usr/lib64 only for 64-bit programs', () => {
  assert.deepEqual(glibcDefaultDirs('i386-linux-gnu', 32), ['/lib/i386-linux-gnu', '/usr/lib/i386-linux-gnu', '/lib', '/usr/lib']);
  assert.deepEqual(glibcDefaultDirs(undefined, 64), ['/lib64', '/usr/lib64', '/lib', '/usr/lib']);
});

test('a message placeholder given an empty value is filled with it; an unknown one stays as written', () => {
  assert.equal(renderMessage('exec {path}: {error}', { path: '' }), 'exec : {error}');
});

test('go-sqlite3 compiles the SQLite amalgamation it bundles (sqlite3-binding.c): no system library to install', () => {
  // github.com/mattn/go-sqlite3 links a system libsqlite3 only with the libsqlite3 build tag
  const m = CGO_MODULES.find((x) => x.module === 'github.com/mattn/go-sqlite3')!;
  assert.deepEqual(m.links, { bundled: true, libraries: [] });
});

test('chainguard static: the -dev variants add a shell, the others have none', () => {
  assert.deepEqual(
    ['latest-dev', 'latest', 'latest-glibc'].map((t) => describeImage(`cgr.dev/chainguard/static:${t}`).shell),
    [true, false, false],
  );
});

test('riscv64 images: Debian from 13 (its first release with riscv64 official), Alpine from 3.20, as the runtime table records', () => {
  const has = (name: string) => findRuntime(name)?.arches.includes('riscv64');
  assert.deepEqual([has('debian:bookworm'), has('debian:trixie')], [false, true]);
  assert.deepEqual([has('alpine:3.19'), has('alpine:3.20')], [false, true]);
  // the other architectures stay listed below the boundary
  assert.ok(findRuntime('alpine:3.19')?.arches.includes('amd64'));
});

test('a Go minor is supported until the day minor+2 is released: Go 1.24 ends on Go 1.26’s release day (2026-02-10)', () => {
  assert.deepEqual(supportedGoMinors('2026-02-09'), ['1.24', '1.25']);
  assert.deepEqual(supportedGoMinors('2026-02-10'), ['1.25', '1.26']);
});

test('an empty tag (FROM name:${UNSET}) names no release: no runtime, no user, no moving tag is made up for it', () => {
  // Docker and podman refuse `debian:` (invalid reference format); it is not `debian:latest`
  for (const ref of ['alpine:', 'debian:', 'gcr.io/distroless/static-debian12:']) {
    const f = describeImage(ref);
    assert.deepEqual([f.runtime, f.os], [undefined, undefined], ref);
  }
  assert.equal(describeImage('debian:').movingTag, undefined);
  assert.equal(describeImage('busybox:').movingTag, undefined);
  assert.equal(
    describeImage('busybox:latest').movingTag,
    'busybox:latest names no busybox release, so it follows every new one like latest',
  );
  assert.equal(describeImage('gcr.io/distroless/static-debian12:').defaultUser, undefined);
  // golang: a tag naming no Go minor moves; the note quotes the reference as written
  assert.equal(describeImage('golang:').movingTag, 'golang: names no Go minor, so it follows every new Go release like latest');
});

test('golang tags older than the image history still have a shell (Debian or Alpine based), and Windows tags no Debian', () => {
  assert.equal(describeImage('golang:1.10').shell, true);
  assert.equal(describeImage('golang:1.10-alpine').shell, true);
  // golang:1.15-windowsservercore-1809 is a Windows Server image: neither Debian nor glibc
  for (const t of ['golang:1.15-windowsservercore-1809', 'golang:1.14-nanoserver-1809', 'golang:1.16-windowsservercore-ltsc2016']) {
    const f = describeImage(t);
    assert.deepEqual([f.os, f.libc, f.olderThanKnown], [undefined, undefined, undefined], t);
  }
  // 1.16's pre-releases came out before 1.16.0, where the history starts (golang:1.16rc1 was on buster);
  // a 1.16 variant the history does not list was never published: its OS is not guessed
  for (const t of ['golang:1.16rc1', 'golang:1.16beta1'])
    assert.deepEqual([describeImage(t).os, describeImage(t).olderThanKnown], [{ distro: 'debian', release: 'before bullseye' }, true], t);
  assert.deepEqual(describeImage('golang:1.16rc1-alpine').os, { distro: 'alpine', release: 'before 3.15' });
  assert.equal(describeImage('golang:1.16-onbuild').os, undefined);
  // Go 1.11 is the oldest minor listed: a version equal to it (however spelled) is not older than the tables
  assert.equal(describeImage('golang:01.11').goOlderThanKnown, undefined);
  // Alpine 3.15 is the oldest Alpine listed: golang:1.15-alpine3.15 is on a known Alpine
  assert.equal(ALPINE_RELEASES[0]!.version, '3.15');
  assert.deepEqual(
    [describeImage('golang:1.15-alpine3.15').os, describeImage('golang:1.15-alpine3.15').olderThanKnown],
    [{ distro: 'alpine', release: '3.15' }, undefined],
  );
});

test('golang images: GOTOOLCHAIN=local known from 1.21 on (false for 1.21.0), not said of older ones; Alpine variants have no zoneinfo', () => {
  // docs/knowledge.md: golang:1.21.0 was built before GOTOOLCHAIN=local, every later tag has it
  const g = (t: string) => describeImage(t);
  assert.equal(g('golang:1.26').gotoolchainLocal, true);
  assert.equal(g('golang:1.21.0').gotoolchainLocal, false);
  assert.ok(!('gotoolchainLocal' in g('golang:1.20')));
  // alpine has no tzdata and the golang Alpine variant adds only ca-certificates (docs/knowledge.md)
  assert.equal(g('golang:1.26-alpine').zoneinfo, false);
  // an Alpine golang image has musl (its version as musl), no glibc version
  assert.deepEqual(
    [g('golang:1.26-alpine').glibc, g('golang:1.26-alpine').musl],
    [undefined, ALPINE_RELEASES.find((r) => r.version === g('golang:1.26-alpine').os?.release)?.musl],
  );
  assert.equal(g('golang:1.26-trixie').glibc, '2.41');
  assert.ok(!('zoneinfo' in g('golang:1.26-bookworm')), 'not recorded for the Debian variants');
});

test('ubuntu:24.04 has the ubuntu user (images from 23.04 on create it); debian images do not', () => {
  assert.ok(describeImage('ubuntu:24.04').users?.includes('ubuntu'));
  assert.ok(!describeImage('ubuntu:22.04').users?.includes('ubuntu'));
  assert.ok(!describeImage('debian:trixie').users?.includes('ubuntu'));
});

test('moving and unknown Debian and Ubuntu tags are not older than the tables; only releases before them are', () => {
  for (const t of ['debian:testing', 'debian:sid', 'debian:bookworm-backports', 'ubuntu:rolling', 'ubuntu:devel'])
    assert.equal(describeImage(t).olderThanKnown, undefined, t);
  assert.equal(describeImage('debian:jessie').olderThanKnown, true);
  assert.equal(describeImage('ubuntu:16.04').olderThanKnown, true);
});

test('distroless static has no libc with or without a -debianN suffix; base and cc have glibc', () => {
  // distroless static: CA bundle, tzdata, passwd, no libc (GoogleContainerTools/distroless static/README.md)
  for (const ref of ['gcr.io/distroless/static', 'gcr.io/distroless/static:nonroot', 'gcr.io/distroless/static-debian13'])
    assert.equal(describeImage(ref).libc, 'none', ref);
  assert.equal(describeImage('gcr.io/distroless/base-debian13').libc, 'glibc');
  assert.notEqual(describeImage('gcr.io/distroless/base').libc, 'none');
  assert.notEqual(describeImage('gcr.io/distroless/cc:nonroot').libc, 'none');
});

test('distroless is gcr.io/distroless/* only; other gcr.io images and other registries’ distroless/* are unknown', () => {
  assert.equal(describeImage('gcr.io/distroless/static-debian13').kind, 'distroless');
  assert.equal(describeImage('gcr.io/kaniko-project/executor:v1.23.2').kind, 'unknown');
  assert.equal(describeImage('example.com/distroless/static-debian13').kind, 'unknown');
  // ubi-micro is Red Hat's: a Docker Hub name outside redhat/ is not it
  assert.equal(describeImage('ubi9-micro').kind, 'unknown');
  assert.equal(describeImage('registry.access.redhat.com/ubi9/ubi-micro').kind, 'ubi');
});

test('group names: scratch has no /etc/group; distroless has the nonroot group (65532)', () => {
  assert.equal(describeImage('scratch').groups, null);
  assert.ok(describeImage('gcr.io/distroless/static-debian12:nonroot').groups?.includes('nonroot'));
  assert.ok(!('groups' in describeImage('alpine:3.22')), 'Alpine group names are not recorded');
});

test('chainguard static (CA bundle and tzdata in every variant) and prometheus busybox (shell, CA bundle, zoneinfo)', () => {
  // edu.chainguard.dev static overview: ca-certificates-bundle and tzdata; -dev adds busybox
  for (const t of ['latest', 'latest-glibc', 'latest-dev']) {
    const f = describeImage(`cgr.dev/chainguard/static:${t}`);
    assert.deepEqual([f.caCerts, f.zoneinfo], [true, true], t);
  }
  // Docker Hub busybox: the busybox binary is /bin/sh (docker-library/busybox); no CA bundle, no zoneinfo
  const bb = describeImage('busybox:1.37-glibc');
  assert.deepEqual([bb.kind, bb.shell, bb.caCerts, bb.zoneinfo], ['busybox', true, false, false]);
  // prometheus/busybox README: busybox plus Debian's CA bundle, /usr/share/zoneinfo and /etc/services
  for (const ref of ['prom/busybox:latest', 'quay.io/prometheus/busybox:glibc']) {
    const f = describeImage(ref);
    assert.deepEqual([f.kind, f.shell, f.caCerts, f.zoneinfo], ['busybox', true, true, true], ref);
  }
});

test('ubuntu images have riscv64 from 20.04 on and 386 only up to 18.04 (platforms of each tag, docker-library/repo-info)', () => {
  const arches = (n: string) => findRuntime(n)?.arches ?? [];
  for (const v of ['20.04', '22.04', '24.04'])
    assert.deepEqual([arches(`ubuntu:${v}`).includes('riscv64'), arches(`ubuntu:${v}`).includes('386')], [true, false], v);
  assert.deepEqual([arches('ubuntu:18.04').includes('riscv64'), arches('ubuntu:18.04').includes('386')], [false, true]);
});

test('/usr is merged from Debian 12 and Ubuntu 20.04 on, not before (USR_MERGED, docs/knowledge.md)', () => {
  const merged = (n: string) => findRuntime(n)?.usrMerged;
  assert.deepEqual([merged('debian:bullseye'), merged('debian:bookworm')], [false, true]);
  assert.deepEqual([merged('ubuntu:18.04'), merged('ubuntu:20.04')], [false, true]);
});

test('the recommended Go is the newest released by the day: on its release day (Go 1.27: 2026-08-19), not before', () => {
  assert.equal(GO_RELEASES.find((r) => r.minor === '1.27')?.released, '2026-08-19');
  assert.equal(recommendedImages('2026-08-19').goMinor, '1.27');
  assert.equal(recommendedImages('2026-08-18').goMinor, '1.26');
});
