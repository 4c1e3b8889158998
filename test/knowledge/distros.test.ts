import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DEBIAN_RELEASES, UBUNTU_RELEASES, debianRelease, ubuntuRelease, glibcOf } from '../../src/knowledge/distros.js';
import { ALPINE_RELEASES, alpineRelease, newestAlpine } from '../../src/knowledge/alpine.js';
import { LIBC6_SONAMES, GLIBC_LOADERS, muslLoader, debianLibPath } from '../../src/knowledge/libc.js';
import { isPastEol, daysUntilEol, isoDay } from '../../src/knowledge/eol.js';
import { readelfInterpreter, readelfText, readelfVersionDefsOf } from '../truth/readelf.js';
import { which } from '../truth/tools.js';

const CI = process.env.CI === 'true';

function hostCodename(): string | null {
  if (!existsSync('/etc/os-release')) return null;
  const m = /^VERSION_CODENAME=(\w+)/m.exec(readFileSync('/etc/os-release', 'utf8'));
  return m?.[1] ?? null;
}

/** Highest GLIBC_x.y a libc.so.6 defines, read with readelf (binutils) — the independent truth. */
function verdefMax(libc: string): string {
  const vs = readelfVersionDefsOf(libc).flatMap((name) => /^GLIBC_(\d+\.\d+(?:\.\d+)?)/.exec(name)?.[1] ?? []);
  vs.sort((a, b) => {
    const pa = a.split('.').map(Number),
      pb = b.split('.').map(Number);
    for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  });
  return vs.at(-1) ?? '';
}

describe('glibc by distribution', () => {
  test('lookup by number, codename and slim tag', () => {
    assert.equal(debianRelease('12')?.codename, 'bookworm');
    assert.equal(debianRelease('12.7')?.glibc, '2.36');
    assert.equal(debianRelease('bookworm-slim')?.glibc, '2.36');
    assert.equal(debianRelease('bullseye')?.glibc, '2.31');
    assert.equal(debianRelease('trixie')?.glibc, '2.41');
    assert.equal(debianRelease('buster')?.glibc, '2.28');
    assert.equal(ubuntuRelease('jammy')?.glibc, '2.35');
    assert.equal(ubuntuRelease('20.04')?.glibc, '2.31');
    assert.equal(ubuntuRelease('24.04.1')?.glibc, '2.39');
    assert.equal(glibcOf('ubuntu', '26.04'), '2.43');
    assert.equal(glibcOf('debian', 'sid'), null);
  });

  test('this host: its glibc (readelf verdef of libc.so.6) is the table entry of its release', (t) => {
    const code = hostCodename();
    const rel = code ? (debianRelease(code) ?? ubuntuRelease(code)) : null;
    if (!rel || !which('readelf')) {
      if (CI) assert.fail(`CI host must be a known Debian/Ubuntu release with readelf (got ${code})`);
      t.skip('host is not a Debian/Ubuntu release in the table');
      return;
    }
    const libc = debianLibPath('amd64', 'libc.so.6');
    // the banner names the release; the verdef maximum can lag one release (2.31 defines up to GLIBC_2.30)
    assert.equal(/release version (\d+\.\d+)/.exec(readFileSync(libc).toString('latin1'))?.[1], rel.glibc, `${code}: ${libc}`);
    const [, minor] = verdefMax(libc).split('.').map(Number);
    const want = Number(rel.glibc.split('.')[1]);
    assert.ok(minor === want || minor === want - 1, `verdef max ${verdefMax(libc)}`);
  });

  test('this host: every soname listed for libc6 is installed by libc6 (dpkg -L)', (t) => {
    if (!which('dpkg')) {
      if (CI) assert.fail('dpkg missing on the CI host');
      t.skip('no dpkg');
      return;
    }
    const files = execFileSync('dpkg', ['-L', 'libc6'], { encoding: 'utf8' }).split('\n');
    const names = new Set(files.map((f) => f.slice(f.lastIndexOf('/') + 1)));
    for (const so of LIBC6_SONAMES) assert.ok(names.has(so), `libc6 installs ${so}`);
    assert.ok(files.some((f) => f.endsWith('/ld-linux-x86-64.so.2')));
  });

  test('this host (bookworm): the libraries of the minbase list exist on a bookworm system', (t) => {
    if (hostCodename() !== 'bookworm') {
      if (CI) assert.fail('the CI host is expected to be Debian 12');
      t.skip('not bookworm');
      return;
    }
    const rel = debianRelease('bookworm')!;
    const missing = rel.libraries.filter((so) => !existsSync(debianLibPath('amd64', so)) && !existsSync(`/usr/lib/x86_64-linux-gnu/${so}`));
    assert.deepEqual(missing, []);
  });

  test('this host (bookworm): libstdc++ defines up to the GLIBCXX the table says', (t) => {
    if (hostCodename() !== 'bookworm' || !which('readelf')) {
      if (CI) assert.fail('the CI host is expected to be Debian 12 with binutils');
      t.skip('not bookworm');
      return;
    }
    const defs = readelfVersionDefsOf('/usr/lib/x86_64-linux-gnu/libstdc++.so.6');
    const vs = defs.flatMap((name) => {
      const m = /^GLIBCXX_3\.4\.(\d+)\b/.exec(name);
      return m ? [Number(m[1])] : [];
    });
    assert.equal(`3.4.${Math.max(...vs)}`, debianRelease('bookworm')!.glibcxx);
  });

  test('glibc grows with each release; every record is sourced and dated', () => {
    for (const list of [DEBIAN_RELEASES, UBUNTU_RELEASES]) {
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1]!.glibc.split('.').map(Number), list[i]!.glibc.split('.').map(Number)];
        assert.ok(a[1]! < b[1]!, `${list[i]!.codename}`);
      }
      for (const r of list) {
        assert.ok(r.source.length > 10);
        assert.match(r.checked, /^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });
});

