/**
 * Hostile images: each is read statically and with --run, and must end in a typed error or a run whose
 * writes all stay inside verify's temporary root. A sentinel directory outside (the target of the
 * absolute symlinks) and the host's /etc/passwd are compared before and after; the static check runs
 * with TMPDIR pointed at an empty directory that must stay empty (it writes nothing at all).
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { verifyImage } from '../../src/verify/verify.js';
import { bwrapAvailable } from '../../src/verify/run.js';
import { isGokilnError } from '../../src/errors.js';
import { failInCiIfMissing } from '../truth/tools.js';
import { fixture } from '../fixtures/index.js';
import { tarOf, writeLayout, type Entry, type Layer } from './layout.js';

/** A ustar header written by hand, for what tar-stream will not write (a size the data does not have). */
function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = statSync(p);
      out.push(`${p} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.join('\n');
}

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('hostile images', () => {
  let dir: string;
  let outside: string;
  let emptyTmp: string;
  let app: Entry;
  let before1: string;
  let passwd: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gokiln-hostile-'));
    outside = join(dir, 'outside');
    emptyTmp = join(dir, 'tmp');
    mkdirSync(outside);
    mkdirSync(emptyTmp);
    before1 = snapshot(outside);
    passwd = sha('/etc/passwd');
    app = { name: 'app', type: 'file', content: readFileSync(fixture('static')), mode: 0o755 };
  });
  after(() => {
    assert.equal(snapshot(outside), before1, 'nothing outside the temporary root changed');
    assert.equal(sha('/etc/passwd'), passwd);
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  async function image(layers: Layer[]): Promise<string> {
    return writeLayout(join(dir, `img${++n}`), { layers, entrypoint: ['/app'], cmd: ['ok'] });
  }

  /** Static (with TMPDIR empty and checked) and, where bwrap is, --run; both must give `code` or succeed. */
  async function both(ref: string, code: string | null): Promise<void> {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = emptyTmp;
    try {
      if (code) await assert.rejects(verifyImage(ref), (e) => isGokilnError(e) && e.code === code, `static: ${code}`);
      else await verifyImage(ref);
      assert.deepEqual(readdirSync(emptyTmp), [], 'the static check wrote nothing');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    if (!bwrapAvailable()) return failInCiIfMissing('bwrap');
    if (code) await assert.rejects(verifyImage(ref, { run: true }), (e) => isGokilnError(e) && e.code === code, `--run: ${code}`);
    else {
      const r = await verifyImage(ref, { run: true, timeout: 10 });
      assert.ok(r.run, 'it ran');
    }
    assert.equal(snapshot(outside), before1);
  }

  test('`../` names climbing out of the root: E_UNSAFE', async () => {
    await both(await image([{ entries: [app, { name: '../../escape', type: 'file', content: 'x' }] }]), 'E_UNSAFE');
  });

  test('an absolute symlink out of the root, then a file through it in a later layer: lands inside the image', async () => {
    const ref = await image([
      { entries: [app, { name: 'evil', type: 'symlink', linkname: outside }] },
      { entries: [{ name: 'evil/pwned', type: 'file', content: 'pwned' }] },
    ]);
    await both(ref, null);
    assert.deepEqual(readdirSync(outside), []);
  });

  test('a symlink escaping with ../ and a hard link to a host path', async () => {
    await both(
      await image([
        { entries: [app, { name: 'up', type: 'symlink', linkname: '../../../../../../' + outside.slice(1) }] },
        { entries: [{ name: 'up/x', type: 'file', content: 'x' }] },
      ]),
      null,
    );
    await both(await image([{ entries: [app, { name: 'h', type: 'link', linkname: '/etc/passwd' }] }]), 'E_CORRUPT');
  });

  test('a symlink loop an entry must pass through: E_UNSAFE', async () => {
    await both(
      await image([
        {
          entries: [
            app,
            { name: 'a', type: 'symlink', linkname: 'b' },
            { name: 'b', type: 'symlink', linkname: 'a' },
            { name: 'a/x', type: 'file', content: 'x' },
          ],
        },
      ]),
      'E_UNSAFE',
    );
  });

  test('a huge declared size: E_UNSAFE before any byte is read', async () => {
    const raw = gzipSync(Buffer.concat([header('big', 7 * 1024 ** 3), Buffer.alloc(1024)]));
    await both(await image([{ raw }]), 'E_UNSAFE');
  });

  test('duplicate entries: the last wins, and --run writes it once', async () => {
    const ref = await image([{ entries: [{ name: 'app', type: 'file', content: 'not this', mode: 0o644 }, app] }]);
    await both(ref, null);
    const r = await verifyImage(ref);
    assert.ok(r.checks.find((c) => c.id === 'binary-platform')?.ok, 'the real binary (the second entry) is checked');
  });

  test('a truncated gzip stream: E_TRUNCATED', async () => {
    const full = gzipSync(await tarOf([app]));
    await both(await image([{ raw: full.subarray(0, Math.floor(full.length / 2)) }]), 'E_TRUNCATED');
  });

  test('a tar bomb (a small gzip of many zeros) stops at the size limit', async () => {
    const raw = gzipSync(Buffer.concat([header('zeros', 96 * 1024 * 1024), Buffer.alloc(96 * 1024 * 1024), Buffer.alloc(1024)]));
    assert.ok(raw.length < 1024 * 1024, 'under 1 MB on disk');
    const ref = await image([{ raw }]);
    await assert.rejects(
      verifyImage(ref, { limits: { maxTotalBytes: 32 * 1024 * 1024 } }),
      (e) => isGokilnError(e) && e.code === 'E_UNSAFE',
    );
  });

  test('device nodes are never created by --run', async (t) => {
    if (!bwrapAvailable()) return (failInCiIfMissing('bwrap'), t.skip('no bwrap'));
    const ref = await image([{ entries: [app, { name: 'dev/sda', type: 'character-device', devmajor: 8, devminor: 0 }] }]);
    const r = await verifyImage(ref, { run: true });
    assert.equal(r.run?.exitCode, 0, r.run?.stderr);
    assert.ok(
      r.notes.some((x) => /skipped 1 device/.test(x)),
      r.notes.join('\n'),
    );
  });
});
