/**
 * inspect end to end, library level: every fact it reports is compared with an independent reader —
 * readelf/file (format, linking, interpreter, needed, version needs), `go version -m` (build info),
 * `go tool nm` on the unstripped twin (needs) — over every fixture, Go-built and npm-shipped alike.
 * The verdicts themselves are compared with real runs in test/analysis/verdict-rootfs.test.ts (from tool
 * facts) and here (from inspect's facts) on the stand-in root file systems.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFile } from '../../src/analysis/inspect.js';
import type { InspectOk, InspectResult, Needs } from '../../src/analysis/types.js';
import { FIXTURES, fixture, fixturesOfKind, type FixtureName } from '../fixtures/index.js';
import { formatFactsByTools, needsByTools, packagesOfNames } from './verdict-truth.js';
import { goFuncNames } from '../truth/go-nm.js';
import { readelfText } from '../truth/readelf.js';
import { missingTools } from '../truth/tools.js';
import { goVersionM } from '../truth/go-version-m.js';

const CI = process.env.CI === 'true';
const BINARIES = [...fixturesOfKind('go'), ...fixturesOfKind('derived'), ...fixturesOfKind('npm')].filter((n) => n !== 'execshim');
const TODAY = new Date('2026-11-26T00:00:00Z');

function ok(r: InspectResult): InspectOk {
  if ('error' in r) throw new Error(`${r.file}: ${r.error.code} ${r.error.message}`);
  return r;
}

/** The unstripped build of the same source, for needs that come from function names. */
const TWIN: Partial<Record<FixtureName, FixtureName>> = { 'static-stripped': 'static' };

