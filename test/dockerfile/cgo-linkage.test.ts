// GK006 against the real toolchain: `CGO_ENABLED=1 go build` gives a dynamic binary (PT_INTERP, which a
// libc-less image cannot load) only when a package of the program uses cgo. Each case is a module in a
// temporary directory, built for real and read with readelf; lint, given the same directory as its build
// context, must report GK006 exactly when the binary names a loader. The table of standard packages that
// use cgo (std-cgo.ts) is checked against `go list` of the local toolchain.
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { STD_CGO } from '../../src/dockerfile/std-cgo.js';
import { goImports } from '../../src/dockerfile/sources.js';
import { haveTool } from '../truth/tools.js';

const GO_ENV = { ...process.env, CGO_ENABLED: '1', GOOS: 'linux', GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '', GOWORK: 'off' };

interface Case {
  name: string;
  files: Record<string, string>;
  /** `go build` flags, in the Dockerfile's RUN and in the real build */
  flags?: string[];
  /** run `go mod vendor` before building (the dependencies are local replacements, so no network) */
  vendor?: boolean;
  /** what the rule's message must name as the evidence */
  why?: RegExp;
}

const MOD = 'module example.com/app\n\ngo 1.26\n';
const main = (imports: string[], body: string) => `package main\n\nimport (\n${imports.map((i) => `\t${i}\n`).join('')})\n\nfunc main() {\n${body}\n}\n`;

const CASES: Case[] = [
  { name: 'fmt only: static although cgo is on', files: { 'go.mod': MOD, 'main.go': main(['"fmt"'], '\tfmt.Println("ok")') } },
  {
    name: 'fmt, strings, encoding/json, os, time: static',
    files: { 'go.mod': MOD, 'main.go': main(['"encoding/json"', '"fmt"', '"os"', '"strings"', '"time"'], '\tb, _ := json.Marshal(strings.ToUpper(os.Args[0]))\n\tfmt.Println(string(b), time.Now().Unix())') },
  },
  { name: 'net/http: dynamic (net uses cgo)', files: { 'go.mod': MOD, 'main.go': main(['"net/http"'], '\t_, _ = http.Get("http://127.0.0.1:1")') }, why: /main\.go imports net\/http, which uses cgo through net/ },
  { name: 'net/http with -tags netgo: static', files: { 'go.mod': MOD, 'main.go': main(['"net/http"'], '\t_, _ = http.Get("http://127.0.0.1:1")') }, flags: ['-tags', 'netgo'] },
  { name: 'os/user: dynamic', files: { 'go.mod': MOD, 'main.go': main(['"fmt"', '"os/user"'], '\tu, _ := user.Current()\n\tfmt.Println(u)') }, why: /imports os\/user, which uses cgo/ },
  { name: 'os/user with -tags osusergo: static', files: { 'go.mod': MOD, 'main.go': main(['"fmt"', '"os/user"'], '\tu, _ := user.Current()\n\tfmt.Println(u)') }, flags: ['-tags=osusergo'] },
  { name: 'archive/tar: dynamic (it imports os/user)', files: { 'go.mod': MOD, 'main.go': main(['"archive/tar"', '"os"'], '\t_ = tar.NewWriter(os.Stdout)') }, why: /archive\/tar, which uses cgo through os\/user/ },
  { name: 'crypto/tls: dynamic (it imports net)', files: { 'go.mod': MOD, 'main.go': main(['"crypto/tls"', '"fmt"'], '\tfmt.Println(tls.VersionTLS13)') } },
  {
    name: 'import "C" in a package of the module: dynamic',
    files: {
      'go.mod': MOD,
      'main.go': main(['"fmt"', '"example.com/app/internal/native"'], '\tfmt.Println(native.Answer())'),
      'internal/native/native.go': 'package native\n\n/*\nstatic int answer(void) { return 42; }\n*/\nimport "C"\n\nfunc Answer() int { return int(C.answer()) }\n',
    },
    why: /internal\/native\/native\.go has import "C"/,
  },
  {
    name: 'a generator with //go:build ignore that imports net/http is not part of the build: static',
    files: { 'go.mod': MOD, 'main.go': main(['"fmt"'], '\tfmt.Println("ok")'), 'gen.go': '//go:build ignore\n\npackage main\n\nimport "net/http"\n\nfunc main() { http.Get("http://x") }\n' },
  },
  {
    name: 'a vendored pure-Go dependency: static',
    vendor: true,
    files: {
      'go.mod': MOD + '\nrequire example.org/dep v0.0.0\n\nreplace example.org/dep => ./third_party/dep\n',
      'main.go': main(['"fmt"', '"example.org/dep"'], '\tfmt.Println(dep.Shout("ok"))'),
      'third_party/dep/go.mod': 'module example.org/dep\n\ngo 1.26\n',
      'third_party/dep/dep.go': 'package dep\n\nimport "strings"\n\nfunc Shout(s string) string { return strings.ToUpper(s) }\n',
    },
  },
  {
    name: 'a vendored dependency that imports net: dynamic',
    vendor: true,
    files: {
      'go.mod': MOD + '\nrequire example.org/dep v0.0.0\n\nreplace example.org/dep => ./third_party/dep\n',
      'main.go': main(['"fmt"', '"example.org/dep"'], '\tfmt.Println(dep.Lookup("localhost"))'),
      'third_party/dep/go.mod': 'module example.org/dep\n\ngo 1.26\n',
      'third_party/dep/dep.go': 'package dep\n\nimport "example.org/dep/inner"\n\nfunc Lookup(h string) error { return inner.Lookup(h) }\n',
      'third_party/dep/inner/inner.go': 'package inner\n\nimport "net"\n\nfunc Lookup(h string) error { _, err := net.LookupHost(h); return err }\n',
    },
    why: /vendor\/example\.org\/dep\/inner imports net, which uses cgo/,
  },
];

