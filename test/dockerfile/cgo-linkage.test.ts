// GK006 against the real toolchain: `CGO_ENABLED=1 go build` gives a dynamic binary (PT_INTERP, which a
// libc-less image cannot load) only when a package of the program uses cgo. Each case is a module in a
// temporary directory, built for real and read with readelf; lint, given the same directory as its build
// context, must report GK006 exactly when the binary names a loader. The table of standard packages that
// use cgo (std-cgo.ts) is checked against `go list` of the local toolchain.
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { STD_CGO } from '../../src/dockerfile/std-cgo.js';
import { goImports, scanGoSources } from '../../src/dockerfile/sources.js';
import { buildTargets, cgoLinkage, evalConstraint } from '../../src/dockerfile/cgo-linkage.js';
import { parseGoMod } from '../../src/project/gomod.js';
import type { BuildContext } from '../../src/dockerfile/model.js';
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
  /** what the message must not name: a package of the module the build does not reach */
  notWhy?: RegExp;
  /** the package argument, in the Dockerfile and in the real build (default `.`) */
  pkg?: string;
  /** `go install` (into /go/bin, copied from there) instead of `go build -o` */
  install?: boolean;
  /** variables set on the go command, in the RUN line and in the real build */
  env?: Record<string, string>;
  /** a WORKDIR below the copied context (relative to it) the build runs in, in the Dockerfile and for real */
  workdir?: string;
}

const MOD = 'module example.com/app\n\ngo 1.26\n';
const main = (imports: string[], body: string) =>
  `package main\n\nimport (\n${imports.map((i) => `\t${i}\n`).join('')})\n\nfunc main() {\n${body}\n}\n`;

/** cmd/api serves HTTP (net/http: cgo through net), cmd/tool prints (fmt only) */
const TWO_CMDS: Record<string, string> = {
  'go.mod': MOD,
  'cmd/api/main.go': main(['"net/http"'], '\t_ = http.ListenAndServe(":8080", nil)'),
  'cmd/tool/main.go': main(['"fmt"'], '\tfmt.Println("tool")'),
};

/** as TWO_CMDS, but the tool reaches os/user through a package of the module */
const TOOL_USERS: Record<string, string> = {
  ...TWO_CMDS,
  'cmd/tool/main.go': main(['"fmt"', '"example.com/app/internal/users"'], '\tfmt.Println(users.Name())'),
  'internal/users/users.go':
    'package users\n\nimport "os/user"\n\nfunc Name() string {\n\tu, err := user.Current()\n\tif err != nil {\n\t\treturn ""\n\t}\n\treturn u.Username\n}\n',
};

/** a fmt-only main package at the root, next to TWO_CMDS: `go build .` means different things per WORKDIR */
const ROOT_MAIN: Record<string, string> = { ...TWO_CMDS, 'main.go': main(['"fmt"'], '\tfmt.Println("root")') };

