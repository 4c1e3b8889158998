/**
 * The kept-binary directories (src/build/bin-cache.ts): one build at a time per directory. A second build
 * of the same package while the first holds it goes without the cache, so it never reads a file the first
 * is still writing; the directory is free again after settle or a failed build; a mark left by a build that
 * died is taken over; pruning leaves a held directory alone. The go command is not needed here: what is
 * tested is who writes where.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPlace } from '../../src/build/bin-cache.js';

const KEY = { dir: '/src/app', pkg: '/src/app/cmd/app', platform: { os: 'linux', architecture: 'amd64' }, cgo: false };

function scratch(): { root: string; cache: string; priv: (n: string) => string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'gokiln-bincache-'));
  return {
    root,
    cache: join(root, 'cache'),
    priv: (n) => join(root, n, 'app'),
    done: () => rmSync(root, { recursive: true, force: true }),
  };
}

describe('kept binaries: one build per directory', () => {
  test('a second build of the same package while the first holds the directory writes its own private file', () => {
    const s = scratch();
    try {
      const first = binaryPlace(s.cache, KEY, s.priv('b1'));
      assert.notEqual(first.out, s.priv('b1'), 'the first build writes into the cache');
      const second = binaryPlace(s.cache, KEY, s.priv('b2'));
      assert.equal(second.out, s.priv('b2'), 'the second goes without it');
      // the first build's go writes its output, then settles: its private copy has the bytes
      writeFileSync(first.out, 'first');
      first.settle();
      assert.equal(readFileSync(s.priv('b1'), 'utf8'), 'first');
      // the directory is free again: a third build gets the cached path, the one the first wrote
      const third = binaryPlace(s.cache, KEY, s.priv('b3'));
      assert.equal(third.out, first.out);
      third.release();
      // another package is another directory, never blocked by this one
      const other = binaryPlace(s.cache, { ...KEY, pkg: '/src/app/cmd/other' }, s.priv('b4'));
      const again = binaryPlace(s.cache, KEY, s.priv('b5'));
      assert.notEqual(other.out, s.priv('b4'));
      assert.notEqual(again.out, s.priv('b5'));
      other.release();
      again.release();
    } finally {
      s.done();
    }
  });

  test('a failed build frees the directory (release), and release after settle is harmless', () => {
    const s = scratch();
    try {
      const failed = binaryPlace(s.cache, KEY, s.priv('b1'));
      failed.release();
      const next = binaryPlace(s.cache, KEY, s.priv('b2'));
      assert.equal(next.out, failed.out);
      writeFileSync(next.out, 'x');
      next.settle();
      next.release();
      // release after settle must not free a directory a later build took in between
      const later = binaryPlace(s.cache, KEY, s.priv('b3'));
      next.release();
      assert.equal(binaryPlace(s.cache, KEY, s.priv('b4')).out, s.priv('b4'), 'still held by `later`');
      later.release();
    } finally {
      s.done();
    }
  });

  test('a mark older than 30 minutes is a build that died: taken over; a fresh one is not', () => {
    const s = scratch();
    try {
      const dead = binaryPlace(s.cache, KEY, s.priv('b1'));
      const dir = join(dead.out, '..');
      const mark = join(dir, '.in-use');
      assert.ok(existsSync(mark));
      const old = new Date(Date.now() - 31 * 60 * 1000);
      utimesSync(mark, old, old);
      const next = binaryPlace(s.cache, KEY, s.priv('b2'));
      assert.equal(next.out, dead.out, 'the stale mark was taken over');
      assert.ok(Date.now() - statSync(mark).mtimeMs < 60_000, 'with a fresh mark of its own');
      const old2 = new Date(Date.now() - 29 * 60 * 1000);
      utimesSync(mark, old2, old2);
      assert.equal(binaryPlace(s.cache, KEY, s.priv('b3')).out, s.priv('b3'), '29 minutes: still held');
      next.release();
    } finally {
      s.done();
    }
  });

  test('pruning to 16 directories leaves a held one alone, however old', () => {
    const s = scratch();
    try {
      const held = binaryPlace(s.cache, KEY, s.priv('held'));
      const heldDir = join(held.out, '..');
      const idle = binaryPlace(s.cache, { ...KEY, pkg: '/src/app/cmd/idle' }, s.priv('idle'));
      const idleDir = join(idle.out, '..');
      idle.release();
      const past = new Date(Date.now() - 24 * 3600 * 1000);
      utimesSync(heldDir, past, past);
      utimesSync(idleDir, past, past);
      for (let i = 0; i < 16; i++) binaryPlace(s.cache, { ...KEY, pkg: `/src/app/cmd/p${i}` }, s.priv(`p${i}`)).release();
      // one more place prunes: 18 directories, 16 kept by age, plus the held one
      binaryPlace(s.cache, { ...KEY, pkg: '/src/app/cmd/last' }, s.priv('last')).release();
      assert.ok(existsSync(heldDir), 'the held directory is kept');
      assert.ok(!existsSync(idleDir), 'the idle old one is pruned');
      assert.equal(readdirSync(s.cache).length, 17);
      held.release();
    } finally {
      s.done();
    }
  });
});
