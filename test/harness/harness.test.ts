// The rootfs harness tested on itself: every ground-truth row is re-measured (a real run in
// bubblewrap), the rootfs contents are checked with readelf, and the non-root helper really denies.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, test } from 'node:test';
import { fixture } from '../fixtures/index.js';
import { readelfText, readelfVersionDefsOf } from '../truth/readelf.js';
import { haveOnPath } from '../truth/tools.js';
import { arm64Emulated, GROUND_TRUTHS, type GroundTruth } from './ground-truths.js';
import { asNonRoot, isRoot, unreadableCopy } from './nonroot.js';
import { bwrapArgs, ROOTFS_NAMES, rootfs, runInRootfs, runInRootfsAsync } from './rootfs.js';

/** Whether `path` exists in the tree at `root`, following symlinks as the sandbox would (absolute ones from root). */
function existsInRoot(root: string, path: string, depth = 0): boolean {
  if (depth > 40) return false;
  const parts = path.split('/').filter(Boolean);
  let cur = '/';
  for (let i = 0; i < parts.length; i++) {
    const next = posix.join(cur, parts[i]!);
    let st;
    try {
      st = lstatSync(join(root, next));
    } catch {
      return false;
    }
    if (st.isSymbolicLink()) {
      const target = readlinkSync(join(root, next));
      const rest = parts.slice(i + 1).join('/');
      const resolved = posix.join(target.startsWith('/') ? target : posix.join(cur, target), rest);
      return existsInRoot(root, resolved, depth + 1);
    }
    cur = next;
  }
  return true;
}

function label(g: GroundTruth): string {
  return `${g.fixture} ${g.args.join(' ')} in ${g.rootfs}${g.exec === 'runc-like' ? ' (runc-like)' : ''}${g.uid !== undefined ? ` as ${g.uid}` : ''}: ${g.runs ? 'runs' : 'fails'}`;
}

describe('ground truths hold (real runs in bubblewrap)', () => {
  for (const g of GROUND_TRUTHS) {
    test(label(g), (t) => {
      if (!haveOnPath(t, 'bwrap')) return;
      const r = runInRootfs(rootfs(g.rootfs), fixture(g.fixture), g.args, { exec: g.exec, ...(g.uid === undefined ? {} : { uid: g.uid }) });
      assert.equal(r.spawnError, undefined);
      // with qemu-user registered for arm64 the foreign binary would run: the row cannot hold then
      if (g.fixture === 'arm64' && arm64Emulated()) {
        assert.equal(r.exitCode, 0);
        return;
      }
      const detail = `stdout=${JSON.stringify(r.stdout)} stderr=${JSON.stringify(r.stderr)}`;
      assert.equal(r.exitCode, g.exitCode, detail);
      if (g.stdout instanceof RegExp) assert.match(r.stdout.trim(), g.stdout, detail);
      else if (g.stdout !== undefined) assert.equal(r.stdout.trim(), g.stdout, detail);
      if (g.stderr) assert.ok(r.stderr.includes(g.stderr), detail);
      if (g.runs) assert.equal(r.stderr, '', detail);
    });
  }

  test('the table covers the cases the verdict engine must know', () => {
    const has = (f: string, root: string, runs: boolean) =>
      GROUND_TRUTHS.some((g) => g.fixture === f && g.rootfs === root && g.runs === runs);
    assert.ok(has('static', 'scratch', true));
    assert.ok(has('cgo-glibc', 'scratch', false));
    assert.ok(has('cgo-glibc', 'glibc-bookworm', true));
    assert.ok(has('cgo-glibc', 'glibc-bullseye', false));
    assert.ok(has('musl-dynamic', 'musl', true));
    assert.ok(has('musl-dynamic', 'glibc-bookworm', false));
    assert.ok(has('arm64', 'scratch', false));
    assert.ok(has('tzdata', 'scratch', true));
    assert.ok(
      GROUND_TRUTHS.some(
        (g) => g.fixture === 'static' && g.args[0] === 'tz' && g.rootfs === 'scratch' && g.stderr === 'unknown time zone Europe/Berlin',
      ),
    );
    assert.ok(
      GROUND_TRUTHS.some((g) => g.fixture === 'static' && g.args[0] === 'certs' && g.rootfs === 'distroless-static-like' && g.runs),
    );
  });
});

