/**
 * Build info against `go version -m` (text, the path/mod/dep/=>/build lines) and `go version -m -json`
 * (unquoted setting values) on every Go fixture, plus the modinfo and Go-quoting rules on their own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { strict as assert } from 'node:assert';
import { FIXTURE_NAMES, FIXTURES, fixture } from '../fixtures/index.js';
import { readBuildInfo, stripModInfoSentinels } from '../../src/formats/go/buildinfo.js';
import { parseModInfo } from '../../src/formats/go/modinfo.js';
import { goUnquote } from '../../src/formats/go/strconv.js';
import { isGokilnError } from '../../src/errors.js';
import type { GoBuildInfo, GoModule } from '../../src/formats/go/types.js';
import { openImages } from './open-image.js';
import { parseGoVersionM } from '../truth/go-version-m.js';
import { runToolIfInstalled, runToolOrSkip } from '../truth/tools.js';

interface JsonModule {
  Path: string;
  Version: string;
  Sum?: string;
  Replace?: JsonModule;
}
interface JsonBuildInfo {
  GoVersion: string;
  Path: string;
  Main?: JsonModule;
  Deps?: JsonModule[];
  Settings?: Array<{ Key: string; Value?: string }>;
}

function fromJson(m: JsonModule): GoModule {
  return { path: m.Path, version: m.Version, sum: m.Sum ? m.Sum : null, replace: m.Replace ? fromJson(m.Replace) : null };
}

/** Go writes a setting value quoted (strconv.Quote) when it holds space, tab, CR, LF, `"` or a backquote. */
function quoteLikeGo(v: string): string {
  return /[ \t\r\n"`]/.test(v) ? JSON.stringify(v) : v;
}

/** Compares with `go version -m` (text and JSON); without go: fails under CI, else marks `t` skipped. */
function assertMatchesGo(t: TestContext, file: string, bi: GoBuildInfo): void {
  const text = runToolOrSkip(t, 'go', ['version', '-m', file]);
  if (text === null) return;
  const truth = parseGoVersionM(text);
  assert.equal(bi.goVersion, truth.goVersion, 'go version');
  assert.equal(bi.path, truth.path, 'path line');
  if (truth.mod) {
    assert.ok(bi.main !== null);
    assert.deepEqual([bi.main.path, bi.main.version, bi.main.sum ?? ''], [truth.mod[0], truth.mod[1], truth.mod[2] ?? '']);
  } else assert.equal(bi.main, null);
  assert.equal(bi.deps.length, truth.deps.length, 'dep count');
  bi.deps.forEach((d, i) => {
    const t = truth.deps[i]!;
    assert.deepEqual([d.path, d.version, d.sum ?? ''], [t.cols[0], t.cols[1], t.cols[2] ?? ''], `dep ${i}`);
    assert.deepEqual(d.replace ? [d.replace.path, d.replace.version, d.replace.sum ?? ''] : null, t.replace, `replacement of ${d.path}`);
  });
  // The text form keeps Go's quoting: re-quote ours the same way and compare the lines.
  assert.deepEqual(
    bi.settings.map((s) => `${s.key}=${quoteLikeGo(s.value)}`),
    truth.build,
    'build lines',
  );
  // The JSON form holds the unquoted values: compare them directly.
  const json = runToolOrSkip(t, 'go', ['version', '-m', '-json', file]);
  if (json === null) return;
  const j = JSON.parse(json) as JsonBuildInfo;
  assert.deepEqual(
    bi.settings,
    (j.Settings ?? []).map((s) => ({ key: s.Key, value: s.Value ?? '' })),
    'settings (json)',
  );
  assert.deepEqual(bi.deps, (j.Deps ?? []).map(fromJson), 'deps (json)');
  if (j.Main) assert.deepEqual(bi.main, fromJson(j.Main));
}

const withBuildInfo = FIXTURE_NAMES.filter((n) => {
  const r = FIXTURES[n];
  return (r.kind === 'go' || r.kind === 'npm' || r.kind === 'derived') && r.truths.hasBuildInfo && n !== 'execshim';
});

/** `go version -m` reads only the first slice of a universal Mach-O: compare each slice with its thin source. */
function truthFileFor(name: string, arch: string): string {
  const r = FIXTURES[name as keyof typeof FIXTURES];
  if (r.kind !== 'derived') return fixture(name);
  const src = r.universalOf.find((n) => {
    const t = FIXTURES[n as keyof typeof FIXTURES];
    return t.kind !== 'bad' && t.truths.goarch === arch;
  });
  assert.ok(src, `no thin fixture for ${arch} in ${name}`);
  return fixture(src);
}

describe('readBuildInfo matches go version -m on every Go fixture', () => {
  for (const name of withBuildInfo) {
    test(name, (t) => {
      const file = fixture(name);
      const imgs = openImages(file);
      assert.ok(imgs.length >= 1);
      for (const img of imgs) {
        const bi = readBuildInfo(img);
        assert.ok(bi, `${name}: build info not found`);
        assertMatchesGo(t, truthFileFor(name, img.arch), bi);
        assert.equal(bi.ptrSize, img.bits / 8);
        assert.equal(bi.inlineStrings, !/^go1\.(1[0-7]|[0-9])(\.|$)/.test(bi.goVersion), 'inline strings since Go 1.18');
      }
    });
  }
});

test('fixtures with known settings: vcs stamp, -X version, sqlite dep with sum', () => {
  const vcs = readBuildInfo(openImages(fixture('vcs'))[0]!)!;
  const keys = vcs.settings.map((s) => s.key);
  for (const k of ['vcs', 'vcs.revision', 'vcs.time', 'vcs.modified']) assert.ok(keys.includes(k), k);
  assert.equal(vcs.settings.find((s) => s.key === 'vcs.time')?.value, '2026-01-02T03:04:05Z');
  const sqlite = readBuildInfo(openImages(fixture('sqlite'))[0]!)!;
  const dep = sqlite.deps.find((d) => d.path === 'github.com/mattn/go-sqlite3');
  assert.ok(dep && dep.sum?.startsWith('h1:'), 'go-sqlite3 with its h1: sum');
});

test('a real build with a replace directive and a quoted -ldflags matches go version -m', (t) => {
  if (runToolIfInstalled('go', ['version']) === null) return t.skip('go toolchain missing');
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-gofmt-'));
  try {
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'dep'));
    writeFileSync(join(dir, 'dep', 'go.mod'), 'module example.com/dep\n\ngo 1.21\n');
    writeFileSync(join(dir, 'dep', 'dep.go'), 'package dep\n\nfunc Hello() string { return "hi" }\n');
    writeFileSync(
      join(dir, 'app', 'go.mod'),
      'module example.com/app\n\ngo 1.21\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ../dep\n',
    );
    writeFileSync(
      join(dir, 'app', 'main.go'),
      'package main\n\nimport "example.com/dep"\n\nvar version string\n\nfunc main() { println(dep.Hello(), version) }\n',
    );
    const out = join(dir, 'app.bin');
    execFileSync('go', ['build', '-buildvcs=false', '-ldflags=-s -X "main.version=1.2.3 rc" -X=main.x=a`b', '-o', out, '.'], {
      cwd: join(dir, 'app'),
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
      stdio: 'pipe',
    });
    const bi = readBuildInfo(openImages(out)[0]!);
    assert.ok(bi !== null);
    assert.ok(bi.deps[0]?.replace, 'replacement attached to its dep');
    assert.equal(bi.deps[0]?.replace?.path, '../dep');
    assertMatchesGo(t, out, bi);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without its dedicated section the blob is found in the first writable segment, as Go does', () => {
  for (const name of ['static', 'pie', 'arm64', 'darwin-arm64', 'esbuild-go115']) {
    const img = openImages(fixture(name))[0]!;
    const want = readBuildInfo(img);
    assert.ok(want);
    // ELF with no section headers at all (as after sstrip); Mach-O with the named section hidden
    const sections = img.format === 'elf' ? [] : img.sections.filter((s) => s.name !== '__go_buildinfo');
    assert.deepEqual(readBuildInfo({ ...img, sections }), want, name);
  }
});