const CASES: Case[] = [
  {
    name: 'WORKDIR cmd/api, go build .: the package of the WORKDIR, not the root one',
    files: ROOT_MAIN,
    workdir: 'cmd/api',
    why: /cmd\/api\/main\.go imports net\/http/,
  },
  { name: 'WORKDIR cmd/tool, go build .: static although the root and cmd/api differ', files: ROOT_MAIN, workdir: 'cmd/tool' },
  {
    name: 'WORKDIR cmd/tool, go build ../api: relative to the WORKDIR',
    files: ROOT_MAIN,
    workdir: 'cmd/tool',
    pkg: '../api',
    why: /cmd\/api\/main\.go/,
  },
  { name: 'fmt only: static although cgo is on', files: { 'go.mod': MOD, 'main.go': main(['"fmt"'], '\tfmt.Println("ok")') } },
  {
    name: 'fmt, strings, encoding/json, os, time: static',
    files: {
      'go.mod': MOD,
      'main.go': main(
        ['"encoding/json"', '"fmt"', '"os"', '"strings"', '"time"'],
        '\tb, _ := json.Marshal(strings.ToUpper(os.Args[0]))\n\tfmt.Println(string(b), time.Now().Unix())',
      ),
    },
  },
  {
    name: 'net/http: dynamic (net uses cgo)',
    files: { 'go.mod': MOD, 'main.go': main(['"net/http"'], '\t_, _ = http.Get("http://127.0.0.1:1")') },
    why: /main\.go imports net\/http, which uses cgo through net/,
  },
  {
    name: 'net/http with -tags netgo: static',
    files: { 'go.mod': MOD, 'main.go': main(['"net/http"'], '\t_, _ = http.Get("http://127.0.0.1:1")') },
    flags: ['-tags', 'netgo'],
  },
  {
    name: 'os/user: dynamic',
    files: { 'go.mod': MOD, 'main.go': main(['"fmt"', '"os/user"'], '\tu, _ := user.Current()\n\tfmt.Println(u)') },
    why: /imports os\/user, which uses cgo/,
  },
  {
    name: 'os/user with -tags osusergo: static',
    files: { 'go.mod': MOD, 'main.go': main(['"fmt"', '"os/user"'], '\tu, _ := user.Current()\n\tfmt.Println(u)') },
    flags: ['-tags=osusergo'],
  },
  {
    name: 'archive/tar: dynamic (it imports os/user)',
    files: { 'go.mod': MOD, 'main.go': main(['"archive/tar"', '"os"'], '\t_ = tar.NewWriter(os.Stdout)') },
    why: /archive\/tar, which uses cgo through os\/user/,
  },
  {
    name: 'crypto/tls: dynamic (it imports net)',
    files: { 'go.mod': MOD, 'main.go': main(['"crypto/tls"', '"fmt"'], '\tfmt.Println(tls.VersionTLS13)') },
  },
  {
    name: 'import "C" in a package of the module: dynamic',
    files: {
      'go.mod': MOD,
      'main.go': main(['"fmt"', '"example.com/app/internal/native"'], '\tfmt.Println(native.Answer())'),
      'internal/native/native.go':
        'package native\n\n/*\nstatic int answer(void) { return 42; }\n*/\nimport "C"\n\nfunc Answer() int { return int(C.answer()) }\n',
    },
    why: /internal\/native\/native\.go has import "C"/,
  },
  {
    name: 'a generator with //go:build ignore that imports net/http is not part of the build: static',
    files: {
      'go.mod': MOD,
      'main.go': main(['"fmt"'], '\tfmt.Println("ok")'),
      'gen.go': '//go:build ignore\n\npackage main\n\nimport "net/http"\n\nfunc main() { http.Get("http://x") }\n',
    },
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
      'third_party/dep/inner/inner.go':
        'package inner\n\nimport "net"\n\nfunc Lookup(h string) error { _, err := net.LookupHost(h); return err }\n',
    },
    why: /vendor\/example\.org\/dep\/inner imports net, which uses cgo/,
  },
  // only the package built and what it imports count, not every package of the module
  { name: 'two commands: ./cmd/tool (fmt) is static although cmd/api imports net/http', files: TWO_CMDS, pkg: './cmd/tool' },
  {
    name: 'two commands: ./cmd/api (net/http) is dynamic',
    files: TWO_CMDS,
    pkg: './cmd/api',
    why: /cmd\/api\/main\.go imports net\/http, which uses cgo through net/,
  },
  {
    name: 'two commands: the tool by its import path example.com/app/cmd/tool is static',
    files: TWO_CMDS,
    pkg: 'example.com/app/cmd/tool',
  },
  {
    name: 'two commands: the api by its import path is dynamic',
    files: TWO_CMDS,
    pkg: 'example.com/app/cmd/api',
    why: /cmd\/api\/main\.go imports net\/http/,
  },
  {
    name: 'two commands: ./... builds both, and the api is dynamic',
    files: TWO_CMDS,
    pkg: './...',
    why: /cmd\/api\/main\.go imports net\/http, which uses cgo through net/,
  },
  {
    name: 'two commands: ./cmd/... builds both, and the api is dynamic',
    files: TWO_CMDS,
    pkg: './cmd/...',
    why: /cmd\/api\/main\.go imports net\/http/,
  },
  { name: 'two commands: go install ./cmd/tool is static', files: TWO_CMDS, pkg: './cmd/tool', install: true },
  {
    name: 'two commands: go install ./cmd/api is dynamic',
    files: TWO_CMDS,
    pkg: './cmd/api',
    install: true,
    why: /cmd\/api\/main\.go imports net\/http/,
  },
  {
    name: 'the tool imports an internal package that imports os/user: dynamic, and the evidence is that package, not cmd/api',
    files: TOOL_USERS,
    pkg: './cmd/tool',
    why: /internal\/users\/users\.go imports os\/user, which uses cgo/,
    notWhy: /cmd\/api|net\/http/,
  },
  {
    name: 'the same tool with -tags osusergo: static (cmd/api still imports net/http, but is not built)',
    files: TOOL_USERS,
    pkg: './cmd/tool',
    flags: ['-tags', 'osusergo'],
  },
  {
    name: 'the same tool by its import path: dynamic',
    files: TOOL_USERS,
    pkg: 'example.com/app/cmd/tool',
    why: /internal\/users\/users\.go imports os\/user/,
  },
  {
    name: 'the same tool with go install: dynamic',
    files: TOOL_USERS,
    pkg: './cmd/tool',
    install: true,
    why: /internal\/users\/users\.go imports os\/user/,
    notWhy: /net\/http/,
  },
  {
    name: 'the same module, ./... with -tags osusergo: dynamic through cmd/api',
    files: TOOL_USERS,
    pkg: './...',
    flags: ['-tags', 'osusergo'],
    why: /cmd\/api\/main\.go imports net\/http/,
  },
  {
    name: 'go build . at the root (fmt) is static although cmd/api imports net/http',
    files: { ...TWO_CMDS, 'main.go': main(['"fmt"'], '\tfmt.Println("root")') },
  },
  {
    name: './... compiles a library that imports net but links it into no binary: static',
    files: {
      'go.mod': MOD,
      'cmd/a/main.go': main(['"fmt"'], '\tfmt.Println("a")'),
      'cmd/b/main.go': main(['"fmt"', '"example.com/app/internal/text"'], '\tfmt.Println(text.Up("b"))'),
      'internal/text/text.go': 'package text\n\nimport "strings"\n\nfunc Up(s string) string { return strings.ToUpper(s) }\n',
      'internal/dial/dial.go': 'package dial\n\nimport "net"\n\nfunc Dial(a string) (net.Conn, error) { return net.Dial("tcp", a) }\n',
    },
    pkg: './...',
  },
  {
    name: 'a file for arm64 that imports net is not part of an amd64 build: static',
    files: {
      'go.mod': MOD,
      'main.go': main(['"fmt"'], '\tfmt.Println(extra())'),
      'extra_other.go': '//go:build !arm64\n\npackage main\n\nfunc extra() string { return "" }\n',
      'extra_arm64.go':
        'package main\n\nimport (\n\t"fmt"\n\t"net"\n)\n\nfunc extra() string { _, err := net.LookupHost("localhost"); return fmt.Sprint(err) }\n',
    },
    env: { GOARCH: 'amd64' },
  },
  {
    name: 'a file behind //go:build integration that imports net is not built without the tag: static',
    files: {
      'go.mod': MOD,
      'main.go': main(['"fmt"'], '\tfmt.Println("ok")'),
      'probe.go': '//go:build integration\n\npackage main\n\nimport "net"\n\nvar _ = net.Dial\n',
    },
  },
  {
    name: 'the same file with -tags integration: dynamic',
    files: {
      'go.mod': MOD,
      'main.go': main(['"fmt"'], '\tfmt.Println("ok")'),
      'probe.go': '//go:build integration\n\npackage main\n\nimport "net"\n\nvar _ = net.Dial\n',
    },
    flags: ['-tags', 'integration'],
    why: /probe\.go imports net, which uses cgo/,
  },
];

