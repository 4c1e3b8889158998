/**
 * writeFileAtomic on real files in temporary directories: every way a write can be refused is a typed
 * GokilnError naming the path, nothing is left half-written (no target, no temporary file), and the
 * `gokiln size --html` path that uses it exits 2, not 3.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWritable, writeFileAtomic } from '../../src/io/write-file.js';
import { GokilnError } from '../../src/errors.js';
import { fixture } from '../fixtures/index.js';
import { scratchDir } from '../harness/scratch.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const tmp = () => scratchDir('gokiln-write-');
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.gokiln-tmp-'));

function refused(fn: () => void, code: GokilnError['code'], file: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof GokilnError, `not a GokilnError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.details.file, file);
    assert.match(e.message, message);
    return true;
  });
}

describe('writeFileAtomic', () => {
  test('creates missing parent directories and leaves no temporary file', () => {
    const d = tmp();
    const p = join(d, 'a', 'b', 'out.txt');
    writeFileAtomic(p, 'x\n');
    assert.equal(readFileSync(p, 'utf8'), 'x\n');
    assert.deepEqual(leftovers(join(d, 'a', 'b')), []);
  });

  test('a parent path component that is a file: E_IO naming the target and the file in the way, nothing created', () => {
    const d = tmp();
    writeFileSync(join(d, 'k8s'), 'a file\n');
    for (const p of [join(d, 'k8s', 'deployment.yaml'), join(d, 'k8s', 'debug', 'README.md')]) {
      refused(() => writeFileAtomic(p, 'x'), 'E_IO', p, new RegExp(`^cannot write ${p}: ${join(d, 'k8s')} is not a directory$`));
      refused(() => writeFileAtomic(p, 'x', { force: true }), 'E_IO', p, /is not a directory/);
    }
    assert.equal(readFileSync(join(d, 'k8s'), 'utf8'), 'a file\n');
    assert.deepEqual(readdirSync(d), ['k8s']);
  });

  test('a parent that is a symbolic link to nothing: E_IO, the link is left alone', () => {
    const d = tmp();
    symlinkSync(join(d, 'missing'), join(d, 'out'));
    const p = join(d, 'out', 'x.html');
    refused(() => writeFileAtomic(p, 'x', { force: true }), 'E_IO', p, /symbolic link to nothing/);
    assert.equal(existsSync(join(d, 'missing')), false);
  });

  test('a target that is a directory: E_IS_DIRECTORY, also with force; the directory is kept', () => {
    const d = tmp();
    const p = join(d, 'Dockerfile');
    mkdirSync(p);
    writeFileSync(join(p, 'keep'), 'k');
    refused(() => writeFileAtomic(p, 'x'), 'E_IS_DIRECTORY', p, /is a directory/);
    refused(() => writeFileAtomic(p, 'x', { force: true }), 'E_IS_DIRECTORY', p, /is a directory/);
    assert.ok(lstatSync(p).isDirectory());
    assert.equal(readFileSync(join(p, 'keep'), 'utf8'), 'k');
    assert.deepEqual(leftovers(d), []);
  });

  test('a dangling symbolic link counts as existing: E_EXISTS without force; force replaces the link, not its target', () => {
    const d = tmp();
    const p = join(d, 'Dockerfile');
    const target = join(d, 'elsewhere');
    symlinkSync(target, p);
    assert.equal(existsSync(p), false, 'truth: existsSync follows the link and sees nothing');
    refused(() => writeFileAtomic(p, 'x'), 'E_EXISTS', p, /exists; pass --force/);
    assert.equal(readlinkSync(p), target);
    writeFileAtomic(p, 'new\n', { force: true });
    assert.ok(lstatSync(p).isFile());
    assert.equal(readFileSync(p, 'utf8'), 'new\n');
    assert.equal(existsSync(target), false);
  });

  test('an existing file is kept without force and replaced with it', () => {
    const d = tmp();
    const p = join(d, 'f');
    writeFileSync(p, 'old');
    refused(() => writeFileAtomic(p, 'new'), 'E_EXISTS', p, /exists/);
    assert.equal(readFileSync(p, 'utf8'), 'old');
    writeFileAtomic(p, 'new', { force: true });
    assert.equal(readFileSync(p, 'utf8'), 'new');
    assert.deepEqual(leftovers(d), []);
  });

  test('checkWritable says the same as writeFileAtomic without touching anything', () => {
    const d = tmp();
    writeFileSync(join(d, 'file'), '');
    assert.equal(checkWritable(join(d, 'new', 'deep', 'x')), null);
    assert.equal(existsSync(join(d, 'new')), false);
    assert.equal(checkWritable(join(d, 'file'))?.code, 'E_EXISTS');
    assert.equal(checkWritable(join(d, 'file'), { force: true }), null);
    assert.equal(checkWritable(join(d, 'file', 'x'))?.code, 'E_IO');
    assert.equal(checkWritable(d, { force: true })?.code, 'E_IS_DIRECTORY');
  });
});

describe('gokiln size --html into an impossible path', () => {
  test('parent is a file: exit 2 with a one-line typed E_IO, no file written', () => {
    const d = tmp();
    writeFileSync(join(d, 'x.png'), 'png');
    const out = join(d, 'x.png', 'out.html');
    const r = spawnSync(process.execPath, [CLI, 'size', fixture('static'), '--html', out], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `gokiln: E_IO: cannot write ${out}: ${join(d, 'x.png')} is not a directory\n`);
    assert.deepEqual(readdirSync(d), ['x.png']);
  });
});
