import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { readGoFile } from '../../src/gosrc/file.js';
import { scanProject } from '../../src/project/scan.js';
import { parseModulesTxt } from '../../src/project/vendor.js';
import { EXAMPLES, exampleDir, goListCgo, goListMains, needTool, run } from './helpers.js';

describe('readGoFile', () => {
  test('imports (single, grouped, aliased, blank, dot), cgo directives, LoadLocation outside comments', () => {
    const f = readGoFile(
      'x/x.go',
      `//go:build linux

// Package x calls time.LoadLocation( in a comment only here.
package x

/*
#cgo pkg-config: libpng zlib
#cgo linux LDFLAGS: -L/opt/lib -lsqlite3 -lm
#include <png.h>
*/
import "C"

import (
	"fmt"
	str "strings"
	_ "time/tzdata"
	. "os"
)
import "embed"

//go:embed static
var fs embed.FS

func f() { loc, _ := time.LoadLocation("Europe/Berlin"); _ = loc; s := "time.LoadLocation("; _ = s }
`,
    );
    assert.equal(f.packageName, 'x');
    assert.deepEqual(f.imports, ['fmt', 'strings', 'time/tzdata', 'os', 'embed']);
    assert.equal(f.cgo, true);
    assert.deepEqual(f.cgoDirectives, [
      { cond: '', kind: 'pkg-config', args: ['libpng', 'zlib'] },
      { cond: 'linux', kind: 'LDFLAGS', args: ['-L/opt/lib', '-lsqlite3', '-lm'] },
    ]);
    assert.deepEqual(f.loadLocation, { arg: '"Europe/Berlin"', literal: true });
    assert.deepEqual(f.embedPatterns, ['static']);
    assert.equal(f.constraint, 'linux');
  });
  test('LoadLocation only in a comment or a string is not a call', () => {
    const f = readGoFile(
      'y.go',
      'package y\n// time.LoadLocation("x")\nvar s = "time.LoadLocation(\\"x\\")"\nvar r = `time.LoadLocation(`\n',
    );
    assert.equal(f.loadLocation, undefined);
  });
  test('#cgo text without import "C" is not a directive', () => {
    const f = readGoFile('z.go', 'package z\n// #cgo LDFLAGS: -lfoo\nimport "fmt"\n');
    assert.deepEqual(f.cgoDirectives, []);
    assert.equal(f.cgo, false);
  });
});

describe('scanProject on the examples', () => {
  const haveGo = Boolean(needTool('go'));
  for (const ex of EXAMPLES.filter((e) => e !== 'needs-newer-go')) {
    test(
      `${ex}: go list and the source scan agree with the go command on main and cgo packages`,
      { skip: haveGo ? false : 'go not installed' },
      () => {
        const dir = exampleDir(ex);
        const viaGo = scanProject(dir);
        const viaSrc = scanProject(dir, { go: null });
        assert.equal(viaGo.method, 'go-list');
        assert.equal(viaSrc.method, 'source-scan');
        const mains = goListMains(dir);
        assert.deepEqual(viaGo.mainPackages.map((m) => m.importPath).sort(), mains);
        assert.deepEqual(viaSrc.mainPackages.map((m) => m.importPath).sort(), mains);
        const cgo = goListCgo(dir);
        assert.deepEqual([...viaGo.cgo.own.map((o) => o.pkg), ...viaGo.cgo.deps.map((d) => d.pkg)].sort(), cgo);
        // without go and without vendor/, a cgo dependency is invisible to the source scan; the plan names it by module
        assert.deepEqual(viaSrc.cgo.own.map((o) => o.pkg).sort(), viaGo.cgo.own.map((o) => o.pkg).sort());
        const ownLibs = viaGo.cLibraries.filter((l) => l.packages.every((p) => viaGo.ownPackages.includes(p)));
        assert.deepEqual(
          viaSrc.unresolvedImports.length
            ? viaSrc.cLibraries
            : viaSrc.cLibraries.filter((l) => l.packages.every((p) => viaSrc.ownPackages.includes(p))),
          ownLibs,
        );
        assert.deepEqual(viaSrc.loadLocation, viaGo.loadLocation);
      },
    );
  }
  test(
    'needs-newer-go: go list refuses under GOTOOLCHAIN=local, the scan falls back to sources and says why',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const s = scanProject(exampleDir('needs-newer-go'), { env: { ...process.env, GOTOOLCHAIN: 'local' } });
      assert.equal(s.method, 'source-scan');
      assert.match(s.methodNote ?? '', /go\.mod requires go >= 1\.27\.0/);
      assert.deepEqual(
        s.mainPackages.map((m) => m.importPath),
        ['example.com/needs-newer-go'],
      );
    },
  );
  test(
    'hello-service: TLS, DNS and LoadLocation are found; stdlib graph matches go list -deps',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const s = scanProject(exampleDir('hello-service'));
      for (const p of ['crypto/tls', 'net', 'net/http', 'time']) assert.ok(s.stdPackages.includes(p), p);
      assert.ok(!s.stdPackages.includes('time/tzdata'));
      assert.deepEqual(s.loadLocation, ['main.go']);
      const r = run('go', ['list', '-deps', '-f', '{{if .Standard}}{{.ImportPath}}{{end}}', './...'], {
        cwd: exampleDir('hello-service'),
        env: { ...process.env, CGO_ENABLED: '1' },
      });
      assert.deepEqual(s.stdPackages, r.stdout.split('\n').filter(Boolean).sort());
    },
  );
  test('png-cgo: #cgo pkg-config: libpng, and pkg-config itself knows libpng', { skip: haveGo ? false : 'go not installed' }, () => {
    const s = scanProject(exampleDir('png-cgo'));
    assert.deepEqual(s.cLibraries, [{ name: 'libpng', via: 'pkg-config', packages: ['example.com/png-cgo'] }]);
    assert.match(readFileSync(exampleDir('png-cgo') + '/main.go', 'utf8'), /#cgo pkg-config: libpng/);
    if (needTool('pkg-config')) assert.equal(run('pkg-config', ['--exists', 'libpng']).status, 0);
  });
});

test('readGoFile and parseModulesTxt never throw on arbitrary text (fast-check)', async () => {
  const fc = (await import('fast-check')).default;
  const pieces = [
    'package',
    'import',
    '(',
    ')',
    '"C"',
    '"fmt"',
    '/*',
    '*/',
    '//',
    '`',
    '"',
    "'",
    '#cgo',
    'LDFLAGS:',
    '-lz',
    'pkg-config:',
    'time.LoadLocation(',
    '\n',
    '# ',
    '## explicit',
    'v1.0.0',
    '=>',
  ];
  const arb = fc.oneof(
    fc.string(),
    fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((a) => a.join(' ')),
  );
  fc.assert(
    fc.property(arb, (text) => {
      const f = readGoFile('f.go', text);
      assert.equal(typeof f.cgo, 'boolean');
      assert.ok(Array.isArray(parseModulesTxt(text)));
    }),
    { numRuns: 3000 },
  );
});