function dockerfile(flags: string[], c: Pick<Case, 'pkg' | 'install' | 'env' | 'workdir'> = {}): string {
  const f = flags.map((x) => (/\s/.test(x) ? `'${x}'` : x)).join(' ');
  const pkg = c.pkg ?? '.';
  const env = Object.entries(c.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  const many = pkg.endsWith('...');
  const run = c.install ? `go install ${f ? f + ' ' : ''}${pkg}` : `go build ${f ? f + ' ' : ''}-o ${many ? '/out/' : '/app'} ${pkg}`;
  const copy = c.install ? `/go/bin/${pkg.split('/').pop()} /app` : many ? '/out /out' : '/app /app';
  const cd = c.workdir ? `WORKDIR ${c.workdir}\n` : '';
  return `FROM golang:1.26 AS b\nWORKDIR /src\nCOPY . .\n${cd}RUN ${env}${run}\nFROM scratch\nCOPY --from=b ${copy}\nUSER 65532\nENTRYPOINT ["/app"]\n`;
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
      // every binary the command writes (./... writes one per main package), each read with readelf
      const out = join(root, `${i}.out`);
      mkdirSync(out);
      const pkg = c.pkg ?? '.';
      const env = { ...GO_ENV, ...c.env, GOBIN: out };
      const args = c.install ? ['install', ...(c.flags ?? []), pkg] : ['build', ...(c.flags ?? []), '-o', out + '/', pkg];
      const b = spawnSync('go', args, { cwd: c.workdir ? join(dir, c.workdir) : dir, env, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
      const bins = readdirSync(out);
      assert.ok(bins.length > 0, `go ${args.join(' ')} wrote no binary`);
      const interp = bins.filter((name) => {
        const r = spawnSync('readelf', ['-lW', join(out, name)], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return /^\s+INTERP\s/m.test(r.stdout);
      });
      const dynamic = interp.length > 0;

      const { context, notes } = loadBuildContext(dir);
      assert.deepEqual(notes, []);
      const findings = lintDockerfile(dockerfile(c.flags ?? [], c), { file: 'Dockerfile', context, today: '2026-11-26' });
      const gk006 = findings.filter((f) => f.rule === 'GK006' && f.severity === 'error');
      assert.equal(
        gk006.length > 0,
        dynamic,
        `readelf: ${dynamic ? `PT_INTERP in ${interp.join(', ')}` : `static ${bins.join(', ')}`}; GK006: ${JSON.stringify(gk006.map((f) => f.message))}`,
      );
      assert.ok(!findings.some((f) => f.rule === 'GK006' && f.severity !== 'error'), 'with the sources read, GK006 is certain either way');
      if (dynamic) {
        assert.match(gk006[0]!.message, /^cgo binary \(/);
        if (c.why) assert.match(gk006[0]!.message, c.why);
        if (c.notWhy) assert.doesNotMatch(gk006[0]!.message, c.notWhy);
        assert.doesNotMatch(gk006[0]!.message, /every package of the module/);
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
      const r = spawnSync('go', ['list', '-tags', tags, '-f', '{{.ImportPath}} {{join .Deps " "}}', 'std'], {
        env: GO_ENV,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
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

describe('the build target and its fallback', () => {
  const files = (m: Record<string, string>) => Object.entries(m).map(([path, text]) => ({ path, text }));
  const ctxOf = (m: Record<string, string>): BuildContext => ({
    goMod: parseGoMod(m['go.mod']!, 'go.mod'),
    sources: scanGoSources(files(m).filter((f) => f.path.endsWith('.go'))),
  });
  const lib = { ...TOOL_USERS, 'lib.go': 'package app\n\nfunc X() {}\n' };
  const pkgs = scanGoSources(files(lib).filter((f) => f.path.endsWith('.go'))).packages;
  const targets = (...packages: string[]) => buildTargets(pkgs, 'example.com/app', { sub: 'build', packages });

  test('package arguments name directories of the build context', () => {
    assert.deepEqual(targets('./cmd/tool'), { dirs: ['cmd/tool'] });
    assert.deepEqual(targets('./cmd/tool/'), { dirs: ['cmd/tool'] });
    assert.deepEqual(targets('cmd/tool/main.go'), { dirs: ['cmd/tool'] });
    assert.deepEqual(targets('example.com/app/cmd/api', './cmd/tool'), { dirs: ['cmd/api', 'cmd/tool'] });
    assert.deepEqual(targets('./...'), { dirs: ['cmd/api', 'cmd/tool'] });
    assert.deepEqual(targets('example.com/app/cmd/...'), { dirs: ['cmd/api', 'cmd/tool'] });
    assert.deepEqual(buildTargets(pkgs, 'example.com/app', { sub: 'install', packages: ['./cmd/api'] }), { dirs: ['cmd/api'] });
  });

  test('what is not a main package of the build context is unresolved, with the reason', () => {
    assert.match((targets('.') as { unresolved: string }).unresolved, /\. is package app, not a command/);
    assert.match((targets('./internal/users') as { unresolved: string }).unresolved, /not a command/);
    assert.match((targets('./cmd/gone') as { unresolved: string }).unresolved, /not a package directory of the build context/);
    assert.match((targets('/src/cmd/tool') as { unresolved: string }).unresolved, /a path in the image/);
    assert.match((targets('../other') as { unresolved: string }).unresolved, /outside the module root/);
    assert.match(
      (targets('golang.org/x/tools/cmd/stringer@v0.30.0') as { unresolved: string }).unresolved,
      /module version outside the build context/,
    );
    assert.match((targets('github.com/other/cmd/x') as { unresolved: string }).unresolved, /not a package of module example\.com\/app/);
    assert.match((targets('./internal/...') as { unresolved: string }).unresolved, /matches no main package/);
  });

  test('an unresolved target reads every package of the module, as before, and says so', () => {
    const ctx = ctxOf(TWO_CMDS);
    const inv = (packages: string[]) => ({ sub: 'build', packages, flags: new Map<string, string | true>(), env: {} });
    assert.deepEqual(cgoLinkage(ctx, inv(['./cmd/tool'])), {
      links: false,
      why: 'no package that cmd/tool is built from has import "C" or imports net, os/user or plugin',
    });
    const whole = cgoLinkage(ctx, inv(['/src/cmd/tool']));
    assert.equal(whole.links, true);
    assert.match(
      whole.why,
      /^cmd\/api\/main\.go imports net\/http, which uses cgo through net; gokiln read every package of the module, as it could not tell which one is built \(\/src\/cmd\/tool is a path in the image/,
    );
    // a context built by hand, without the package-by-package reading: the whole module, as before
    const bare: BuildContext = { goMod: ctx.goMod!, sources: { ...ctx.sources!, imports: { fmt: 'main.go' } } };
    delete (bare.sources as { packages?: unknown }).packages;
    assert.match(cgoLinkage(bare, inv(['./cmd/tool'])).why, /^no package of the module has import "C".*; gokiln read every package/);
  });

  test('//go:build for a linux build with cgo on: unset tags false, goarch open unless GOARCH is set', () => {
    const none = new Set<string>();
    assert.equal(evalConstraint('linux && cgo', none, undefined), true);
    assert.equal(evalConstraint('!cgo', none, undefined), false);
    assert.equal(evalConstraint('darwin || windows', none, undefined), false);
    assert.equal(evalConstraint('integration', none, undefined), false);
    assert.equal(evalConstraint('integration', new Set(['integration']), undefined), true);
    assert.equal(evalConstraint('!netgo', new Set(['netgo']), undefined), false);
    assert.equal(evalConstraint('go1.21 && (amd64 || arm64)', none, undefined), undefined);
    assert.equal(evalConstraint('go1.21 && (amd64 || arm64)', none, 'arm64'), true);
    assert.equal(evalConstraint('linux && !arm64', none, 'arm64'), false);
    assert.equal(evalConstraint('linux &&', none, undefined), undefined);
  });
});