function dockerfile(flags: string[]): string {
  const f = flags.map((x) => (/\s/.test(x) ? `'${x}'` : x)).join(' ');
  return `FROM golang:1.26 AS b\nWORKDIR /src\nCOPY . .\nRUN go build ${f ? f + ' ' : ''}-o /app .\nFROM scratch\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]\n`;
}

describe('GK006 against real CGO_ENABLED=1 builds (readelf: PT_INTERP or not)', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'gk-cgo-linkage-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const [i, c] of CASES.entries()) {
    test(c.name, (t) => {
      if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'readelf') || !haveTool(t, 'gcc')) return;
      const dir = join(root, String(i));
      for (const [p, text] of Object.entries(c.files)) {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      if (c.vendor) {
        const v = spawnSync('go', ['mod', 'vendor'], { cwd: dir, env: GO_ENV, encoding: 'utf8' });
        assert.equal(v.status, 0, v.stderr);
      }
      const out = join(root, `${i}.bin`);
      const b = spawnSync('go', ['build', ...(c.flags ?? []), '-o', out, '.'], { cwd: dir, env: GO_ENV, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
      const r = spawnSync('readelf', ['-lW', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const dynamic = /^\s+INTERP\s/m.test(r.stdout);

      const { context, notes } = loadBuildContext(dir);
      assert.deepEqual(notes, []);
      const findings = lintDockerfile(dockerfile(c.flags ?? []), { file: 'Dockerfile', context, today: '2026-11-26' });
      const gk006 = findings.filter((f) => f.rule === 'GK006' && f.severity === 'error');
      assert.equal(gk006.length > 0, dynamic, `readelf: ${dynamic ? 'PT_INTERP' : 'static'}; GK006: ${JSON.stringify(gk006.map((f) => f.message))}`);
      if (dynamic) {
        assert.match(gk006[0]!.message, /^cgo binary \(/);
        if (c.why) assert.match(gk006[0]!.message, c.why);
      }
    });
  }

  test('without Go sources the finding stays, and says it is conditional', () => {
    const f = lintDockerfile(dockerfile([]), { file: 'Dockerfile', today: '2026-11-26' }).filter((x) => x.rule === 'GK006');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.match(f[0]!.message, /if any package of the program uses cgo .* gokiln read no Go sources in the build context to tell$/);
  });

  test('an import gokiln cannot read (a dependency not vendored) keeps the finding, conditional, naming it', () => {
    const dir = join(root, 'unvendored');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'go.mod'), MOD + '\nrequire github.com/some/dep v1.0.0\n');
    writeFileSync(join(dir, 'main.go'), main(['"github.com/some/dep"'], '\tdep.Run()'));
    const { context } = loadBuildContext(dir);
    const f = lintDockerfile(dockerfile([]), { file: 'Dockerfile', context, today: '2026-11-26' }).filter((x) => x.rule === 'GK006');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /if any package .* main\.go imports github\.com\/some\/dep, whose sources are not in the build context/);
  });
});

describe('the table of standard packages that use cgo', () => {
  test('matches go list of the local toolchain (CGO_ENABLED=1, linux), with and without netgo/osusergo', (t) => {
    if (!haveTool(t, 'go', ['version'])) return;
    const importable = (p: string) => !/(^|\/)internal(\/|$)|^vendor\/|^cmd\//.test(p);
    for (const tags of ['', 'netgo', 'osusergo', 'netgo,osusergo']) {
      const r = spawnSync('go', ['list', '-tags', tags, '-f', '{{.ImportPath}} {{join .Deps " "}}', 'std'], { env: GO_ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, r.stderr);
      const want: string[] = [];
      for (const line of r.stdout.trim().split('\n')) {
        const [pkg, ...deps] = line.split(' ');
        if (importable(pkg!) && (pkg === 'runtime/cgo' || deps.includes('runtime/cgo'))) want.push(pkg!);
      }
      const off = new Set(tags.split(',').filter(Boolean));
      const pure: Record<string, string> = { net: 'netgo', 'os/user': 'osusergo' };
      const got = Object.entries(STD_CGO)
        .filter(([, roots]) => roots.some((root) => !(pure[root] && off.has(pure[root]!))))
        .map(([p]) => p);
      assert.deepEqual(got.sort(), want.sort(), `tags ${JSON.stringify(tags)}`);
    }
  });
});

describe('import declarations', () => {
  test('read as the compiler reads them: comments, groups, names, raw strings; stop at the first other declaration', () => {
    const src = [
      '// Copyright',
      '//go:build linux',
      '',
      '/* a block comment with import "os/user" in it */',
      'package main // the main package',
      '',
      'import "fmt"',
      'import (',
      '\tstdnet "net" // renamed',
      '\t. "strings"',
      '\t_ "embed"',
      '\t`os`',
      '',
      '\t/*',
      '#include <stdio.h>',
      '*/',
      '\t"C"',
      ')',
      '',
      'var s = "import \\"os/user\\""',
      'import "plugin"',
    ].join('\n');
    assert.deepEqual(goImports(src), ['fmt', 'net', 'strings', 'embed', 'os', 'C']);
    assert.deepEqual(goImports('package x; import ("a"; "b")'), ['a', 'b']);
    assert.deepEqual(goImports('package x\nfunc f() {}\nimport "net"'), []);
  });
});
