/**
 * The application-layer cache (src/image/write/layer-cache.ts): a rebuild of unchanged sources copies the
 * layer instead of compressing it, and the image is byte-for-byte the one a build without the cache gives;
 * `--no-cache` neither reads nor writes it; a damaged entry is dropped and the layer made again; anything
 * that goes into the layer (bytes, mode, mtime, gzip level) is part of the key; old entries are pruned.
 * go build's output is kept per project and platform, so the go command need not link an unchanged binary
 * again (its own up-to-date check); a damaged kept file is linked again.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokiln, probeProject } from './helpers.js';
import { BlobStore } from '../../src/image/write/blob-store.js';
import { writeLayer, type LayerOptions } from '../../src/image/write/layer.js';
import { LayerCache, layerKey } from '../../src/image/write/layer-cache.js';
import type { FileEntry } from '../../src/image/source.js';

interface Built {
  digest: string;
  platforms: Array<{ appLayer: string; layers: Array<{ digest: string; size: number }> }>;
}

const sha256File = (p: string) => `sha256:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;

describe('the layer cache of gokiln build', { skip: !needTool('go') && 'go needed' }, () => {
  const work = mkdtempSync(join(tmpdir(), 'gokiln-layer-cache-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  const build = (src: string, out: string, cacheHome: string, ...extra: string[]): Built => {
    const r = gokiln(['build', src, '--oci', join(work, out), '--tag', 'probe:1', '--sbom', 'none', '--json', ...extra], {
      XDG_CACHE_HOME: cacheHome,
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Built;
  };

  test('a rebuild copies the app layer from the cache: the same image; --no-cache leaves no trace; a damaged entry is made again', () => {
    const srcA = probeProject();
    const srcB = mkdtempSync(join(work, 'src-b-'));
    cpSync(srcA, srcB, { recursive: true });
    const cache = join(work, 'cache');
    const layers = join(cache, 'gokiln', 'layers');

    const first = build(srcA, 'first', cache);
    assert.equal(first.platforms[0]!.appLayer, 'compressed');
    const app = first.platforms[0]!.layers.at(-1)!;
    // the cache holds the layer under its digest, and one index entry
    assert.equal(sha256File(join(layers, 'blobs', app.digest.slice(7))), app.digest);
    assert.equal(readdirSync(layers).filter((n) => n.endsWith('.json')).length, 1);

    const second = build(srcB, 'second', cache);
    assert.equal(second.platforms[0]!.appLayer, 'from-cache');
    assert.equal(second.digest, first.digest, 'the cached layer gives the same image');
    assert.equal(sha256File(join(work, 'second', 'blobs', 'sha256', app.digest.slice(7))), app.digest);

    const off = join(work, 'cache-off');
    const third = build(srcB, 'third', off, '--no-cache');
    assert.equal(third.platforms[0]!.appLayer, 'compressed');
    assert.equal(third.digest, first.digest, 'with or without the cache: one image');
    assert.equal(existsSync(join(off, 'gokiln', 'layers')), false, '--no-cache writes no cache');

    // the same length, other bytes: the copy's digest check refuses it and the layer is compressed again
    const cached = join(layers, 'blobs', app.digest.slice(7));
    writeFileSync(cached, Buffer.alloc(app.size, 7));
    const fourth = build(srcA, 'fourth', cache);
    assert.equal(fourth.platforms[0]!.appLayer, 'compressed');
    assert.equal(fourth.digest, first.digest);
    assert.equal(sha256File(cached), app.digest, 'the entry is whole again');

    // other sources, another binary: another key
    const srcC = probeProject({}, 'package main\n\nfunc main() { println("another") }\n');
    const fifth = build(srcC, 'fifth', cache);
    assert.equal(fifth.platforms[0]!.appLayer, 'compressed');
    assert.notEqual(fifth.digest, first.digest);
    for (const d of [srcA, srcB, srcC]) rmSync(d, { recursive: true, force: true });
  });

  test("go build's output is kept: a rebuild does not link again, a damaged kept binary is linked again, --no-cache keeps none", () => {
    const src = probeProject();
    const cache = join(work, 'cache-bin');
    const first = build(src, 'bin-1', cache);
    const dirs = readdirSync(join(cache, 'gokiln', 'binaries'));
    assert.equal(dirs.length, 1, 'one directory for the project, package, platform and cgo setting');
    const kept = join(cache, 'gokiln', 'binaries', dirs[0]!, 'probe');
    const inode = statSync(kept).ino;
    const second = build(src, 'bin-2', cache);
    assert.equal(second.digest, first.digest);
    // the go command renames a newly linked file into place: the same inode says it did not link
    assert.equal(statSync(kept).ino, inode, 'not linked again');
    writeFileSync(kept, 'not a Go binary any more\n');
    const third = build(src, 'bin-3', cache);
    assert.equal(third.digest, first.digest, 'linked again: the same image');
    assert.ok(statSync(kept).size > 1_000_000);
    const off = join(work, 'cache-bin-off');
    build(src, 'bin-4', off, '--no-cache');
    assert.equal(existsSync(join(off, 'gokiln', 'binaries')), false);
    rmSync(src, { recursive: true, force: true });
  });

  test('every input of the layer is in the key, and the oldest entries beyond 24 are pruned with their blobs', async () => {
    const entries = (text: string, mode = 0o755): FileEntry[] => [
      { path: '/app', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
      { path: '/app/x', type: 'file', mode, uid: 0, gid: 0, content: Buffer.from(text) },
    ];
    const opts: LayerOptions = { mtime: 0, level: 1, addParents: false };
    const base = await layerKey(entries('a'), opts);
    assert.equal(await layerKey(entries('a'), opts), base, 'the key is a function of the layer');
    for (const [what, key] of [
      ['bytes', await layerKey(entries('b'), opts)],
      ['mode', await layerKey(entries('a', 0o700), opts)],
      ['mtime', await layerKey(entries('a'), { ...opts, mtime: 1 })],
      ['gzip level', await layerKey(entries('a'), { ...opts, level: 9 })],
      ['media type', await layerKey(entries('a'), { ...opts, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' })],
      ['parents', await layerKey(entries('a'), { ...opts, addParents: true })],
    ] as const)
      assert.notEqual(key, base, `${what} changes the key`);

    const dir = join(work, 'prune');
    const cache = new LayerCache(dir);
    const store = new BlobStore(join(work, 'prune-store'));
    const made: string[] = [];
    for (let i = 0; i < 26; i++) {
      const e = entries(`file ${i}`);
      const r = await cache.layer(e, opts, store, () => writeLayer(e, store, opts));
      assert.equal(r.origin, 'compressed');
      made.push(r.descriptor.digest.slice(7));
      // mtimes a millisecond apart at least, so "oldest" is well defined
      await new Promise((res) => setTimeout(res, 5));
    }
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.json')).length, 24);
    const blobs = new Set(readdirSync(join(dir, 'blobs')));
    assert.deepEqual(
      made.filter((d) => !blobs.has(d)),
      made.slice(0, 2),
      'the two oldest layers are gone, blobs included',
    );
    const again = await cache.layer(entries('file 25'), opts, store, () => Promise.reject(new Error('not from the cache')));
    assert.equal(again.origin, 'from-cache');
  });
});
