/**
 * Start-up on each line (issue #19): the bin runs the verb's bundle through runCachedScript, whose V8 code
 * cache (under the user's cache directory, per Node version) is written by the first run and read by the
 * next ones, on every line (Node 20 too). V8 refuses a cache that does not fit, and gokiln then writes a
 * new one: a cache file left as it was by a run therefore proves that V8 took it. A cache that cannot be
 * written, or a broken one, changes nothing the user sees. The policy (engines, types, tested versions)
 * is checked against the files that state it.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from '../fixtures/index.js';
import { asNonRoot } from '../harness/nonroot.js';

const lines = (await import(
  new URL('../../../scripts/node-lines.mjs', import.meta.url).href
)) as typeof import('../../scripts/node-lines.mjs');
const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const BIN = join(CLI, '..');

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort();
}

/** The bundle a verb runs (its name carries a hash of its content). */
function bundleOf(verb: string): string {
  const found = readdirSync(BIN).filter((f) => new RegExp(`^${verb}-[A-Z0-9]+\\.cjs$`).test(f));
  assert.equal(found.length, 1, `one bundle for ${verb}: ${found.join(' ')}`);
  return found[0]!;
}

describe('start-up and the code cache', () => {
  const work = mkdtempSync(join(tmpdir(), 'gokiln-startup-'));
  chmodSync(work, 0o755);
  // the fixture cache sits under /root, out of reach of the non-root run: a copy it may read
  const binary = join(work, 'hello');
  copyFileSync(fixture('static'), binary);
  chmodSync(binary, 0o644);
  const args = [CLI, 'inspect', '--json', binary];
  const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };
  const expected = spawnSync(process.execPath, args, { encoding: 'utf8', env: noCache }).stdout;
  const inspect = bundleOf('inspect');

  for (const line of ['20', '22', '26']) {
    test(`Node ${line}: the cache is written once, taken after, replaced when refused; output unchanged`, () => {
      const node = lines.nodeFor(line);
      const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      const home = join(work, `cache-${line}`);
      const env = { ...process.env, XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: undefined };
      const dir = join(home, 'gokiln', 'code-cache', `${version}-${process.arch}`);
      // another build's cache of the same verb is removed when the new one is written if it is over a day
      // old (that build is gone), kept if younger (two builds in use); another verb's cache stays
      mkdirSync(dir, { recursive: true });
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
      for (const [name, old] of [
        ['inspect-AAAAAAAA.cjs.cache', true],
        ['inspect-CCCCCCCC.cjs.cache', false],
        ['size-BBBBBBBB.cjs.cache', true],
      ] as const) {
        writeFileSync(join(dir, name), 'another build');
        if (old) utimesSync(join(dir, name), twoDaysAgo, twoDaysAgo);
      }
      const run = (): void => {
        const r = spawnSync(node, args, { encoding: 'utf8', env });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, expected);
      };
      run();
      assert.deepEqual(files(dir), ['inspect-CCCCCCCC.cjs.cache', `${inspect}.cache`, 'size-BBBBBBBB.cjs.cache'].sort());
      const cache = join(dir, `${inspect}.cache`);
      const first = statSync(cache);
      assert.ok(first.size > 50_000, `the cache holds the compiled command: ${first.size} bytes`);
      run();
      const second = statSync(cache);
      assert.deepEqual([second.ino, second.mtimeMs], [first.ino, first.mtimeMs], 'V8 took the cache: not rewritten');
      // garbage, then a truncated cache: refused, replaced, and the next run takes the new one
      for (const bad of [Buffer.from('not a code cache'), readFileSync(cache).subarray(0, 1000)]) {
        writeFileSync(cache, bad);
        run();
        const replaced = readFileSync(cache);
        assert.ok(replaced.length > 50_000 && !replaced.equals(bad), 'a refused cache is replaced');
        const before = statSync(cache);
        run();
        assert.equal(statSync(cache).mtimeMs, before.mtimeMs, 'and the new one is taken');
      }
      assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file is left');
      const off = join(work, `off-${line}`);
      const disabled = spawnSync(node, args, { encoding: 'utf8', env: { ...env, XDG_CACHE_HOME: off, NODE_DISABLE_COMPILE_CACHE: '1' } });
      assert.equal(disabled.stdout, expected);
      assert.deepEqual(files(join(off, 'gokiln')), [], 'NODE_DISABLE_COMPILE_CACHE=1 writes nothing');
    });
  }

  test('Node 26: an unwritable cache directory is harmless (a file in its place; a read-only directory as another user)', () => {
    const node = lines.nodeFor('26');
    const file = join(work, 'not-a-dir');
    writeFileSync(file, '');
    const r = spawnSync(node, args, { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: file } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, expected);
    const ro = join(work, 'read-only');
    mkdirSync(ro, { mode: 0o555 });
    chmodSync(ro, 0o555);
    const n = asNonRoot(node, args, { env: { ...process.env, XDG_CACHE_HOME: ro } });
    assert.equal(n.exitCode, 0, n.spawnError ?? n.stderr);
    assert.equal(n.stderr, '');
    assert.equal(n.stdout, expected);
    assert.deepEqual(readdirSync(ro), []);
  });

  test('--version prints the version without loading a command, on every line', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const line of ['20', '22', '24', '26']) {
      const r = spawnSync(lines.nodeFor(line), [CLI, '--version'], { encoding: 'utf8' });
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `${pkg.version}\n`);
      const v = spawnSync(lines.nodeFor(line), [CLI, '-V'], { encoding: 'utf8' });
      assert.equal(v.stdout, `${pkg.version}\n`);
    }
  });

  test.after(() => rmSync(work, { recursive: true, force: true }));
});

describe('the Node policy, as package.json, the README and the test runner state it', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
  const readme = readFileSync('README.md', 'utf8');

  test('engines, types and tested versions agree', () => {
    assert.equal(pkg.engines.node, '>=20.19.0');
    // the types are the lowest tested line's: code that uses a newer API must feature-detect it
    assert.match(pkg.devDependencies['@types/node']!, /^\^20\./);
    const installed = JSON.parse(readFileSync('node_modules/@types/node/package.json', 'utf8')) as { version: string };
    assert.match(installed.version, /^20\./);
    for (const [line, version] of Object.entries(lines.NODE_LINES)) assert.match(version, new RegExp(`^${line}\\.\\d+\\.\\d+$`));
    assert.deepEqual(Object.keys(lines.NODE_LINES), ['22', '24', '26']);
    for (const [line, end] of [
      ['26', '2029-04-30'],
      ['24', '2028-04-30'],
      ['22', '2027-04-30'],
    ]) {
      assert.match(readme, new RegExp(`^\\| ${line} \\| ${end} \\|`, 'm'), `README lists Node ${line} until ${end}`);
    }
    assert.match(readme, /^\| 20\.19\+ \| \*\*ended 2026-04-30\*\* \|/m);
  });
});
