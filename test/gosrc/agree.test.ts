/**
 * The source reader must agree with `go list` wherever the sources are on disk: on every fixture module
 * (the examples, test/go's programs, a module of build-constrained files, and issue #15's three real
 * projects), for several targets, package by package: which files are compiled, which have import "C",
 * what they import, which packages are commands, and what cgo each command links.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { readModuleSources } from '../../src/gosrc/sources.js';
import { graphFromSources, closure, cgoUse, type PackageGraph } from '../../src/gosrc/graph.js';
import { graphFromGoList } from '../../src/gosrc/golist.js';
import { linuxTarget, type Target } from '../../src/gosrc/target.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { readFileSync } from 'node:fs';
import { needTool } from '../project/helpers.js';
import { REAL_PROJECTS, projectGoEnv, realProjectDir } from './projects.js';

/** Both graphs of a module for a target. */
function both(
  dir: string,
  t: Target,
  env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local' },
): { src: PackageGraph; list: PackageGraph } {
  const mod = parseGoMod(readFileSync(join(dir, 'go.mod'), 'utf8'), 'go.mod');
  const sources = readModuleSources(dir, { modulePath: mod.module ?? undefined });
  const r = graphFromGoList(dir, t, sources, { go: 'go', env });
  assert.ok('graph' in r, 'error' in r ? r.error : '');
  return {
    src: graphFromSources(
      sources,
      t,
      mod.require.map((x) => x.path),
      'test',
    ),
    list: r.graph,
  };
}

/** Checks every package the source reader could read against go list's, and each command's cgo. */
function assertAgree(g: { src: PackageGraph; list: PackageGraph }, label: string): number {
  const { src, list } = g;
  assert.deepEqual(
    src.mains.map((m) => m.importPath),
    list.mains.map((m) => m.importPath),
    `${label}: commands`,
  );
  let compared = 0;
  for (const lp of list.packages.values()) {
    if (lp.standard) continue;
    const sp = src.packages.get(lp.importPath);
    if (!sp) {
      // imported only by dependencies the reader could not open (not vendored): never by what is on disk
      assert.ok(!lp.main && !(lp.dir ?? '').startsWith('vendor/'), `${label}: ${lp.importPath} is in go list's graph, not the reader's`);
      continue;
    }
    if (sp.unresolved) {
      assert.ok(!sp.main && !(sp.dir ?? '').startsWith('vendor/'), `${label}: ${lp.importPath} was on disk but not read`);
      continue;
    }
    const pick = (p: typeof lp) => ({ name: p.name, goFiles: p.goFiles, cgoFiles: p.cgoFiles, imports: p.imports });
    assert.deepEqual(pick(sp), pick(lp), `${label}: ${lp.importPath}`);
    compared++;
  }
  for (const sp of src.packages.values())
    if (!sp.standard && !sp.unresolved)
      assert.ok(list.packages.has(sp.importPath), `${label}: the reader has ${sp.importPath}, go list does not`);
  for (const m of list.mains) {
    const fromList = cgoUse(closure(list, m.importPath));
    const fromSrc = cgoUse(closure(src, m.importPath));
    const readable = new Set([...src.packages.values()].filter((p) => !p.unresolved).map((p) => p.importPath));
    // a dependency outside the module and vendor/ is not on disk for the reader: compared where it was read
    assert.deepEqual(fromSrc.own, fromList.own, `${label}: ${m.importPath} own cgo`);
    assert.deepEqual(
      fromSrc.deps,
      fromList.deps.filter((d) => readable.has(d.pkg)),
      `${label}: ${m.importPath} cgo dependencies`,
    );
  }
  return compared;
}

const GO = needTool('go');
const skip = GO ? false : 'go not installed';

