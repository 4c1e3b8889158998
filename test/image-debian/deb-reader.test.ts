/**
 * The .deb reader against dpkg-deb, the truth: a real package's data.tar entries (path, type, mode,
 * size, link target) equal `dpkg-deb --contents`, its md5sums match the bytes read, and its control file
 * names it. Hand-built packages cover zstd and gzip members, a truncated archive, a file that is no
 * .deb, and a tar entry that would leave the root.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { GokilnError } from '../../src/errors.js';
import { DebianArchive, ContentCache, readDeb, readDebFile, parseStanzas } from '../../src/image/debian/index.js';
import { which } from '../fixtures/tools.js';

const CI = process.env.CI === 'true';

async function tarOf(
  entries: Array<{ name: string; body?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }>,
): Promise<Buffer> {
  const p = tar.pack();
  for (const e of entries) {
    if (e.type === 'directory') p.entry({ name: e.name, type: 'directory', mode: 0o755 });
    else if (e.type === 'symlink') p.entry({ name: e.name, type: 'symlink', linkname: e.linkname ?? '' });
    else p.entry({ name: e.name, mode: 0o644 }, e.body ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** An ar archive by hand: `!<arch>\n`, then per member a 60-byte header and the data, padded to 2 bytes. */
function ar(members: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n')];
  for (const [name, data] of members) {
    const h = `${name.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(h, 'latin1'), data);
    if (data.length % 2) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

async function deb(data: Buffer, dataName = 'data.tar.gz'): Promise<Buffer> {
  const control = gzipSync(
    await tarOf([
      { name: './', type: 'directory' },
      { name: './control', body: 'Package: hand\nVersion: 1\nArchitecture: all\n' },
    ]),
  );
  return ar([
    ['debian-binary', Buffer.from('2.0\n')],
    ['control.tar.gz', control],
    [dataName, data],
  ]);
}

async function rejectsCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof GokilnError && e.code === code);
}

describe('.deb reader', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-deb-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('a real package reads as dpkg-deb lists it, with md5sums that match', async (t) => {
    if (!which('dpkg-deb')) {
      if (CI) throw new Error('dpkg-deb is missing');
      return t.skip('dpkg-deb not installed');
    }
    const archive = await DebianArchive.open({ suite: 'bookworm', arch: 'amd64' });
    const pkg = (await archive.packages()).get('libpng16-16')!;
    const path = await archive.fetchDeb(pkg);
    assert.equal(path, new ContentCache().pathOf(pkg.sha256));
    const d = await readDebFile(path, { mtime: 1700000000 });
    const control = parseStanzas(d.control)[0]!;
    assert.equal(control.get('Package'), 'libpng16-16');
    assert.equal(control.get('Version'), pkg.version);

    // dpkg-deb -c: "drwxr-xr-x root/root 0 2024-01-01 00:00 ./usr/lib/x86_64-linux-gnu/libpng16.so.16 -> libpng16.so.16.39.0"
    const truth = execFileSync('dpkg-deb', ['--contents', path], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .flatMap((line) => {
        const m = /^(\S)(\S{9})\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\.(\/\S*?)\/?(?: -> (\S+))?$/.exec(line);
        assert.ok(m, line);
        if (m[4] === '/') return [];
        const type = m[1] === 'd' ? 'dir' : m[1] === 'l' ? 'symlink' : 'file';
        return [{ path: m[4]!, type, size: type === 'file' ? Number(m[3]) : undefined, linkname: m[5] }];
      });
    const ours = d.files.map((f) => ({ path: f.path, type: f.type, size: f.type === 'file' ? f.size : undefined, linkname: f.linkname }));
    assert.deepEqual(ours, truth);
    assert.ok(d.files.every((f) => f.mtime === 1700000000 && f.uid === 0 && f.gid === 0));
    const lib = d.files.find((f) => f.type === 'file' && /libpng16\.so\.16\.\d+/.test(f.path))!;
    assert.equal(lib.mode, 0o644);

    let checked = 0;
    for (const line of d.md5sums.trim().split('\n')) {
      const [sum, rel] = line.split(/\s+/);
      const f = d.files.find((x) => x.path === `/${rel}`)!;
      assert.equal(createHash('md5').update(f.content!).digest('hex'), sum, rel);
      checked++;
    }
    assert.ok(checked >= 3);
  });

  test('zstd and gzip data members read alike', async (t) => {
    const data = await tarOf([
      { name: './', type: 'directory' },
      { name: './etc/', type: 'directory' },
      { name: './etc/hand.conf', body: 'x=1\n' },
      { name: './etc/link', type: 'symlink', linkname: 'hand.conf' },
    ]);
    const gz = await readDeb(await deb(gzipSync(data)), 'hand.deb');
    assert.deepEqual(
      gz.files.map((f) => [f.path, f.type]),
      [
        ['/etc', 'dir'],
        ['/etc/hand.conf', 'file'],
        ['/etc/link', 'symlink'],
      ],
    );
    if (!which('zstd')) {
      if (CI) throw new Error('zstd is missing');
      return t.skip('zstd not installed');
    }
    const zst = spawnSync('zstd', ['-q', '-c'], { input: data });
    const z = await readDeb(await deb(zst.stdout, 'data.tar.zst'), 'hand.deb');
    assert.deepEqual(z.files, gz.files);
    assert.equal(new TextDecoder().decode(z.files[1]!.content), 'x=1\n');
  });

  test('bad packages are typed errors', async () => {
    const good = await deb(gzipSync(await tarOf([{ name: './a', body: 'a' }])));
    await rejectsCode(readDeb(good.subarray(0, good.length - 10), 'cut.deb'), 'E_TRUNCATED');
    await rejectsCode(readDeb(Buffer.from('#!/bin/sh\necho not a deb\n'), 'script.deb'), 'E_CORRUPT');
    await rejectsCode(readDeb(await deb(gzipSync(await tarOf([{ name: './../../etc/passwd', body: 'x' }]))), 'evil.deb'), 'E_UNSAFE');
    await rejectsCode(readDeb(await deb(Buffer.from('not xz'), 'data.tar.xz'), 'badxz.deb'), 'E_CORRUPT');
    await rejectsCode(readDeb(await deb(Buffer.from('x'), 'data.tar.bz2'), 'bz2.deb'), 'E_UNSUPPORTED');
  });
});
