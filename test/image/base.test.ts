/**
 * The embedded base: its digest is pinned (a change to the data, the tar writer or gzip shows here), its data
 * is regenerated from the pinned Debian packages and compared, and the layer writer's rules hold.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { needTool } from '../project/helpers.js';
import { BlobStore } from '../../src/image/write/blob-store.js';
import { normaliseEntries, writeLayer } from '../../src/image/write/layer.js';
import { embeddedBase, embeddedLock } from '../../src/image/base/embedded.js';
import { BASE_DEBS } from '../../src/image/base/packages.js';
import { GokilnError } from '../../src/errors.js';

/** Pinned: the embedded base for linux/amd64 with OCI media types (manifest), and its one layer. */
const GOLDEN = {
  manifest: 'sha256:d455c94aea5c43ada4920c08220ad257c805bb23679c1175395f9b8ec59670d0',
  layer: 'sha256:2c2e4951fcaea79fa07770c1a5da85fb0500e3f52d88f7d267f63691c2e6358c',
};

describe('embedded base', () => {
  const dirs: string[] = [];
  const store = () => {
    const d = mkdtempSync(join(tmpdir(), 'gokiln-base-test-'));
    dirs.push(d);
    return new BlobStore(d);
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('the golden digest: the same base on every machine; the layer cache gives the same, and a damaged one is not used', async () => {
    // a cache of its own: the first call compresses (what the golden digest pins), the next ones read the cache
    const cache = mkdtempSync(join(tmpdir(), 'gokiln-base-cache-'));
    dirs.push(cache);
    process.env.XDG_CACHE_HOME = cache;
    const a = await embeddedBase(store(), { os: 'linux', architecture: 'amd64' }, 'oci');
    const cached = join(cache, 'gokiln', 'embedded-base', GOLDEN.layer.slice('sha256:'.length));
    assert.equal(readFileSync(cached).length, a.layers[0]!.descriptor.size, 'the layer is cached');
    assert.equal(a.layers[0]!.descriptor.digest, GOLDEN.layer);
    assert.equal(a.layers[0]!.diffId, `sha256:${embeddedLock().tar.sha256}`);
    assert.equal(a.digest, GOLDEN.manifest);
    // one layer for every platform (no executable in it); only the config differs
    const b = await embeddedBase(store(), { os: 'linux', architecture: 'arm64' }, 'oci');
    assert.equal(b.layers[0]!.descriptor.digest, GOLDEN.layer);
    assert.notEqual(b.digest, a.digest);
    // a cached blob whose bytes changed: its digest no longer matches, the layer is compressed again
    writeFileSync(cached, 'not the layer');
    const c = await embeddedBase(store(), { os: 'linux', architecture: 'amd64' }, 'oci');
    assert.equal(c.layers[0]!.descriptor.digest, GOLDEN.layer);
    assert.equal(c.digest, GOLDEN.manifest);
    assert.equal(readFileSync(cached).length, a.layers[0]!.descriptor.size, 'the cache is written again');
    delete process.env.XDG_CACHE_HOME;
  });

  test(
    'lock.json records the pinned packages; the data regenerates from them byte for byte',
    { skip: needTool('dpkg-deb') ? false : 'dpkg-deb needed' },
    () => {
      const lock = embeddedLock();
      assert.deepEqual(
        lock.packages.map((p) => [p.name, p.version, p.sha256]),
        BASE_DEBS.map((p) => [p.name, p.version, p.sha256]),
      );
      const r = spawnSync(process.execPath, ['scripts/embedded-base.mjs', '--check'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^ok: regenerated tar sha256 [0-9a-f]{64}/);
      const tar = gunzipSync(readFileSync('assets/embedded-base/base.tar.gz'));
      assert.equal(tar.length, lock.tar.size);
    },
  );
});

describe('layer writer', () => {
  const d = mkdtempSync(join(tmpdir(), 'gokiln-layer-test-'));
  after(() => rmSync(d, { recursive: true, force: true }));
  const file = (path: string, text: string) => ({ path, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, content: Buffer.from(text) });

  test('entries come out sorted with their parents; the same input gives the same digest; gzip OS byte is 255', async () => {
    const s = new BlobStore(d);
    const one = await writeLayer([file('/b/z', 'z'), file('/a', 'a')], s, { mtime: 1 });
    const two = await writeLayer([file('/a', 'a'), file('/b/z', 'z')], s, { mtime: 1 });
    assert.equal(one.descriptor.digest, two.descriptor.digest);
    assert.notEqual((await writeLayer([file('/a', 'a'), file('/b/z', 'z')], s, { mtime: 2 })).descriptor.digest, one.descriptor.digest);
    const gz = readFileSync(s.path(one.descriptor.digest));
    assert.equal(gz[9], 255);
    assert.deepEqual([...gz.subarray(4, 8)], [0, 0, 0, 0], 'gzip mtime 0');
    const list = spawnSync('tar', ['-tvzf', s.path(one.descriptor.digest)], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    }).stdout;
    assert.match(
      list,
      /^-rw-r--r-- 0\/0 +1 1970-01-01 00:00 a\ndrwxr-xr-x 0\/0 +0 1970-01-01 00:00 b\/\n-rw-r--r-- 0\/0 +1 1970-01-01 00:00 b\/z\n$/,
    );
  });

  test('a streamed file is written as it is read, and its size is checked', async () => {
    const s = new BlobStore(d);
    const big = Buffer.alloc(3 << 20, 7);
    const ok = await writeLayer(
      [
        {
          path: '/big',
          type: 'file',
          mode: 0o755,
          uid: 0,
          gid: 0,
          size: big.length,
          open: () => Readable.from([big.subarray(0, 1000), big.subarray(1000)]),
        },
      ],
      s,
      { mtime: 0 },
    );
    const list = spawnSync('tar', ['-tvzf', s.path(ok.descriptor.digest)], { encoding: 'utf8' }).stdout;
    assert.match(list, new RegExp(`^-rwxr-xr-x 0/0 +${big.length} .* big\\n$`));
    assert.equal(ok.tarSize % 512, 0);
    await assert.rejects(
      writeLayer(
        [{ path: '/short', type: 'file', mode: 0o755, uid: 0, gid: 0, size: 10, open: () => Readable.from([Buffer.from('abc')]) }],
        s,
        { mtime: 0 },
      ),
      /read 3 bytes, expected 10/,
    );
  });

  test('paths that escape or repeat are refused (E_UNSAFE)', () => {
    for (const p of ['/a/../b', 'rel', '/a//b', '/a/']) {
      assert.throws(
        () => normaliseEntries([file(p, 'x')]),
        (e: unknown) => e instanceof GokilnError && e.code === 'E_UNSAFE',
        p,
      );
    }
    assert.throws(() => normaliseEntries([file('/a', 'x'), file('/a', 'y')]), /given twice/);
  });
});