describe('the source reader agrees with go list', () => {
  const fixtures = [
    ...readdirSync('examples')
      .filter((e) => e !== 'needs-newer-go' && existsSync(join('examples', e, 'go.mod')))
      .map((e) => resolve('examples', e)),
    ...readdirSync('test/go').map((e) => resolve('test/go', e)),
  ];
  for (const dir of fixtures) {
    test(`${dir.split('/').slice(-2).join('/')}: linux with cgo on, and with cgo off`, { skip }, () => {
      assert.ok(assertAgree(both(dir, linuxTarget()), 'cgo on') > 0);
      assertAgree(both(dir, { ...linuxTarget(), cgo: false }), 'cgo off');
    });
  }

  test(
    'build-constrained files: os_darwin.go with import "C" is no cgo for linux; tags, +build lines, GOARCH and cgo files per target',
    { skip },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'gokiln-constrained-'));
      try {
        const w = (p: string, text: string) => {
          mkdirSync(join(dir, p, '..'), { recursive: true });
          writeFileSync(join(dir, p), text);
        };
        w('go.mod', 'module example.com/c\n\ngo 1.22\n');
        w('main.go', 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(version()) }\n');
        w('os_darwin.go', 'package main\n\n// #include <stdlib.h>\nimport "C"\n\nfunc version() string { return "darwin" }\n');
        w('os_linux.go', 'package main\n\nfunc version() string { return "linux" }\n');
        w('os_windows.go', 'package main\n\nimport "os/user"\n\nfunc version() string { _, _ = user.Current(); return "windows" }\n');
        w('cmd/tagged/main.go', '//go:build extra\n\npackage main\n\nimport "net"\n\nfunc main() { _ = net.IPv4len }\n');
        w('cmd/tagged/plain.go', '//go:build !extra\n\npackage main\n\nfunc main() {}\n');
        w('cmd/cg/main.go', 'package main\n\nimport "example.com/c/internal/sys"\n\nfunc main() { sys.Do() }\n');
        w(
          'internal/sys/sys_cgo.go',
          '//go:build linux && cgo\n\npackage sys\n\n/*\n#cgo linux LDFLAGS: -lm\n#cgo darwin LDFLAGS: -framework CoreFoundation\n#include <math.h>\n*/\nimport "C"\n\nfunc Do() { _ = C.sqrt(2) }\n',
        );
        w('internal/sys/sys_nocgo.go', '//go:build !cgo || !linux\n\npackage sys\n\nfunc Do() {}\n');
        w('internal/sys/old_arm64.go', '// +build linux,arm64\n\npackage sys\n\nimport "os/user"\n\nvar _ = user.Current\n');
        w('internal/sys/old.go', '// +build ignore\n\npackage sys\n\nimport "plugin"\n');
        w('internal/sys/zz_amd64.go', 'package sys\n\nimport "strings"\n\nvar _ = strings.ToUpper\n');
        w('testdata/x/x.go', 'package x\n\nimport "C"\n');
        w('_skip/y.go', 'package y\n\nimport "C"\n');
        const targets: Array<[string, Target]> = [
          ['linux/amd64 cgo', { goos: 'linux', goarch: 'amd64', tags: [], cgo: true }],
          ['linux/arm64 cgo', { goos: 'linux', goarch: 'arm64', tags: [], cgo: true }],
          ['linux/amd64 no cgo', { goos: 'linux', goarch: 'amd64', tags: [], cgo: false }],
          ['linux/amd64 -tags extra', { goos: 'linux', goarch: 'amd64', tags: ['extra'], cgo: true }],
          ['darwin/arm64 cgo', { goos: 'darwin', goarch: 'arm64', tags: [], cgo: true }],
          ['windows/amd64', { goos: 'windows', goarch: 'amd64', tags: [], cgo: false }],
        ];
        for (const [label, t] of targets) assertAgree(both(dir, t), label);
        // the answer issue #11 asked for: for linux, the root command links no cgo; for darwin it does
        const linux = both(dir, targets[0]![1]);
        assert.deepEqual(cgoUse(closure(linux.src, 'example.com/c')), { own: [], deps: [] });
        assert.deepEqual(cgoUse(closure(linux.src, 'example.com/c/cmd/cg')).own, [
          { pkg: 'example.com/c/internal/sys', files: ['sys_cgo.go'] },
        ]);
        assert.deepEqual(linux.src.packages.get('example.com/c/internal/sys')!.ldLibs, ['m']);
        const darwin = both(dir, targets[4]![1]);
        assert.deepEqual(cgoUse(closure(darwin.src, 'example.com/c')).own, [{ pkg: 'example.com/c', files: ['os_darwin.go'] }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  for (const p of REAL_PROJECTS) {
    test(`${p.module}@${p.version}: every package on disk, every command's cgo`, { skip, timeout: 1_500_000 }, () => {
      const dir = realProjectDir(p);
      const n = assertAgree(both(dir, linuxTarget(), projectGoEnv()), p.name);
      assert.ok(n >= 3, `${p.name}: only ${n} packages compared`);
    });
  }
});