describe('loaders', () => {
  test('the glibc loader is what this host`s binaries ask for (readelf -l /bin/ls)', () => {
    const interp = readelfInterpreter(readelfText('/bin/ls', ['-l', '-W']));
    assert.equal(interp, GLIBC_LOADERS.amd64);
  });
  test('the musl loader is what musl-gcc writes', (t) => {
    if (!which('musl-gcc')) {
      if (CI) assert.fail('musl-gcc (musl-tools) missing on the CI host');
      t.skip('no musl-gcc');
      return;
    }
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    execFileSync('sh', ['-c', `printf 'int main(void){return 0;}' > ${dir}/m.c && musl-gcc -o ${dir}/m ${dir}/m.c`]);
    const interp = readelfInterpreter(readelfText(`${dir}/m`, ['-l', '-W']));
    execFileSync('rm', ['-rf', dir]);
    assert.equal(interp, muslLoader('amd64'));
    assert.equal(muslLoader('arm64'), '/lib/ld-musl-aarch64.so.1');
  });
});

describe('Alpine', () => {
  test('musl per release', () => {
    assert.equal(alpineRelease('3.24')?.musl, '1.2.6');
    assert.equal(alpineRelease('3.20.3')?.musl, '1.2.5');
    assert.equal(alpineRelease('3.18')?.musl, '1.2.4');
    assert.equal(alpineRelease('3.16')?.openssl, '1.1');
    assert.equal(alpineRelease('3.17')?.openssl, '3');
    assert.equal(alpineRelease('2.0'), null);
    assert.equal(newestAlpine().version, '3.24');
  });
  test('releases are ordered and support ends after release', () => {
    for (let i = 1; i < ALPINE_RELEASES.length; i++) assert.ok(ALPINE_RELEASES[i - 1]!.released < ALPINE_RELEASES[i]!.released);
    for (const r of ALPINE_RELEASES) assert.ok(r.released < r.eol, r.version);
  });
});

describe('end of support', () => {
  test('isPastEol counts the eol day as past', () => {
    const a = alpineRelease('3.20')!; // eol 2026-04-01
    assert.equal(isPastEol(a, '2026-03-31'), false);
    assert.equal(isPastEol(a, '2026-04-01'), true);
    assert.equal(isPastEol(a, new Date('2026-11-26T10:00:00Z')), true);
    assert.equal(isPastEol({ eol: null }, '2100-01-01'), false);
    assert.equal(isPastEol(debianRelease('bullseye')!, '2024-08-13'), false);
    assert.equal(isPastEol(ubuntuRelease('20.04')!, '2026-11-26'), true);
  });
  test('daysUntilEol and isoDay', () => {
    assert.equal(daysUntilEol({ eol: '2026-12-01' }, '2026-11-26'), 5);
    assert.equal(daysUntilEol({ eol: '2026-11-01' }, '2026-11-26'), -25);
    assert.equal(daysUntilEol({ eol: null }, '2026-11-26'), null);
    assert.equal(isoDay(new Date('2026-02-03T23:59:59Z')), '2026-02-03');
    assert.throws(() => isoDay('26/11/2026'), { name: 'GokilnError' });
    // a day that does not exist is refused too, by the one check lint's --today uses
    for (const bad of ['2024-13-45', '2023-02-29', '2026-04-31']) assert.throws(() => isoDay(bad), { name: 'GokilnError' }, bad);
    assert.equal(isoDay('2024-02-29'), '2024-02-29');
  });
});

test('Debian images carry tzdata in every release (debootstrap minbase), Ubuntu images none (docs/knowledge.md)', () => {
  // docs/knowledge.md, facts 5: "Ubuntu images have neither tzdata nor ca-certificates; Debian images have tzdata"
  assert.deepEqual(
    DEBIAN_RELEASES.filter((r) => !r.tzdata).map((r) => r.codename),
    [],
  );
  assert.ok(DEBIAN_RELEASES.some((r) => r.codename === 'stretch') && DEBIAN_RELEASES.some((r) => r.codename === 'bullseye'));
  assert.deepEqual(
    UBUNTU_RELEASES.filter((r) => r.tzdata).map((r) => r.version),
    [],
  );
});
