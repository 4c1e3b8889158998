/**
 * `size` on real binaries, each verdict against an independent truth: `go tool nm -size` for code per
 * package, `readelf -SW` for section sizes, the file size for the byte identity.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fixture, FIXTURES, FIXTURE_NAMES } from '../fixtures/index.js';
import { sizeFile } from '../../src/analysis/size/analyze.js';
import { diffSize } from '../../src/analysis/size/diff.js';
import { packageOf } from '../../src/formats/go/symbols.js';
import { isGokilnError } from '../../src/errors.js';
import type { SizeReport } from '../../src/analysis/size/types.js';

function tool(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (process.env.CI === 'true') throw new Error(`${cmd} is required in CI`);
      return null;
    }
    throw e;
  }
}

const has = (name: string) => (FIXTURE_NAMES as string[]).includes(name);
const reports = new Map<string, SizeReport>();
function report(name: string): SizeReport {
  let r = reports.get(name);
  if (!r) {
    r = sizeFile(fixture(name)).report;
    reports.set(name, r);
  }
  return r;
}

/** Code bytes per package from `go tool nm -size`: the sum of T/t symbol sizes. */
function nmText(path: string): Map<string, number> | null {
  const out = tool('go', ['tool', 'nm', '-size', path]);
  if (out === null) return null;
  const m = new Map<string, number>();
  for (const line of out.split('\n')) {
    const f = /^\s*[0-9a-f]+\s+(\d+)\s+([Tt])\s+(.+)$/.exec(line);
    // C code of cgo packages (`os/user(.text)`) and C functions (`x_cgo_init`) have no Go package
    if (!f || /^[^.]*\(\./.test(f[3]!) || !f[3]!.includes('.')) continue;
    const pkg = packageOf(f[3]!);
    m.set(pkg, (m.get(pkg) ?? 0) + Number(f[1]));
  }
  return m;
}

const IDENTITY = ['static', 'static-stripped', 'cgo-glibc', 'musl-static', 'pie', 'arm64', 'windows-amd64', 'darwin-amd64', 'darwin-arm64', 'darwin-universal', 'cshared', 'sqlite', 'tzdata', 'ls', 'buf', 'lefthook-linux-x64', 'lefthook-darwin-arm64', 'lefthook-windows-x64', 'esbuild-linux-arm64'];

describe('size: rows add up to the file', () => {
  for (const name of IDENTITY.filter(has)) {
    test(`${name}: sum(packages.size) + unattributed === fileSize === stat size`, () => {
      const r = report(name);
      const sum = r.packages.reduce((t, p) => t + p.size, 0);
      assert.equal(sum + r.unattributed, r.fileSize);
      assert.equal(r.unattributedBreakdown.reduce((t, u) => t + u.size, 0), r.unattributed);
      assert.equal(r.modules.reduce((t, m) => t + m.size, 0), sum);
      for (const p of r.packages) assert.equal(p.size, p.text + p.padding + p.pclntab + p.data, p.name);
      if (!r.notes.some((n) => n.code === 'universal-slice')) assert.equal(r.fileSize, statSync(fixture(name)).size);
    });
  }
});

describe('size: code per package agrees with go tool nm -size', () => {
  for (const name of ['static', 'cgo-glibc', 'arm64', 'windows-amd64', 'darwin-arm64'].filter(has)) {
    test(`${name}: every package within 1% of nm's T symbol sizes`, (t) => {
      const nm = nmText(fixture(name));
      if (!nm) return t.skip('go not installed');
      const r = report(name);
      // ELF symbols carry a size (the function's own length); Mach-O and PE symbols do not, and nm
      // reports the distance to the next symbol there, which is entry → next entry: text + padding
      const withPadding = r.format !== 'elf';
      const mine = new Map(r.packages.map((p) => [p.name, withPadding ? p.text + p.padding : p.text]));
      let checked = 0;
      const off: string[] = [];
      for (const [pkg, bytes] of nm) {
        if (bytes < 256) continue;
        checked++;
        const got = mine.get(pkg) ?? 0;
        if (Math.abs(got - bytes) > bytes * 0.01) off.push(`${pkg}: gokiln ${got}, nm ${bytes}`);
      }
      assert.ok(checked > 50, `only ${checked} packages compared`);
      assert.deepEqual(off, []);
      const totalNm = [...nm.values()].reduce((a, b) => a + b, 0);
      const totalMine = [...nm.keys()].reduce((a, k) => a + (mine.get(k) ?? 0), 0);
      assert.ok(Math.abs(totalMine - totalNm) <= totalNm * 0.01, `total code ${totalMine} vs nm ${totalNm}`);
    });
  }
});

describe('size: stripped and unstripped builds of one program', () => {
  test('static vs static-stripped (-s -w -trimpath): code per package within 1%', () => {
    const a = report('static');
    const b = report('static-stripped');
    assert.equal(a.symbols, true);
    assert.equal(b.symbols, false);
    const bt = new Map(b.packages.map((p) => [p.name, p.text]));
    let compared = 0;
    for (const p of a.packages) {
      if (p.text < 1024) continue;
      compared++;
      const other = bt.get(p.name) ?? 0;
      assert.ok(Math.abs(other - p.text) <= p.text * 0.01, `${p.name}: ${p.text} vs stripped ${other}`);
    }
    assert.ok(compared > 50);
    // the stripped build lost its symbol table and DWARF: both were unattributed bytes
    assert.ok(b.fileSize < a.fileSize);
  });

  test('the diff equals the difference of the two single reports', () => {
    const a = report('static');
    const b = report('static-stripped');
    const d = diffSize(a, b);
    assert.equal(d.total.delta, b.fileSize - a.fileSize);
    const size = (r: SizeReport, n: string) => r.packages.find((p) => p.name === n)?.size ?? 0;
    const names = new Set([...a.packages, ...b.packages].map((p) => p.name));
    assert.equal(d.packages.length, names.size);
    for (const x of d.packages) assert.deepEqual([x.old, x.new, x.delta], [size(a, x.name), size(b, x.name), size(b, x.name) - size(a, x.name)]);
    const msize = (r: SizeReport, n: string) => r.modules.find((m) => m.path === n)?.size ?? 0;
    for (const x of d.modules) assert.equal(x.delta, msize(b, x.name) - msize(a, x.name));
    assert.equal(d.packages.reduce((t, p) => t + p.delta, 0) + d.unattributed.delta, d.total.delta);
    assert.ok(d.sections.some((s) => s.name === '.symtab' && s.new === 0 && s.old > 0));
  });
});

describe('size: modules', () => {
  test('static: main module by its path from go version -m, the rest std', (t) => {
    const out = tool('go', ['version', '-m', fixture('static')]);
    if (out === null) return t.skip('go not installed');
    const mod = /^\s+mod\s+(\S+)/m.exec(out)![1]!;
    const r = report('static');
    assert.equal(r.packages.find((p) => p.name === 'main')!.module, mod);
    assert.ok(r.modules.some((m) => m.path === mod));
    assert.equal(r.modules[0]!.path, 'std');
    assert.equal(r.packages.find((p) => p.name === 'net/http')!.module, 'std');
  });

  test('sqlite: third-party packages roll up to the module go version -m lists', (t) => {
    if (!has('sqlite')) return t.skip('no sqlite fixture');
    const out = tool('go', ['version', '-m', fixture('sqlite')]);
    if (out === null) return t.skip('go not installed');
    const deps = [...out.matchAll(/^\s+dep\s+(\S+)\s+(\S+)/gm)].map((m) => [m[1]!, m[2]!] as const);
    assert.ok(deps.length > 0);
    const r = report('sqlite');
    for (const [path, version] of deps) {
      const m = r.modules.find((x) => x.path === path);
      if (!m) continue; // a dep can contribute no code
      assert.equal(m.version, version);
    }
    const third = r.packages.filter((p) => p.name.startsWith('github.com/mattn/go-sqlite3'));
    assert.ok(third.length > 0 && third.every((p) => p.module === 'github.com/mattn/go-sqlite3'));
  });
});

describe('size: non-Go and bad input', () => {
  test('ls: section sizes as readelf shows them, and a note that packages need a Go binary', (t) => {
    const r = report('ls');
    assert.equal(r.packages.length, 0);
    assert.equal(r.unattributed, r.fileSize);
    assert.ok(r.notes.some((n) => n.code === 'not-go' && /needs a Go binary/.test(n.message)));
    const out = tool('readelf', ['-SW', fixture('ls')]);
    if (out === null) return t.skip('readelf not installed');
    // the first row (index 0) is the NULL section, which has no name; after ES come flags (maybe none), Lk, Inf, Al
    const rows = [...out.matchAll(/^\s*\[\s*[1-9]\d*\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(.*)$/gm)];
    assert.ok(rows.length > 10);
    for (const [, name, type, size, rest] of rows) {
      const s = r.sections.find((x) => x.name === name);
      assert.ok(s, name);
      const tokens = rest!.trim().split(/\s+/);
      const alloc = tokens.length === 4 && tokens[0]!.includes('A');
      assert.equal(s.memSize, alloc ? parseInt(size!, 16) : 0, name);
      assert.equal(s.fileSize, type === 'NOBITS' ? 0 : parseInt(size!, 16), name);
    }
  });

  for (const name of ['script', 'text', 'empty', 'truncated-elf', 'directory'].filter(has)) {
    test(`${name}: a typed error, never a raw exception`, () => {
      const want = (FIXTURES as Record<string, { kind: string; expectedErrorCode?: string }>)[name]!.expectedErrorCode;
      assert.throws(() => sizeFile(fixture(name)), (e: unknown) => isGokilnError(e) && (!want || e.code === want));
    });
  }
});
