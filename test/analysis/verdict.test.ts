/**
 * verdictFor on constructed facts: the choices real runs cannot show on this amd64 host (other platforms,
 * other dates, library versions none of the fixtures need). The behaviour each case encodes was seen in
 * verdict-rootfs.test.ts for the amd64 analogue.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { verdictFor, verdictsFor, platformFor, type BinaryFacts } from '../../src/analysis/verdict.js';
import { NO_NEEDS } from '../../src/analysis/needs.js';
import { RUNTIMES } from '../../src/knowledge/runtimes.js';
import { findRuntime } from '../../src/knowledge/image-model.js';

const rt = (n: string) => {
  const r = findRuntime(n);
  if (!r) throw new Error(n);
  return r;
};

const STATIC: BinaryFacts = {
  format: 'elf',
  os: 'linux',
  arch: 'amd64',
  kind: 'executable',
  linking: 'static',
  interpreter: null,
  libc: 'none',
  needed: [],
  glibcRequired: null,
  versionNeeds: [],
  needs: NO_NEEDS,
  cgo: false,
};
const GLIBC: BinaryFacts = {
  ...STATIC,
  linking: 'dynamic',
  interpreter: '/lib64/ld-linux-x86-64.so.2',
  libc: 'glibc',
  needed: ['libc.so.6'],
  cgo: true,
  glibcRequired: '2.34',
  versionNeeds: [{ file: 'libc.so.6', versions: ['GLIBC_2.34', 'GLIBC_2.32', 'GLIBC_2.3.2', 'GLIBC_2.2.5'] }],
};
const TODAY = '2026-11-26';

describe('platform', () => {
  test('a runtime is judged on the binary`s arch when published for it, else amd64', () => {
    const arm = { ...STATIC, arch: 'arm64' };
    assert.equal(platformFor(arm, rt('distroless/static-debian12')), 'arm64');
    assert.equal(verdictFor(arm, rt('distroless/static-debian12'), { today: TODAY }).verdict, 'runs');
    const rv = { ...STATIC, arch: 'riscv64' };
    assert.equal(verdictFor(rv, rt('distroless/static-debian13'), { today: TODAY }).verdict, 'runs');
    const v = verdictFor(rv, rt('distroless/static-debian12'), { today: TODAY });
    assert.deepEqual([v.verdict, v.reason, v.message], ['fails', 'wrong-arch', 'exec /app: exec format error']);
    assert.equal(verdictFor(arm, rt('alpine:3.22'), { today: TODAY, platform: 'amd64' }).reason, 'wrong-arch');
  });
  test('a 32-bit companion runs on the 64-bit platform (with a warning); its dynamic form misses its loader', () => {
    const i386 = { ...STATIC, arch: '386' };
    // distroless publishes no 386 image: the amd64 one, whose kernel runs 386 code (seen for real in verdict-rootfs)
    assert.equal(platformFor(i386, rt('distroless/static-debian12')), 'amd64');
    const v = verdictFor(i386, rt('distroless/static-debian12'), { today: TODAY });
    assert.deepEqual([v.verdict, v.reason], ['runs', 'ok']);
    assert.match(v.warnings.find((w) => w.code === 'compat-arch')?.message ?? '', /386 binary in the amd64 image.*IA32 emulation/);
    // debian publishes 386: judged natively, no warning
    assert.ok(!verdictFor(i386, rt('debian:bookworm'), { today: TODAY }).warnings.some((w) => w.code === 'compat-arch'));
    const dyn = { ...GLIBC, arch: '386', interpreter: '/lib/ld-linux.so.2', versionNeeds: [] };
    const d = verdictFor(dyn, rt('ubuntu:24.04'), { today: TODAY });
    assert.deepEqual([d.verdict, d.reason, d.message], ['fails', 'no-interpreter', 'exec /app: no such file or directory']);
    assert.ok(!d.warnings.some((w) => w.code === 'compat-arch'));
    // arm on an arm64 kernel: only where the CPU has AArch32, said in the warning
    const arm = verdictFor({ ...STATIC, arch: 'arm' }, rt('alpine:3.22'), { today: TODAY, platform: 'arm64' });
    assert.equal(arm.verdict, 'runs');
    assert.match(arm.warnings.find((w) => w.code === 'compat-arch')?.message ?? '', /AArch32/);
    // no companion the other way round, nor across families
    assert.equal(verdictFor(STATIC, rt('alpine:3.22'), { today: TODAY, platform: '386' }).reason, 'wrong-arch');
    assert.equal(verdictFor(i386, rt('alpine:3.22'), { today: TODAY, platform: 'arm64' }).reason, 'wrong-arch');
  });

  test('the arm64 loader is expected on an arm64 platform', () => {
    const arm = { ...GLIBC, arch: 'arm64', interpreter: '/lib/ld-linux-aarch64.so.1', versionNeeds: [] };
    assert.equal(verdictFor(arm, rt('debian:bookworm'), { today: TODAY }).verdict, 'runs');
    assert.equal(
      verdictFor({ ...arm, interpreter: '/lib64/ld-linux-x86-64.so.2' }, rt('debian:bookworm'), { today: TODAY }).reason,
      'no-interpreter',
    );
  });
});

describe('loader and libraries', () => {
  test('glibc versions: every missing one, in the order the binary lists them, with the image`s libc path', () => {
    const v = verdictFor(GLIBC, rt('debian:bullseye'), { today: TODAY, pathInImage: '/usr/local/bin/app' });
    assert.equal(v.reason, 'glibc-too-old');
    assert.equal(
      v.message,
      [
        "/usr/local/bin/app: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /usr/local/bin/app)",
        "/usr/local/bin/app: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.32' not found (required by /usr/local/bin/app)",
      ].join('\n'),
    );
    assert.equal(verdictFor(GLIBC, rt('ubuntu:22.04'), { today: TODAY }).verdict, 'runs');
    assert.equal(verdictFor(GLIBC, rt('ubuntu:20.04'), { today: TODAY }).reason, 'glibc-too-old');
    assert.equal(verdictFor(GLIBC, rt('distroless/base-debian12'), { today: TODAY }).verdict, 'runs');
  });
  test('libstdc++ from a newer GCC: library-too-old; missing in distroless/base: missing-library', () => {
    const cxx: BinaryFacts = {
      ...GLIBC,
      needed: ['libstdc++.so.6', 'libc.so.6'],
      versionNeeds: [
        { file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.32', 'CXXABI_1.3'] },
        { file: 'libc.so.6', versions: ['GLIBC_2.34'] },
      ],
    };
    assert.equal(verdictFor(cxx, rt('distroless/cc-debian13'), { today: TODAY }).verdict, 'runs');
    const old = verdictFor(cxx, rt('distroless/cc-debian12'), { today: TODAY });
    assert.equal(old.reason, 'library-too-old');
    assert.match(old.message ?? '', /libstdc\+\+\.so\.6: version `GLIBCXX_3\.4\.32' not found/);
    const base = verdictFor(cxx, rt('distroless/base-debian12'), { today: TODAY });
    assert.equal(base.reason, 'missing-library');
    assert.equal(
      base.message,
      '/app: error while loading shared libraries: libstdc++.so.6: cannot open shared object file: No such file or directory',
    );
  });
  test('musl: libc names are the loader`s own; other libraries must be there', () => {
    const musl: BinaryFacts = {
      ...STATIC,
      linking: 'dynamic',
      interpreter: '/lib/ld-musl-x86_64.so.1',
      libc: 'musl',
      needed: ['libc.musl-x86_64.so.1'],
      cgo: true,
    };
    assert.equal(verdictFor(musl, rt('alpine:3.24'), { today: TODAY }).verdict, 'runs');
    assert.equal(verdictFor({ ...musl, needed: ['libssl.so.3', 'libc.so'] }, rt('alpine:3.24'), { today: TODAY }).verdict, 'runs');
    const v = verdictFor({ ...musl, needed: ['libsqlite3.so.0', 'libc.so'] }, rt('alpine:3.24'), { today: TODAY });
    assert.equal(v.message, 'Error loading shared library libsqlite3.so.0: No such file or directory (needed by /app)');
    assert.equal(verdictFor(musl, rt('debian:bookworm'), { today: TODAY }).reason, 'wrong-libc');
    assert.equal(verdictFor(GLIBC, rt('alpine:3.24'), { today: TODAY }).reason, 'wrong-libc');
    assert.equal(verdictFor(GLIBC, rt('scratch'), { today: TODAY }).reason, 'no-interpreter');
    // Alpine keeps musl in /lib (its musl package lists /lib/ld-musl-x86_64.so.1): no Debian multiarch directory
    const multiarch = { ...musl, interpreter: '/lib/x86_64-linux-gnu/ld-musl-x86_64.so.1' };
    assert.equal(verdictFor(multiarch, rt('alpine:3.24'), { today: TODAY }).reason, 'no-interpreter');
    assert.equal(
      verdictFor({ ...musl, needed: ['/lib/x86_64-linux-gnu/ld-musl-x86_64.so.1'] }, rt('alpine:3.24'), { today: TODAY }).reason,
      'missing-library',
    );
    assert.equal(verdictFor({ ...musl, needed: ['/lib/ld-musl-x86_64.so.1'] }, rt('alpine:3.24'), { today: TODAY }).verdict, 'runs');
  });
  test('the multiarch and /usr spellings of the glibc loader are the same file', () => {
    for (const interp of ['/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', '/usr/lib64/ld-linux-x86-64.so.2']) {
      assert.equal(verdictFor({ ...GLIBC, interpreter: interp }, rt('debian:trixie'), { today: TODAY }).verdict, 'runs', interp);
    }
  });
  test('static-pie needs no loader; other formats and objects never exec', () => {
    assert.equal(verdictFor({ ...STATIC, linking: 'static-pie' }, rt('scratch'), { today: TODAY }).verdict, 'runs');
    assert.equal(verdictFor({ ...STATIC, format: 'pe', os: 'windows', libc: 'other' }, rt('scratch'), { today: TODAY }).reason, 'wrong-os');
    // an ELF for another OS (GOOS=freebsd: OS/ABI 9) is no Linux program either, though the format matches
    assert.equal(verdictFor({ ...STATIC, os: 'freebsd' }, rt('scratch'), { today: TODAY }).reason, 'wrong-os');
    assert.equal(verdictFor({ ...STATIC, kind: 'object' }, rt('scratch'), { today: TODAY }).reason, 'not-executable');
  });
});

describe('the day', () => {
  test('today must be a day: an empty or malformed string is a usage error, not the clock`s day', () => {
    // (a runtime with an end of support, so the day is read)
    for (const today of ['', '2026-13-01', 'today'])
      assert.throws(
        () => verdictFor(STATIC, rt('distroless/static-debian12'), { today }),
        (e: unknown) => (e as { code?: string }).code === 'E_USAGE',
        JSON.stringify(today),
      );
  });
});

describe('warnings', () => {
  const needy: BinaryFacts = { ...STATIC, needs: { ...NO_NEEDS, caCerts: true, tzdata: true, osUser: true } };
  const codes = (n: string, f = needy, today = TODAY) =>
    verdictFor(f, rt(n), { today })
      .warnings.map((w) => w.code)
      .sort();
  test('scratch lacks everything', () => {
    assert.deepEqual(codes('scratch'), ['no-ca-certs', 'no-shell', 'no-zoneinfo', 'os-user', 'runs-as-root']);
  });
  test('distroless has certs, zoneinfo, passwd; :nonroot is not root; :debug has a shell', () => {
    assert.deepEqual(codes('distroless/static-debian13'), ['no-shell', 'runs-as-root']);
    assert.deepEqual(codes('distroless/static-debian13:nonroot'), ['no-shell']);
    assert.deepEqual(codes('distroless/static-debian13:debug-nonroot'), []);
  });
  test('Alpine has certs but no zoneinfo; Debian the reverse; embedded tzdata silences no-zoneinfo', () => {
    assert.deepEqual(codes('alpine:3.24'), ['no-zoneinfo', 'runs-as-root']);
    assert.deepEqual(codes('debian:trixie'), ['no-ca-certs', 'runs-as-root']);
    assert.deepEqual(codes('alpine:3.24', { ...needy, needs: { ...needy.needs, tzdataEmbedded: true } }), ['runs-as-root']);
  });
  test('end of support on the given day', () => {
    assert.ok(codes('alpine:3.20', needy, '2026-04-01').includes('eol'));
    assert.ok(!codes('alpine:3.20', needy, '2026-03-31').includes('eol'));
    // Ubuntu's extended years (ESM) need Ubuntu Pro: the public image is past its support
    assert.ok(codes('ubuntu:20.04').includes('eol'));
    // Debian LTS still patches the public image: a notice, and the same sentence lint's GK022 gives
    const bookworm = (today: string) => verdictFor(needy, rt('debian:bookworm'), { today }).warnings;
    assert.deepEqual(
      bookworm('2026-11-26').filter((w) => w.code === 'eol' || w.code === 'lts-only'),
      [
        {
          code: 'lts-only',
          message: 'debian:bookworm left regular security support on 2026-07-11; Debian LTS updates continue until 2028-06-30',
        },
      ],
    );
    assert.ok(!bookworm('2026-07-10').some((w) => w.code === 'eol' || w.code === 'lts-only'));
    assert.ok(bookworm('2028-06-30').some((w) => w.code === 'eol' && w.message === 'debian:bookworm is out of support since 2028-06-30'));
    // distroless builds no images after Debian 12's regular end: no LTS phase
    assert.ok(codes('distroless/static-debian12').includes('eol'));
    assert.ok(!codes('distroless/static-debian13').includes('eol'));
  });
  test('a cgo-only module without cgo: a stub (go-sqlite3) fails as cgo-stub; one without a stub is a warning; with cgo neither', () => {
    const f = { ...STATIC, modules: ['github.com/mattn/go-sqlite3'] };
    const v = verdictFor(f, rt('scratch'), { today: TODAY });
    assert.deepEqual(
      [v.verdict, v.reason, v.message],
      ['fails', 'cgo-stub', "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub"],
    );
    assert.ok(!v.warnings.some((w) => w.code === 'cgo-required'));
    const withCgo = verdictFor({ ...f, cgo: true }, rt('scratch'), { today: TODAY });
    assert.equal(withCgo.reason, 'ok');
    assert.ok(!withCgo.warnings.some((w) => w.code === 'cgo-required'));
    // cgo unknown (no build info): nothing is claimed
    assert.equal(verdictFor({ ...f, cgo: null }, rt('scratch'), { today: TODAY }).reason, 'ok');
    const pcap = verdictFor({ ...STATIC, modules: ['github.com/google/gopacket'] }, rt('scratch'), { today: TODAY });
    assert.equal(pcap.reason, 'ok');
    assert.ok(pcap.warnings.some((w) => w.code === 'cgo-required'));
    // a loader failure comes first: the stub never gets to run
    const dyn = verdictFor(
      { ...f, linking: 'dynamic', interpreter: '/lib64/ld-linux-x86-64.so.2', libc: 'glibc', needed: ['libc.so.6'] },
      rt('scratch'),
      { today: TODAY },
    );
    assert.equal(dyn.reason, 'no-interpreter');
  });
});

test('verdictsFor keeps the catalog order and names', () => {
  const vs = verdictsFor(STATIC, RUNTIMES, { today: TODAY });
  assert.deepEqual(
    vs.map((v) => v.name),
    RUNTIMES.map((r) => r.name),
  );
  assert.ok(vs.every((v) => v.verdict === 'runs' && v.reason === 'ok' && v.message === null));
});

test('the path in the image is absolute or a usage error: an empty or relative one is never replaced by /app', () => {
  for (const pathInImage of ['', 'app', 'bin/app'])
    assert.throws(
      () => verdictFor(GLIBC, rt('debian:bullseye'), { today: TODAY, pathInImage }),
      (e: { code?: string }) => e.code === 'E_USAGE',
      JSON.stringify(pathInImage),
    );
  assert.match(verdictFor(GLIBC, rt('debian:bullseye'), { today: TODAY }).message ?? '', /^\/app: /);
});
