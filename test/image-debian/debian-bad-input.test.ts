/**
 * Bad input for the Debian base, against the real mirror through a tampering proxy on 127.0.0.1: a
 * soname no package provides, an index whose bytes do not match the signed Release checksum, an
 * InRelease whose signed text was altered, a binary needing a newer glibc than the suite has, and an
 * unreachable mirror — where a build with a lockfile still works from the cache and one without fails
 * with E_NETWORK. The lockfile written is validated against schemas/lock.schema.json.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { GokilnError } from '../../src/errors.js';
import { checkLockfile, debianPackagesFor, defaultMirror, type ElfNeeds } from '../../src/image/debian/index.js';
import { fixture } from '../fixtures/index.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;

type Tamper = 'none' | 'signature' | 'index' | 'contents';

/** A proxy to the real mirror that can alter what it serves; `close()` makes the mirror unreachable. */
async function tamperingMirror(
  upstream: string,
): Promise<{ url: string; mode: { tamper: Tamper }; close: () => Promise<void>; server: Server }> {
  const mode = { tamper: 'none' as Tamper };
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      // the Packages index by name or by hash (the client asks by hash when the Release offers it)
      if (mode.tamper === 'index' && path.includes('/main/binary-amd64/')) {
        res.writeHead(200).end(Buffer.from('not the index the Release file names\n'));
        return;
      }
      // a Contents index that is not the signed one, and lies: zlib1g ships the loader and libc.so.6
      if (mode.tamper === 'contents' && /\/main\/(Contents-amd64\.gz|by-hash\/)/.test(path)) {
        if (path.includes('/by-hash/')) res.writeHead(404).end();
        else
          res
            .writeHead(200)
            .end(gzipSync('usr/lib/x86_64-linux-gnu/libc.so.6  libs/zlib1g\nusr/lib64/ld-linux-x86-64.so.2  libs/zlib1g\n'));
        return;
      }
      const up = await fetch(`${upstream}${path}`);
      let body = Buffer.from(await up.arrayBuffer());
      if (mode.tamper === 'signature' && path.endsWith('/InRelease')) {
        // change one byte of the signed text (a size in the checksum list): the signature no longer matches
        body = Buffer.from(
          body
            .toString('utf8')
            .replace(/ (\d)(\d+ main\/binary-amd64\/Packages\.gz)/, (_m, d: string, rest: string) => ` ${(Number(d) + 1) % 10}${rest}`),
        );
      }
      res.writeHead(up.status, { 'content-type': 'application/octet-stream' }).end(body);
    })().catch((e: Error) => res.writeHead(502).end(e.message));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/debian`, mode, server, close: () => new Promise((r) => server.close(() => r())) };
}

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof GokilnError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('Debian base: bad input', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-debian-bad-'));
  let mirror: Awaited<ReturnType<typeof tamperingMirror>>;
  before(async () => {
    mirror = await tamperingMirror(defaultMirror().replace(/\/debian$/, ''));
  });
  after(async () => {
    await mirror.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  const needs = (o: Partial<ElfNeeds>): ElfNeeds => ({
    file: '/app',
    arch: 'amd64',
    interpreter: '/lib64/ld-linux-x86-64.so.2',
    needed: ['libc.so.6'],
    glibc: '2.34',
    ...o,
  });

  test('a soname no package provides is named', async () => {
    await rejectsWith(
      debianPackagesFor([needs({ needed: ['libc.so.6', 'libgokiln-nowhere.so.7'] })], { suite: 'bookworm' }),
      'E_NOT_FOUND',
      /libgokiln-nowhere\.so\.7 \(needed by \/app\) is provided by no package of bookworm\/amd64/,
    );
  });

  test('a binary needing a newer glibc than the suite names the suite that would run it', async () => {
    await rejectsWith(
      debianPackagesFor([needs({ glibc: '2.41' })], { suite: 'bookworm' }),
      'E_PLATFORM',
      /needs GLIBC_2\.41, but bookworm's libc6 2\.36-\S+ provides glibc 2\.36; .*trixie/,
    );
  });

  test('an InRelease whose signed text was altered is refused', async () => {
    mirror.mode.tamper = 'signature';
    const cacheDir = join(tmp, 'cache-sig');
    await rejectsWith(
      debianPackagesFor([needs({})], { suite: 'bookworm', mirror: mirror.url, cacheDir }),
      'E_DIGEST',
      /InRelease: no valid signature by a key of the archive keyring/,
    );
    assert.equal(existsSync(join(cacheDir, 'sha256')), false, 'nothing was cached');
  });

  test('an index whose bytes differ from the Release checksum is refused and not cached', async () => {
    mirror.mode.tamper = 'index';
    const cacheDir = join(tmp, 'cache-index');
    await rejectsWith(
      debianPackagesFor([needs({})], { suite: 'bookworm', mirror: mirror.url, cacheDir }),
      'E_DIGEST',
      /binary-amd64\/(Packages\.gz|by-hash\/SHA256\/[0-9a-f]{64}): sha256 [0-9a-f]{64} \(37 bytes\) does not match the expected [0-9a-f]{64} \(\d+ bytes\)/,
    );
    const stored = existsSync(join(cacheDir, 'sha256')) ? readdirSync(join(cacheDir, 'sha256')) : [];
    assert.deepEqual(stored, [], 'nothing was cached');
  });

  test('a Contents index that is not the signed one is a hint only: a package it names that does not ship the file is not taken', async () => {
    mirror.mode.tamper = 'contents';
    const cacheDir = join(tmp, 'cache-contents');
    await rejectsWith(
      debianPackagesFor([needs({})], { suite: 'bookworm', mirror: mirror.url, cacheDir, base: false }),
      'E_NOT_FOUND',
      /the loader \/lib64\/ld-linux-x86-64\.so\.2 \(needed by \/app\) is provided by no package of bookworm\/amd64/,
    );
  });

  test('with the mirror unreachable, a lockfile build works from the cache; without one it fails', async () => {
    mirror.mode.tamper = 'none';
    const lockfile = join(tmp, 'gokiln.lock.json');
    const bin = fixture('cgo-glibc');
    const first = await debianPackagesFor([bin], { suite: 'bookworm', mirror: mirror.url, lockfile });
    assert.equal(first.from, 'index');
    assert.equal(first.wroteLockfile, lockfile);
    const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Array<{ url: string }> };
    assert.ok(
      lock.packages.every((p) => p.url.startsWith(mirror.url)),
      'the lock names the mirror it was resolved from',
    );
    const schema = JSON.parse(readFileSync('schemas/lock.schema.json', 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    assert.ok(validate(lock), JSON.stringify(validate.errors));
    checkLockfile(lock, lockfile);

    await mirror.close();
    const second = await debianPackagesFor([bin], { suite: 'bookworm', mirror: mirror.url, lockfile });
    assert.equal(second.from, 'lockfile');
    assert.deepEqual(
      second.set.packages.map((p) => [p.name, p.version, p.sha256]),
      first.set.packages.map((p) => [p.name, p.version, p.sha256]),
    );
    await rejectsWith(
      debianPackagesFor([bin], { suite: 'bookworm', mirror: mirror.url }),
      'E_NETWORK',
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/debian\/dists\/bookworm\/InRelease/,
    );
    // the lockfile is not replaced without update
    await rejectsWith(debianPackagesFor([bin], { suite: 'trixie', lockfile }), 'E_USAGE', /is for bookworm, not trixie/);

    // update resolves again from the (reachable) default mirror and replaces the lockfile
    const updated = await debianPackagesFor([bin], { suite: 'bookworm', lockfile, update: true });
    assert.equal(updated.from, 'index');
    const relocked = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Array<{ name: string; url: string }> };
    assert.deepEqual(
      relocked.packages.map((p) => p.name),
      lock.packages.map((p) => (p as unknown as { name: string }).name),
    );
    assert.ok(
      relocked.packages.every((p) => p.url.startsWith(defaultMirror())),
      'the lock now names the default mirror',
    );

    // a lockfile that no longer covers the binary says so
    const partial = { ...JSON.parse(readFileSync(lockfile, 'utf8')), packages: lock.packages.filter((p) => !p.url.includes('/glibc/')) };
    const stale = join(tmp, 'stale.lock.json');
    writeFileSync(stale, JSON.stringify(partial));
    await rejectsWith(
      debianPackagesFor([bin], { lockfile: stale }),
      'E_NOT_FOUND',
      /\(needed by .*\) is in none of the packages of .*stale\.lock\.json; refresh it with --update/,
    );
    // a corrupt lockfile is a parse error
    writeFileSync(
      stale,
      JSON.stringify({
        ...partial,
        packages: [{ name: 'x', version: '1', architecture: 'amd64', url: 'http://x/y.deb', sha256: 'nothex', size: 1 }],
      }),
    );
    await rejectsWith(debianPackagesFor([bin], { lockfile: stale }), 'E_PARSE', /sha256 must be 64 lowercase hex digits/);
  });
});
