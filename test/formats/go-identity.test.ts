/**
 * Go identity and version: build info where there is one (truth: `go version -m`), else the runtime's
 * version string, proven on binaries whose build info was wiped (truth: the toolchain that built them),
 * on decoys (GOROOT-like paths and module paths holding `go1.N`), and on esbuild-linux-arm64, which ships
 * without build info (truth: binutils `strings`, and esbuild's go.version file at v0.28.2, which says 1.26.5).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FIXTURE_NAMES, FIXTURES, fixture, fixturesGoVersion } from '../fixtures/index.js';
import type { BinaryImage } from '../../src/formats/binary.js';
import { identifyGo } from '../../src/formats/go/identity.js';
import { findRuntimeVersion, isGoVersionString } from '../../src/formats/go/runtime-version.js';
import { openImage, openImages } from './open-image.js';
import { parseGoVersionM } from '../truth/go-version-m.js';
import { runToolIfInstalled, runToolOrSkip } from '../truth/tools.js';

const goNames = FIXTURE_NAMES.filter((n) => {
  const r = FIXTURES[n];
  return r.kind === 'go' || r.kind === 'npm' || r.kind === 'derived';
});

/** The same image with its symbol table hidden, as a stripped binary would be. */
function withoutSymbols(img: BinaryImage): BinaryImage {
  return { ...img, hasSymbols: false, symbols: () => null, definedSymbols: () => [] };
}

describe('identifyGo on every Go fixture', () => {
  for (const name of goNames) {
    test(name, (t) => {
      const r = FIXTURES[name];
      assert.notEqual(r.kind, 'bad');
      if (r.kind === 'bad') return;
      for (const img of openImages(fixture(name))) {
        const id = identifyGo(img);
        assert.equal(id.identity.isGo, true);
        assert.deepEqual(id.problems, []);
        assert.ok(id.identity.evidence.includes('pclntab'));
        if (r.truths.hasBuildInfo) {
          assert.equal(id.identity.versionSource, 'buildinfo');
          // without go: a failure under CI, else the test reports as skipped (the checks below still run)
          const text = runToolOrSkip(t, 'go', ['version', '-m', fixture(name)]);
          // go version -m reads the first slice of a universal binary; all slices come from one toolchain
          if (text !== null) assert.equal(id.identity.version, parseGoVersionM(text).goVersion);
        } else {
          assert.equal(id.identity.versionSource, 'runtime-string');
          assert.equal(id.identity.version, r.truths.goVersion);
        }
        // The runtime-string path on its own, without symbols, finds the same version.
        const rv = findRuntimeVersion(withoutSymbols(img));
        assert.equal(rv?.version, id.identity.version, 'runtime.buildVersion string');
        assert.equal(rv?.how, 'string-header');
      }
    });
  }
});

test('esbuild-linux-arm64: no build info; version from the runtime string equals what strings(1) shows', (t) => {
  const file = fixture('esbuild-linux-arm64');
  const id = identifyGo(openImage(file));
  assert.equal(id.buildInfo, null);
  assert.deepEqual(id.identity.evidence, ['pclntab', 'runtime-string']);
  const out = runToolIfInstalled('strings', ['-n', '6', file]);
  if (out === null) return t.skip('binutils strings missing');
  const standalone = [...new Set(out.split('\n').filter((l) => /^go1\.\d+\.\d+$/.test(l)))];
  assert.deepEqual(standalone, [id.identity.version]);
  assert.equal(id.identity.version, 'go1.26.5');
});

test('non-Go ELF: not Go, no version, no problems', () => {
  const id = identifyGo(openImage(fixture('ls')));
  assert.deepEqual(id.identity, { isGo: false, evidence: [], version: null, versionSource: null });
  assert.equal(id.pclntab, null);
});

/** Overwrites every `\xff Go buildinf:` magic in a copy of `src`, so no reader can find build info. */
function wipeBuildInfo(src: string, dst: string): number {
  copyFileSync(src, dst);
  const b = readFileSync(dst);
  const magic = Buffer.from('\xff Go buildinf:', 'latin1');
  let n = 0;
  for (let i = b.indexOf(magic); i >= 0; i = b.indexOf(magic, i + 1)) {
    b.fill(0, i, i + magic.length);
    n++;
  }
  writeFileSync(dst, b);
  return n;
}

