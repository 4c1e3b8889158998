/**
 * The `gokiln size` command end to end: JSON against schemas/size.schema.json, exit codes, and that a
 * failure leaves no file (nor temporary file) behind.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fixture } from '../fixtures/index.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const schema = JSON.parse(readFileSync('schemas/size.schema.json', 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function gokiln(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'size', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('gokiln size CLI', () => {
  test('--json is valid against the schema and keeps the identity', () => {
    const r = gokiln(fixture('static'), '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { packages: Array<{ size: number }>; unattributed: number; fileSize: number };
    assert.ok(validate(j), JSON.stringify(validate.errors));
    assert.equal(j.packages.reduce((t, p) => t + p.size, 0) + j.unattributed, j.fileSize);
    assert.equal(j.fileSize, statSync(fixture('static')).size);
  });

  test('OLD NEW --json is a valid diff', () => {
    const r = gokiln(fixture('static'), fixture('static-stripped'), '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { total: { delta: number } };
    assert.ok(validate(j), JSON.stringify(validate.errors));
    assert.equal(j.total.delta, statSync(fixture('static-stripped')).size - statSync(fixture('static')).size);
  });

  test('text output lists packages, the unattributed row and the file total', () => {
    const r = gokiln(fixture('static'), '--top', '5');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Packages \(top 5 of \d+\)/);
    assert.match(r.out, /\(unattributed\)/);
    assert.match(r.out, /\(file total\)/);
    assert.match(r.out, /runtime/);
  });

  test('non-Go binary: section sizes, exit 0, a note', () => {
    const r = gokiln(fixture('ls'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Sections/);
    assert.match(r.out, /package attribution needs a Go binary/);
  });

  for (const bad of ['script', 'empty', 'truncated-elf', 'directory']) {
    test(`${bad}: exit 2, typed error, no HTML written`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'gk-size-'));
      try {
        const out = join(dir, 'out.html');
        const r = gokiln(fixture(bad), '--html', out);
        assert.equal(r.code, 2);
        assert.match(r.err, /gokiln: E_[A-Z_]+: /);
        assert.equal(existsSync(out), false);
        assert.deepEqual(readdirSync(dir), []);
        const j = gokiln(fixture(bad), '--json');
        assert.equal(j.code, 2);
        assert.ok(validate(JSON.parse(j.out)), JSON.stringify(validate.errors));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('--html: written whole, refuses to overwrite without --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-size-'));
    try {
      const out = join(dir, 'size.html');
      const first = gokiln(fixture('static-stripped'), '--html', out);
      assert.equal(first.code, 0);
      const html = readFileSync(out, 'utf8');
      // it says where the page went (stderr), and the stdout table is unchanged by --html
      assert.equal(first.err, `wrote ${out} (${Buffer.byteLength(html)} bytes): open it in a browser\n`);
      assert.equal(first.out, gokiln(fixture('static-stripped')).out);
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /<\/html>\n$/);
      // self-contained: no external script, style or fetch
      assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!gokiln\.dev)/);
      writeFileSync(out, 'keep');
      const again = gokiln(fixture('static-stripped'), '--html', out);
      assert.equal(again.code, 2);
      assert.equal(readFileSync(out, 'utf8'), 'keep');
      // the error is about the page, not the binary
      assert.match(again.err, new RegExp(`^gokiln: E_EXISTS: ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} exists`, 'm'));
      const json = gokiln(fixture('static-stripped'), '--html', out, '--json');
      assert.equal(json.code, 2);
      assert.deepEqual(JSON.parse(json.out), {
        error: { code: 'E_EXISTS', message: `${out} exists; pass --force to overwrite it`, file: out },
      });
      // a page that cannot be written where its parent is a file: a typed error naming the page, nothing written
      const underFile = join(out, 'sub.html');
      const bad = gokiln(fixture('static-stripped'), '--html', underFile, '--json');
      assert.equal(bad.code, 2, bad.err);
      const e = (JSON.parse(bad.out) as { error: { code: string; message: string; file?: string } }).error;
      assert.match(e.code, /^E_(IO|EXISTS|NOT_FOUND)$/);
      assert.ok(e.message.includes(underFile), e.message);
      assert.doesNotMatch(bad.err, /internal error|\n\s+at /);
      const forced = gokiln(fixture('static-stripped'), '--html', out, '--force', '--json');
      assert.equal(forced.code, 0);
      assert.ok(validate(JSON.parse(forced.out)), 'stdout stays the JSON document');
      assert.match(forced.err, /^wrote .*size\.html \(\d+ bytes\)/);
      assert.deepEqual(readdirSync(dir), ['size.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad flags are usage errors (exit 2)', () => {
    assert.equal(gokiln(fixture('static'), '--by', 'color').code, 2);
    assert.equal(gokiln(fixture('static'), '--top', 'x').code, 2);
    assert.equal(gokiln(fixture('static'), fixture('static'), '--html', '/tmp/x.html').code, 2);
    // with --json the reader gets a JSON error on stdout too
    const r = gokiln(fixture('static'), '--json', '--top', '-1');
    assert.equal(r.code, 2);
    assert.equal((JSON.parse(r.out) as { error: { code: string } }).error.code, 'E_USAGE');
  });
});