test('non-Go and no-build-info binaries give null', (t) => {
  assert.equal(readBuildInfo(openImages(fixture('ls'))[0]!), null);
  assert.equal(readBuildInfo(openImages(fixture('esbuild-linux-arm64'))[0]!), null);
  // and go version -m agrees that esbuild has none (without go: a failure under CI, else a skip)
  const text = runToolOrSkip(t, 'go', ['version', '-m', fixture('esbuild-linux-arm64')], true);
  if (text !== null) assert.doesNotMatch(text, /\tpath\t/);
});

describe('modinfo parsing (Go runtime/debug.ParseBuildInfo rules)', () => {
  test('path, mod, dep, => and quoted build lines', () => {
    const m = parseModInfo(
      'path\texample.com/x\nmod\texample.com/x\t(devel)\t\ndep\ta.io/b\tv1.0.0\th1:x=\n=>\t../b\t(devel)\t\n' +
        'dep\tc.io/d\tv2.0.0\th1:y=\nbuild\t-ldflags="-s -w -X main.version=1.2.3"\nbuild\t"a b"=c\nbuild\tvcs.modified=true\n',
    );
    assert.equal(m.path, 'example.com/x');
    assert.deepEqual(m.main, { path: 'example.com/x', version: '(devel)', sum: null, replace: null });
    assert.deepEqual(m.deps[0]?.replace, { path: '../b', version: '(devel)', sum: null, replace: null });
    assert.equal(m.deps[1]?.replace, null);
    assert.deepEqual(m.settings, [
      { key: '-ldflags', value: '-s -w -X main.version=1.2.3' },
      { key: 'a b', value: 'c' },
      { key: 'vcs.modified', value: 'true' },
    ]);
  });
  test('malformed lines are E_CORRUPT, unknown kinds and the unterminated tail are ignored', () => {
    const bad = ['dep\tonly-one\n', '=>\ta\tb\tc\n', 'build\tnoequals\n', 'build\t=x\n', 'build\tk=a b\n', 'build\tk="open\n'];
    for (const b of bad)
      assert.throws(
        () => parseModInfo(b),
        (e: unknown) => isGokilnError(e) && e.code === 'E_CORRUPT',
        JSON.stringify(b),
      );
    assert.deepEqual(parseModInfo('weird\tline\npath\tp\npath\tq').path, 'p');
  });
  test('an empty path line is no path, as in Go (runtime/debug: BuildInfo.String skips Path "", its JSON omits it)', () => {
    assert.equal(parseModInfo('path\t\nmod\tm\t(devel)\t\n').path, null);
    assert.equal(parseModInfo('path\tp\npath\t\n').path, null); // the last path line wins, as in Go
    assert.equal(parseModInfo('mod\tm\t(devel)\t\n').path, null);
  });
  test('sentinels are stripped only when present', () => {
    const s = '0123456789abcdef' + 'path\tp\n' + 'fedcba9876543210';
    assert.equal(stripModInfoSentinels(s), 'path\tp\n');
    assert.equal(stripModInfoSentinels('short'), '');
  });
});

describe('Go string unquoting (strconv.Quote form)', () => {
  const cases: Array<[string, string]> = [
    ['"plain"', 'plain'],
    ['"-s -w -X \\"main.v=1\\""', '-s -w -X "main.v=1"'],
    ['"tab\\there\\n"', 'tab\there\n'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\xc3\\xa9"', 'é'],
    ['"\\a\\b\\f\\r\\v\\\\"', '\x07\b\f\r\v\\'],
    ['`raw \\n "q"`', 'raw \\n "q"'],
  ];
  for (const [q, want] of cases) test(q, () => assert.equal(goUnquote(q), want));
  test('invalid literals are E_CORRUPT', () => {
    for (const q of ['"', '"abc', '"\\q"', '"\\x4"', '"\\400"', '"a"b"', "'x'", '"\\ud800"', '"\\\'"']) {
      assert.throws(
        () => goUnquote(q),
        (e: unknown) => isGokilnError(e) && e.code === 'E_CORRUPT',
        q,
      );
    }
  });
  test('agrees with Go strconv.Quote round trips (JSON-compatible subset)', () => {
    for (const s of ['a b', 'x="y"', 'tab\t', 'é ü', '`back`']) assert.equal(goUnquote(JSON.stringify(s)), s);
  });
});