describe('inspect agrees with independent readers', () => {
  const missing = missingTools(['readelf', 'file', 'go']);
  if (missing.length && CI) throw new Error(`missing tools in CI: ${missing.join(', ')}`);

  for (const name of BINARIES) {
    test(`${name}: format facts equal readelf/file`, () => {
      const path = fixture(name);
      const r = ok(inspectFile(path, { today: TODAY }));
      const truth = formatFactsByTools(path);
      assert.equal(r.format, truth.format);
      assert.equal(r.os, truth.os);
      assert.equal(r.arch, truth.arch);
      if (truth.format === 'elf') {
        assert.equal(r.kind, truth.kind);
        assert.equal(r.linking, truth.linking);
        assert.equal(r.interpreter, truth.interpreter);
        // readelf sees no libc in a static binary; gokiln names the one linked in, known here by construction
        const recipe = FIXTURES[name];
        const cc = recipe.kind === 'go' ? recipe.cc : undefined;
        const embedded = truth.linking === 'static' && recipe.kind === 'go' && recipe.env['CGO_ENABLED'] === '1';
        assert.equal(r.libc, embedded ? (cc === 'musl-gcc' ? 'musl' : 'glibc') : truth.libc);
        assert.deepEqual(r.needed, truth.needed);
        assert.deepEqual(r.versionNeeds, truth.versionNeeds);
        assert.equal(r.glibcRequired, truth.glibcRequired);
      }
    });

    test(`${name}: Go facts equal go version -m`, () => {
      const path = fixture(name);
      const r = ok(inspectFile(path, { today: TODAY }));
      const recipe = FIXTURES[name];
      const go = r.go;
      assert.ok(go, 'every binary fixture is a Go program');
      const truth = goVersionM(path);
      if (!truth) {
        // e.g. esbuild's npm builds: no build info section, so the version comes from the runtime string
        assert.ok('truths' in recipe && !recipe.truths.hasBuildInfo, 'go version -m failed on a fixture that has build info');
        assert.ok(!go.evidence.includes('buildinfo'));
        assert.equal(go.versionSource, 'runtime-string');
        assert.equal(go.version, 'truths' in recipe ? recipe.truths.goVersion : undefined);
        return;
      }
      assert.equal(go.version, truth.goVersion);
      assert.equal(go.versionSource, 'buildinfo');
      assert.equal(go.path, truth.path);
      assert.equal(go.main?.path ?? null, truth.main?.path ?? null);
      if (go.main && go.main.derivedFrom === 'buildinfo') assert.equal(go.main.version, truth.main?.version);
      assert.deepEqual(go.deps, truth.deps);
      assert.deepEqual(go.settings, truth.settings);
      if (truth.settings['CGO_ENABLED']) assert.equal(go.cgo, truth.settings['CGO_ENABLED'] === '1');
    });
  }

  for (const name of BINARIES.filter((n) => formatFactsByTools(fixture(n)).format === 'elf' && FIXTURES[n].kind !== 'npm')) {
    test(`${name}: needs equal what go tool nm's function list implies`, (t) => {
      if (missing.includes('go')) return t.skip('go missing');
      const path = fixture(name);
      const r = ok(inspectFile(path, { today: TODAY }));
      // the truth's own rule table (verdict-truth needsByRules) over nm's T/t symbols, not gokiln's needs
      const truth = needsByTools(path, fixture(TWIN[name] ?? name));
      assert.ok(truth.funcCount > 1000, `go tool nm listed ${truth.funcCount} functions`);
      assert.deepEqual(r.needs, truth.needs);
      // and what the recipe knows by construction (the program under test/go imports it)
      const recipe = FIXTURES[name];
      if (recipe.kind === 'go') {
        assert.equal(truth.needs.pprof, recipe.truths.linksPprof, 'pprof by recipe');
        assert.equal(truth.needs.tzdataEmbedded, recipe.truths.embedsTzdata, 'tzdataEmbedded by recipe');
      }
    });
  }

  test("needs known from the programs' sources: each flag is true somewhere, as the truth and inspect both see it", (t) => {
    if (missing.includes('go')) return t.skip('go missing');
    // test/go/pprofsrv imports net/http/pprof and expvar; tzembed imports time/tzdata and calls
    // time.LoadLocation; hello uses SystemCertPool, LoadLocation, os/user and net (cgo-glibc: with cgo)
    const cases: Array<[FixtureName, Partial<Needs>]> = [
      ['pprof', { pprof: true, expvar: true, plugin: false, osUser: false, tzdataEmbedded: false }],
      ['tzdata', { tzdata: true, tzdataEmbedded: true, pprof: false, expvar: false, caCerts: false, dns: false }],
      [
        'static',
        {
          caCerts: true,
          tzdata: true,
          tzdataEmbedded: false,
          osUser: true,
          dns: true,
          dnsResolver: 'go',
          pprof: false,
          expvar: false,
          plugin: false,
        },
      ],
      ['cgo-glibc', { caCerts: true, osUser: true, dns: true, dnsResolver: 'both' }],
    ];
    for (const [name, want] of cases) {
      const truth = needsByTools(fixture(name)).needs;
      const r = ok(inspectFile(fixture(name), { today: TODAY }));
      for (const [k, v] of Object.entries(want)) {
        assert.equal(truth[k as keyof Needs], v, `${name}: truth ${k}`);
        assert.equal(r.needs[k as keyof Needs], v, `${name}: inspect ${k}`);
      }
    }
  });

  test('plugin: a cgo program loading a plugin (no fixture does) is seen by the truth and by inspect', (t) => {
    const tools = missingTools(['go', 'gcc']);
    if (tools.length) {
      if (CI) assert.fail(`missing tools in CI: ${tools.join(', ')}`);
      return t.skip(`${tools.join(', ')} missing`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'gokiln-plugin-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module example.com/usesplugin\n\ngo 1.21\n');
      writeFileSync(
        join(dir, 'main.go'),
        'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"plugin"\n)\n\nfunc main() {\n\tif len(os.Args) > 1 {\n' +
          '\t\tp, err := plugin.Open(os.Args[1])\n\t\tif err != nil {\n\t\t\tfmt.Println(err)\n\t\t\treturn\n\t\t}\n' +
          '\t\tfmt.Println(p.Lookup("Version"))\n\t}\n}\n',
      );
      const out = join(dir, 'usesplugin');
      // plugin works only with cgo: without it the package is a stub (plugin_stubs.go) whose Open is
      // inlined away, so nothing of plugin is linked and neither nm nor gokiln can see the import
      execFileSync('go', ['build', '-o', out, '.'], {
        cwd: dir,
        env: { ...process.env, CGO_ENABLED: '1', GOOS: 'linux', GOARCH: 'amd64', GOTOOLCHAIN: 'local', GOFLAGS: '' },
        stdio: 'pipe',
      });
      const truth = needsByTools(out);
      assert.ok(truth.funcCount > 1000, `go tool nm listed ${truth.funcCount} functions`);
      assert.equal(truth.needs.plugin, true);
      const r = ok(inspectFile(out, { today: TODAY }));
      assert.deepEqual(r.needs, truth.needs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("main module version: the build info's own when stamped from VCS, derived from -ldflags -X when (devel)", () => {
    // Go 1.24+ stamps an untagged checkout with a pseudo-version and a tagged one with the tag: nothing to derive
    for (const name of ['vcs', 'vcs-tagged'] as const) {
      const r = ok(inspectFile(fixture(name), { today: TODAY }));
      const truth = goVersionM(fixture(name));
      assert.notEqual(truth?.main?.version, '(devel)');
      assert.equal(r.go?.main?.version, truth?.main?.version);
      assert.equal(r.go?.main?.derivedFrom, 'buildinfo');
      assert.match(r.go?.settings['vcs.revision'] ?? '', /^[0-9a-f]{40}$/);
      assert.equal(r.go?.settings['vcs.revision'], truth?.settings['vcs.revision']);
    }
    const devel = ok(inspectFile(fixture('devel-ldflags'), { today: TODAY }));
    const truth = goVersionM(fixture('devel-ldflags'));
    assert.equal(truth?.main?.version, '(devel)');
    assert.match(truth?.settings['-ldflags'] ?? '', /-X main\.version=1\.2\.3/);
    assert.deepEqual(devel.go?.main, { path: truth?.main?.path, version: '1.2.3', derivedFrom: 'ldflags' });
  });

  test('go.packages: only when asked for, and then every package go tool nm shows a function of', () => {
    for (const name of ['static', 'cgo-glibc', 'pprof', 'sqlite'] as const) {
      const plain = ok(inspectFile(fixture(name), { today: TODAY }));
      assert.equal(plain.go?.packages, undefined, `${name}: no package list by default`);
      const listed = ok(inspectFile(fixture(name), { today: TODAY, packages: true })).go?.packages ?? [];
      // the linker %-escapes dots in a path's last element (entropy/v1%2e0%2e0); the list has the real path.
      // Generic instantiations and cgo's C objects (`net(.text)`) are left out of the naive derivation.
      const byNm = packagesOfNames(goFuncNames(fixture(name)).filter((n) => !n.includes('[') && !n.includes('(.'))).map((p) =>
        decodeURIComponent(p),
      );
      assert.ok(byNm.length > 20, `${name}: go tool nm lists packages`);
      for (const p of byNm) assert.ok(listed.includes(p), `${name}: ${p} from go tool nm is listed`);
      assert.deepEqual(listed, [...listed].sort(), 'sorted');
      // the same needs either way: they come from name searches, not from the list
      assert.deepEqual(ok(inspectFile(fixture(name), { today: TODAY, packages: true })).needs, plain.needs);
    }
  });

  test('stripped and unstripped twins: stripped flag matches the presence of .symtab', () => {
    for (const name of ['static', 'static-stripped', 'buf', 'cgo-glibc'] as const) {
      const r = ok(inspectFile(fixture(name), { today: TODAY }));
      const hasSymtab = / \.symtab /.test(readelfText(fixture(name), ['-S', '-W']));
      assert.equal(r.stripped, !hasSymtab, name);
    }
  });

  test('a universal Mach-O reports every slice', () => {
    const r = ok(inspectFile(fixture('darwin-universal'), { today: TODAY }));
    assert.deepEqual(
      r.slices?.map((s) => `${s.os}/${s.arch}`),
      ['darwin/amd64', 'darwin/arm64'],
    );
    assert.ok(r.runtimes.every((v) => v.verdict === 'fails' && v.reason === 'wrong-os'));
  });

  test('Mach-O file types: executable, dylib and bundle (shared libraries), object, as `file` names them', (t) => {
    if (missing.includes('file')) return t.skip('file not installed');
    const dir = mkdtempSync(join(tmpdir(), 'gokiln-macho-kind-'));
    try {
      const bytes = readFileSync(fixture('darwin-arm64'));
      // mach_header_64.filetype @12 (mach-o/loader.h): MH_OBJECT 1, MH_EXECUTE 2, MH_DYLIB 6, MH_BUNDLE 8
      for (const [type, kind] of [
        [2, 'executable'],
        [6, 'shared-library'],
        [8, 'shared-library'],
        [1, 'object'],
      ] as const) {
        const copy = Buffer.from(bytes);
        copy.writeUInt32LE(type, 12);
        const path = join(dir, `filetype-${type}`);
        writeFileSync(path, copy);
        const words = execFileSync('file', ['-b', path], { encoding: 'utf8' });
        const byFile = /\bexecutable\b/.test(words)
          ? 'executable'
          : /shared library|\bbundle\b/.test(words)
            ? 'shared-library'
            : /\bobject\b/.test(words)
              ? 'object'
              : 'other';
        assert.equal(byFile, kind, words);
        assert.equal(ok(inspectFile(path, { today: TODAY })).kind, kind, `filetype ${type}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad inputs become typed errors and never throw', () => {
    for (const name of fixturesOfKind('bad')) {
      const recipe = FIXTURES[name];
      if (recipe.kind !== 'bad' || name === 'noperm' || name === 'ls') continue;
      const r = inspectFile(fixture(name));
      if (!('error' in r)) assert.fail(`${name} should be an error`);
      assert.equal(r.error.code, recipe.expectedErrorCode, `${name}: ${r.error.message}`);
      assert.ok(r.error.message.includes(fixture(name)), 'the message names the file');
    }
    const missing = inspectFile('/nonexistent/gokiln-test');
    assert.equal('error' in missing ? missing.error.code : null, 'E_NOT_FOUND');
  });

  test('a binary built by a Go release past its support gets the go-unsupported note; supported ones do not', () => {
    const today = new Date('2026-11-26T12:00:00Z');
    const noteOf = (name: FixtureName) => {
      const r = inspectFile(fixture(name), { today });
      assert.ok(!('error' in r), name);
      return (r as InspectOk).notes.filter((n) => n.code === 'go-unsupported');
    };
    // go version -m says which Go built it; esbuild's npm build of 1.15 has no build info, the runtime string says it
    const old = noteOf('esbuild-go115');
    assert.equal(old.length, 1);
    assert.match(
      old[0]!.message,
      /^built with go1\.15\.\d+: Go 1\.15 is out of support since 2021-08-16 .*rebuild with Go 1\.26 or 1\.27$/,
    );
    for (const name of ['static', 'cgo-glibc', 'buf'] as const) {
      const version = (inspectFile(fixture(name), { today }) as InspectOk).go?.version;
      assert.match(version ?? '', /^go1\.2[67]\./, name);
      assert.deepEqual(noteOf(name), [], name);
    }
  });

  test('a non-Go ELF is inspected, with go: null', () => {
    const r = ok(inspectFile(fixture('ls'), { today: TODAY }));
    assert.equal(r.go, null);
    assert.deepEqual(r.needed, formatFactsByTools(fixture('ls')).needed);
  });
});