test('wiped build info: version comes from the runtime string and equals the building toolchain', (t) => {
  if (runToolIfInstalled('go', ['version']) === null) return t.skip('go missing');
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-goid-'));
  try {
    for (const name of ['static-stripped', 'pie', 'arm64', 'windows-amd64', 'darwin-arm64']) {
      const copy = join(dir, name);
      assert.ok(wipeBuildInfo(fixture(name), copy) >= 1);
      // go version -m no longer finds it either
      const gv = runToolIfInstalled('go', ['version', '-m', copy], true) ?? '';
      assert.doesNotMatch(gv, /\tpath\t/);
      const id = identifyGo(withoutSymbols(openImage(copy)));
      assert.equal(id.buildInfo, null);
      assert.deepEqual(id.identity.evidence, ['pclntab', 'runtime-string'], name);
      assert.equal(id.identity.version, fixturesGoVersion(), name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('decoys: GOROOT-like paths, module paths and text mentioning go1.N are not taken for the version', (t) => {
  if (runToolIfInstalled('go', ['version']) === null) return t.skip('go missing');
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-godecoy-'));
  try {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'go.mod'), 'module example.com/go1.5/decoy\n\ngo 1.21\n');
    writeFileSync(
      join(dir, 'src', 'main.go'),
      'package main\n\nimport "os"\n\nvar paths = []string{"/usr/local/go1.22.1/src/runtime", "example.com/go1.5/decoy", "built with go1.99.9rc1 maybe"}\n\n' +
        'func main() { for _, p := range paths { os.Stdout.WriteString(p) } }\n',
    );
    const out = join(dir, 'decoy');
    execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], {
      cwd: join(dir, 'src'),
      env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64', GOTOOLCHAIN: 'local', GOFLAGS: '' },
      stdio: 'pipe',
    });
    const wiped = join(dir, 'decoy-wiped');
    wipeBuildInfo(out, wiped);
    const id = identifyGo(openImage(wiped));
    assert.equal(id.identity.version, fixturesGoVersion());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no build info and a damaged pclntab: Go by its runtime symbols, version through runtime.buildVersion', (t) => {
  const nm = runToolIfInstalled('go', ['tool', 'nm', fixture('static')]);
  if (nm === null) return t.skip('go missing');
  assert.match(nm, / T runtime\.main$/m, 'nm sees runtime.main');
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-gosyms-'));
  try {
    const copy = join(dir, 'static');
    wipeBuildInfo(fixture('static'), copy);
    const img = openImage(copy);
    const pcl = img.sections.find((s) => s.name === '.gopclntab');
    assert.ok(pcl);
    const b = readFileSync(copy);
    b[pcl.offset] = 0x12; // no longer a pcHeader magic
    writeFileSync(copy, b);
    const id = identifyGo(openImage(copy));
    assert.deepEqual(id.identity.evidence, ['runtime-symbols', 'runtime-string']);
    assert.equal(id.identity.version, fixturesGoVersion());
    assert.deepEqual(
      id.problems.map((p) => [p.part, p.code]),
      [['pclntab', 'E_CORRUPT']],
    );
    assert.equal(findRuntimeVersion(openImage(copy))?.how, 'symbol');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('version string shape', () => {
  const good = ['go1.26.8', 'go1.27', 'go1.21rc2', 'go1.22beta1', 'go1.25.1 X:nodwarf5', 'go1.24.0 X:boringcrypto,loopvar'];
  const bad = ['go1.', 'go1.26.8/src', '/usr/local/go1.22', 'go2.0', 'go1.26.8 extra', 'devel'];
  for (const g of good) test(`accepts ${g}`, () => assert.ok(isGoVersionString(g)));
  for (const b of bad) test(`rejects ${b}`, () => assert.ok(!isGoVersionString(b)));
});