describe('rootfs contents', () => {
  test('every rootfs is built and has the mount points bwrap needs', () => {
    for (const n of ROOTFS_NAMES) {
      const root = rootfs(n);
      for (const d of ['dev', 'proc', 'tmp']) assert.ok(lstatSync(join(root, d)).isDirectory(), `${n}/${d}`);
      assert.ok(lstatSync(join(root, 'app')).isFile(), `${n}/app`);
    }
  });

  test('scratch holds nothing else', () => {
    assert.deepEqual(readdirSync(rootfs('scratch')).sort(), ['app', 'dev', 'proc', 'tmp']);
  });

  test('no rootfs has a shell (like the images they stand for, which gokiln must not assume)', () => {
    for (const n of ROOTFS_NAMES) {
      for (const sh of ['bin/sh', 'bin/bash', 'bin/busybox', 'usr/bin/sh'])
        assert.equal(existsSync(join(rootfs(n), sh)), false, `${n}/${sh}`);
    }
  });

  test('glibc versions: bookworm defines GLIBC_2.34, bullseye stops at 2.31; cgo-glibc needs 2.34 (readelf -V)', (t) => {
    if (!haveOnPath(t, 'readelf')) return;
    const verdefs = (root: string) => {
      const defs = readelfVersionDefsOf(join(root, 'lib/x86_64-linux-gnu/libc.so.6'));
      return new Set(defs.flatMap((name) => /^GLIBC_[0-9.]+/.exec(name)?.[0] ?? []));
    };
    const bookworm = verdefs(rootfs('glibc-bookworm'));
    const bullseye = verdefs(rootfs('glibc-bullseye'));
    assert.ok(bookworm.has('GLIBC_2.36') && bookworm.has('GLIBC_2.34'));
    // glibc 2.31 added no symbol version: its newest verdef is GLIBC_2.30 (the file is libc-2.31.so)
    assert.ok(bullseye.has('GLIBC_2.30'));
    assert.equal(bullseye.has('GLIBC_2.31'), false);
    assert.equal(bullseye.has('GLIBC_2.32'), false);
    assert.ok(existsSync(join(rootfs('glibc-bullseye'), 'lib/x86_64-linux-gnu/libc-2.31.so')));
    assert.equal(bullseye.has('GLIBC_2.34'), false);
    const needs = readelfText(fixture('cgo-glibc'), ['-VW']);
    assert.match(needs, /Name: GLIBC_2\.34/);
  });

  test('loaders are where PT_INTERP points (symlinks resolved inside the root)', () => {
    for (const n of ['glibc-bookworm', 'glibc-bullseye', 'distroless-base-like'] as const)
      assert.ok(existsInRoot(rootfs(n), '/lib64/ld-linux-x86-64.so.2'), n);
    for (const n of ['musl', 'alpine-like'] as const) assert.ok(existsInRoot(rootfs(n), '/lib/ld-musl-x86_64.so.1'), n);
    for (const n of ['scratch', 'musl', 'alpine-like', 'distroless-static-like'] as const)
      assert.equal(existsInRoot(rootfs(n), '/lib64/ld-linux-x86-64.so.2'), false, n);
  });

  test('distroless-static-like: certs, zoneinfo, nonroot 65532, no libc', () => {
    const root = rootfs('distroless-static-like');
    assert.ok(readFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), 'utf8').includes('BEGIN CERTIFICATE'));
    assert.ok(existsSync(join(root, 'usr/share/zoneinfo/Europe/Berlin')));
    assert.match(readFileSync(join(root, 'etc/passwd'), 'utf8'), /^nonroot:x:65532:65532:nonroot:\/home\/nonroot:\/sbin\/nologin$/m);
    if (isRoot()) assert.equal(lstatSync(join(root, 'home/nonroot')).uid, 65532);
    assert.equal(existsSync(join(root, 'lib/x86_64-linux-gnu/libc.so.6')), false);
  });

  test('the runner leaves the rootfs untouched and has no network', (t) => {
    if (!haveOnPath(t, 'bwrap')) return;
    const args = bwrapArgs('/R', '/B', ['x']);
    assert.ok(args.includes('--unshare-all'));
    assert.ok(!args.includes('--share-net'));
    assert.deepEqual(args.slice(args.indexOf('--ro-bind'), args.indexOf('--ro-bind') + 3), ['--ro-bind', '/R', '/']);
    const before = readdirSync(rootfs('scratch')).sort();
    runInRootfs(rootfs('scratch'), fixture('static'), ['ok']);
    assert.deepEqual(readdirSync(rootfs('scratch')).sort(), before);
  });

  test('a server that never exits is killed at timeoutMs and says so', (t) => {
    if (!haveOnPath(t, 'bwrap')) return;
    // that the kill came from timeoutMs shows in timedOut and the signal; how long it took is not asserted
    const r = runInRootfs(rootfs('scratch'), fixture('pprof'), ['serve', '127.0.0.1:8080'], { timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGTERM');
  });

  test('runInRootfsAsync agrees with runInRootfs', async (t) => {
    if (!haveOnPath(t, 'bwrap')) return;
    const a = await runInRootfsAsync(rootfs('glibc-bullseye'), fixture('cgo-glibc'), ['ok']);
    const s = runInRootfs(rootfs('glibc-bullseye'), fixture('cgo-glibc'), ['ok']);
    assert.equal(a.exitCode, s.exitCode);
    assert.equal(a.stderr, s.stderr);
  });
});

describe('non-root helper', () => {
  test('a mode-000 copy is unreadable as nobody, readable as root', (t) => {
    if (!haveOnPath(t, 'setpriv')) return;
    const p = unreadableCopy();
    try {
      const script = `try { require('fs').readFileSync(${JSON.stringify(p)}); console.log('read') } catch (e) { console.log(e.code) }`;
      assert.equal(asNonRoot(process.execPath, ['-e', script]).stdout.trim(), 'EACCES');
      if (isRoot()) assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim(), 'read');
    } finally {
      rmSync(dirname(p), { recursive: true, force: true });
    }
  });
});
