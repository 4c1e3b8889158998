/**
 * The Go-source model's pieces, one-line cases: file names and build constraints per target, what a file
 * says (string variables for -X, listen addresses, health paths), and issue #11's disagreement settled:
 * a module whose only `import "C"` is in os_darwin.go is "no cgo" for linux in plan --no-go, plan (go
 * list) and lint alike.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { evalConstraint, fileNameMatch, headerConstraint, linuxTarget, type Target } from '../../src/gosrc/target.js';
import { readGoFile } from '../../src/gosrc/file.js';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { cgoLinkage } from '../../src/dockerfile/cgo-linkage.js';
import { TODAY, needTool } from '../project/helpers.js';

const amd64: Target = { goos: 'linux', goarch: 'amd64', tags: [], cgo: true };

describe('targets', () => {
  test('file names: GOOS, GOARCH, GOOS_GOARCH, tests and _/. files', () => {
    const cases: Array<[string, boolean | undefined]> = [
      ['main.go', true],
      ['x_test.go', false],
      ['_x.go', false],
      ['.x.go', false],
      ['os_linux.go', true],
      ['os_darwin.go', false],
      ['x_amd64.go', true],
      ['x_arm64.go', false],
      ['x_linux_amd64.go', true],
      ['x_linux_arm64.go', false],
      ['x_windows_amd64.go', false],
      ['linux.go', true],
      ['amd64.go', true],
      ['x_unknown.go', true],
    ];
    for (const [n, want] of cases) assert.equal(fileNameMatch(n, amd64), want, n);
    assert.equal(fileNameMatch('x_arm64.go', linuxTarget(null)), undefined);
    assert.equal(fileNameMatch('x_linux.go', { ...amd64, goos: 'android' }), true);
  });
  test('constraints: tags, cgo, unix, release tags, unknown GOARCH', () => {
    const cases: Array<[string, Target, boolean | undefined]> = [
      ['linux && cgo', amd64, true],
      ['linux && cgo', { ...amd64, cgo: false }, false],
      ['!cgo', amd64, false],
      ['unix', amd64, true],
      ['darwin || windows', amd64, false],
      ['integration', amd64, false],
      ['integration', { ...amd64, tags: ['integration'] }, true],
      ['go1.21 && (amd64 || arm64)', linuxTarget(null), undefined],
      ['go1.21 && (amd64 || arm64)', amd64, true],
      ['linux &&', amd64, undefined],
      ['ignore', amd64, false],
    ];
    for (const [e, t, want] of cases) assert.equal(evalConstraint(e, t), want, `${e} for ${JSON.stringify(t)}`);
  });
  test('// +build lines become one expression: lines AND, spaces OR, commas AND', () => {
    assert.equal(
      headerConstraint('// +build linux,386 darwin,!cgo\n// +build go1.5\n'),
      '((linux && 386) || (darwin && !cgo)) && ((go1.5))',
    );
    assert.equal(headerConstraint('//go:build linux\n// +build linux\n'), 'linux');
    assert.equal(headerConstraint('// Package x\n'), undefined);
  });
});

describe('what a file says', () => {
  test('string variables a linker -X can set, top level only', () => {
    const f = readGoFile(
      'v.go',
      'package main\n\nvar Version = "dev"\nvar n int\nvar (\n\tversion   = "x"\n\tcommit    string\n\tcount     = 3\n)\n\nfunc f() {\n\tvar local = "no"\n\t_ = local\n}\n',
    );
    assert.deepEqual(f.stringVars, ['Version', 'commit', 'version']);
  });
  test('listen addresses (calls, flag defaults, address variables) and health paths; not a client default or a comment', () => {
    const f = readGoFile(
      'm.go',
      [
        'package main',
        'func main() {',
        '\taddr := flag.String("listen", ":9090", "where")',
        '\tkingpinflag.AddFlags(kingpin.CommandLine, ":9100")',
        '\thttp.HandleFunc("/healthz", ok)',
        '\t_, port, _ := net.SplitHostPort(u.Host + ":8888")',
        '\t// http.ListenAndServe(":7070", nil)',
        '\tlog.Fatal(http.ListenAndServe("127.0.0.1:6060", nil))',
        '\tlog.Fatal(http.ListenAndServe(":8080", nil))',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(
      f.listens.map((l) => [l.port, l.line, l.kind]),
      [
        [9090, 3, 'default'],
        [9100, 4, 'default'],
        [8080, 9, 'listen'],
      ],
    );
    assert.deepEqual(f.healthPaths, [{ path: '/healthz', line: 5 }]);
  });
});

describe('issue #11: one answer for a build-constrained cgo file', () => {
  test(
    'only os_darwin.go has import "C": no cgo for linux in plan --no-go, plan (go list) and lint',
    { skip: needTool('go') ? false : 'go not installed' },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'gokiln-darwin-cgo-'));
      try {
        writeFileSync(join(dir, 'go.mod'), 'module example.com/dc\n\ngo 1.22\n');
        writeFileSync(join(dir, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(osName()) }\n');
        writeFileSync(
          join(dir, 'os_darwin.go'),
          'package main\n\n// #include <stdlib.h>\nimport "C"\n\nfunc osName() string { return "darwin" }\n',
        );
        writeFileSync(join(dir, 'os_other.go'), '//go:build !darwin\n\npackage main\n\nfunc osName() string { return "other" }\n');
        const noGo = buildPlan(scanProject(dir, { go: null }), { today: TODAY });
        const goList = buildPlan(scanProject(dir, { env: { ...process.env, GOTOOLCHAIN: 'local' } }), { today: TODAY });
        assert.equal(noGo.scan.method, 'source-scan');
        assert.equal(goList.scan.method, 'go-list');
        for (const p of [noGo, goList]) {
          assert.equal(p.cgo.required, false);
          assert.deepEqual(
            p.binaries.map((b) => b.cgo.required),
            [false],
          );
        }
        // lint: a cgo build of it links nothing dynamic, so distroless/static is right (no GK006)
        const ctx = loadBuildContext(dir).context;
        const link = cgoLinkage(ctx, { flags: new Map(), env: { CGO_ENABLED: '1' }, sub: 'build', packages: ['.'] });
        assert.equal(link.links, false, link.why);
        const df =
          'FROM golang:1.26-trixie AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=1 go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n';
        assert.deepEqual(
          lintDockerfile(df, { file: 'Dockerfile', context: ctx, today: TODAY }).filter((f) => f.rule === 'GK006'),
          [],
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
