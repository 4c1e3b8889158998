/**
 * The small parts of the Debian base on their own: apt source files → the mirror (one-line and deb822
 * formats), deb822 stanzas and Depends, Release parsing, the lockfile's own checks, and a fuzz run of the
 * .deb reader (whatever the bytes, a typed GokilnError or a result, never a stray exception).
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { GokilnError } from '../../src/errors.js';
import {
  aptDebianMirrors,
  checkLockfile,
  defaultMirror,
  parseRelease,
  parseStanzas,
  readDeb,
  upstreamVersion,
} from '../../src/image/debian/index.js';
import { parseDepends } from '../../src/image/debian/packages-index.js';

describe('Debian base: units', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-debian-units-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('the mirror comes from apt sources, one-line and deb822, security archives left out', () => {
    const apt = join(tmp, 'apt');
    mkdirSync(join(apt, 'sources.list.d'), { recursive: true });
    writeFileSync(
      join(apt, 'sources.list'),
      '# a comment\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main\n',
    );
    writeFileSync(
      join(apt, 'sources.list.d', 'a.sources'),
      'Types: deb\nURIs: https://snap.example/archive/debian/20250520T000000Z\nSuites: bookworm\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n\nTypes: deb-src\nURIs: http://src.example/debian\n',
    );
    assert.deepEqual(aptDebianMirrors(apt), ['http://mirror.example/debian', 'https://snap.example/archive/debian/20250520T000000Z']);
    assert.equal(defaultMirror(join(tmp, 'none')), 'http://deb.debian.org/debian');
    rmSync(join(apt, 'sources.list'));
    assert.equal(defaultMirror(apt), 'https://snap.example/archive/debian/20250520T000000Z');
  });

  test('deb822 stanzas, continuation lines and Depends', () => {
    const [a, b] = parseStanzas(
      'Package: a\nDescription: one\n two\n .\n three\n\n\nPackage: b\r\nDepends: libc6 (>= 2.34), libgcc-s1 | libgcc1, zlib1g:any (>= 1:1.2.0)\n',
    );
    assert.equal(a!.get('Description'), 'one\ntwo\n.\nthree');
    assert.equal(b!.get('Package'), 'b');
    assert.deepEqual(parseDepends(b!.get('Depends')), [
      [{ name: 'libc6', relation: '>=', version: '2.34' }],
      [{ name: 'libgcc-s1' }, { name: 'libgcc1' }],
      [{ name: 'zlib1g', relation: '>=', version: '1:1.2.0' }],
    ]);
    assert.equal(upstreamVersion('2.36-9+deb12u14'), '2.36');
    assert.equal(upstreamVersion('1:1.2.13.dfsg-1'), '1.2.13');
  });

  test('a Release file without SHA256 sums is refused', () => {
    const r = parseRelease(
      `Suite: stable\nCodename: bookworm\nVersion: 12.12\nAcquire-By-Hash: yes\nSHA256:\n ${'a'.repeat(64)} 12 main/binary-amd64/Packages.gz\n`,
      'x',
    );
    assert.equal(r.codename, 'bookworm');
    assert.equal(r.acquireByHash, true);
    assert.deepEqual(r.sha256.get('main/binary-amd64/Packages.gz'), { sha256: 'a'.repeat(64), size: 12 });
    assert.throws(
      () => parseRelease('Suite: stable\nMD5Sum:\n 00 1 x\n', 'x'),
      (e: unknown) => e instanceof GokilnError && e.code === 'E_PARSE',
    );
  });

  test('lockfile checks', () => {
    const ok = {
      lockfileVersion: 1,
      suite: 'bookworm',
      arch: 'amd64',
      mirror: 'http://m/debian',
      packages: [
        { name: 'libc6', version: '2.36-9', architecture: 'amd64', url: 'http://m/debian/pool/l.deb', sha256: 'a'.repeat(64), size: 1 },
      ],
    };
    assert.equal(checkLockfile(ok, 'l').suite, 'bookworm');
    const bad = (v: unknown, m: RegExp): void =>
      assert.throws(
        () => checkLockfile(v, 'l'),
        (e: unknown) => e instanceof GokilnError && e.code === 'E_PARSE' && m.test(e.message),
      );
    bad({ ...ok, lockfileVersion: 2 }, /lockfileVersion/);
    bad({ ...ok, packages: [...ok.packages, ...ok.packages] }, /listed twice/);
    bad({ ...ok, packages: [{ ...ok.packages[0], url: 'file:///x.deb' }] }, /http\(s\) URL/);
    bad({ ...ok, packages: [{ ...ok.packages[0], size: -1 }] }, /size/);
    bad(null, /not an object/);
  });

  test('the .deb reader never throws a stray exception', async () => {
    const head = Buffer.from('!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (bytes, withHead) => {
        const input = withHead ? Buffer.concat([head, Buffer.from(bytes)]) : Buffer.from(bytes);
        try {
          await readDeb(input, 'fuzz.deb');
        } catch (e) {
          if (!(e instanceof GokilnError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
