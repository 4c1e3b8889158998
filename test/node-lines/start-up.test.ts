/**
 * Start-up on each line (issue #19): the bin turns on Node's compile cache where the line has one (22.1+),
 * under the user's cache directory; a cache that cannot be written changes nothing the user sees; Node 20
 * has no cache and writes none. The policy (engines, types, tested versions) is checked against the files
 * that state it.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from '../fixtures/index.js';
import { asNonRoot } from '../harness/nonroot.js';

const lines = (await import(
  new URL('../../../scripts/node-lines.mjs', import.meta.url).href
)) as typeof import('../../scripts/node-lines.mjs');
const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}

describe('start-up and the compile cache', () => {
  const work = mkdtempSync(join(tmpdir(), 'gokiln-startup-'));
  chmodSync(work, 0o755);
  // the fixture cache sits under /root, out of reach of the non-root run: a copy it may read
  const binary = join(work, 'hello');
  copyFileSync(fixture('static'), binary);
  chmodSync(binary, 0o644);
  const args = [CLI, 'inspect', '--json', binary];
  const expected = spawnSync(process.execPath, args, { encoding: 'utf8' }).stdout;

  for (const line of ['20', '22', '26']) {
    test(`Node ${line}: the cache is ${line === '20' ? 'absent' : 'written once and read after'}; output unchanged`, () => {
      const node = lines.nodeFor(line);
      const home = join(work, `cache-${line}`);
      const env = { ...process.env, XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: undefined };
      const dir = join(home, 'gokiln', 'node-compile-cache');
      const first = spawnSync(node, args, { encoding: 'utf8', env });
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.stderr, '');
      assert.equal(first.stdout, expected);
      const written = files(dir);
      if (line === '20') {
        assert.deepEqual(written, [], 'Node 20 has no compile cache');
        return;
      }
      assert.ok(written.length >= 2, `the bin and the inspect chunk are cached: ${written.join(' ')}`);
      const second = spawnSync(node, args, { encoding: 'utf8', env: { ...env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' } });
      assert.equal(second.status, 0);
      assert.equal(second.stdout, expected);
      // Node's own debug log says which modules it read back from the cache rather than compiled: the command
      // and the inspect chunk, loaded after the bin switched the cache on (the bin itself is loaded before)
      const accepted = [...second.stderr.matchAll(/cache for (?:ESM )?file:\/\/\S*\/dist\/bin\/([a-z]+)-[A-Z0-9]+\.js was accepted/g)].map(
        (m) => m[1],
      );
      assert.ok(accepted.includes('main') && accepted.includes('inspect'), `accepted from the cache: ${accepted.join(' ')}`);
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
