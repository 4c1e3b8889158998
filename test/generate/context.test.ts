/**
 * What reaches the build: the generated .dockerignore applied to the project the way docker applies it
 * (docker-context.ts), and the builder stage's COPY and RUN steps read from the Dockerfile TEXT and run
 * in order in an empty WORKDIR filled only from that context.
 *
 * - //go:embed: a directory or glob an embed pattern needs (`dist`, `static/*`, `templates/*.html`,
 *   `all:assets`) is never excluded, nor a package directory that is built (`bin/tool`).
 * - a consistent vendor/: no `go mod download`; the build works with GOPROXY=off and an empty module cache.
 * - tzdata on Debian: not installed where the runtime image already has /usr/share/zoneinfo.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, type Paradigm, type Plan } from '../../src/project/plan.js';
import { localReplaces } from '../../src/project/replaces.js';
import { generateFiles } from '../../src/generate/init.js';
import { renderDockerignore } from '../../src/generate/dockerignore.js';
import { buildFromContext, contextFiles, excluded, readDockerignore } from './docker-context.js';
import { TODAY, copyExample, needTool, run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';

const haveGo = Boolean(needTool('go'));
const GO_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(CGO_\w+|GOOS|GOARCH|GOFLAGS|GOPROXY|GOTOOLCHAIN|GOWORK|GOMODCACHE)$/.test(k)),
  ),
  GOTOOLCHAIN: 'local',
  GOPROXY: 'off',
};

function planOf(dir: string, go: string | null = 'go'): { plan: Plan; scan: ReturnType<typeof scanProject> } {
  const scan = scanProject(dir, { env: GO_ENV, go });
  return { scan, plan: buildPlan(scan, { today: TODAY }) };
}

function generate(dir: string, paradigm: Paradigm) {
  const { plan, scan } = planOf(dir);
  const out = generateFiles(plan, {
    paradigm,
    hasGoSum: existsSync(join(dir, 'go.sum')),
    replaces: localReplaces(scan.goMod, scan.depModules),
  });
  for (const f of out.files) writeFileSync(join(dir, f.path), f.content);
  return {
    plan,
    ...out,
    df: out.files.find((f) => f.path === 'Dockerfile')!.content,
    ignore: out.files.find((f) => f.path === '.dockerignore')!.content,
  };
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
}

describe('docker .dockerignore rules, as the test harness applies them', () => {
  test('patterns are anchored at the context root, a match on a parent excludes its files, ** crosses directories, ! takes back', () => {
    const p = readDockerignore('# c\n  dist  \nbin\n*.out\n**/.DS_Store\n/k8s/\n!bin/keep\n');
    assert.deepEqual(
      p.map((x) => `${x.exclusion ? '!' : ''}${x.pattern}`),
      ['dist', 'bin', '*.out', '**/.DS_Store', 'k8s', '!bin/keep'],
    );
    const ex = (f: string) => excluded(p, f);
    assert.equal(ex('dist'), true);
    assert.equal(ex('dist/index.html'), true);
    assert.equal(ex('web/dist/index.html'), false);
    assert.equal(ex('a.out'), true);
    assert.equal(ex('sub/a.out'), false);
    assert.equal(ex('.DS_Store'), true);
    assert.equal(ex('web/static/.DS_Store'), true);
    assert.equal(ex('k8s/deploy.yaml'), true);
    assert.equal(ex('bin/x'), true);
    assert.equal(ex('bin/keep'), false);
    assert.equal(ex('bin/keep/deep/file'), false);
    assert.equal(ex('main.go'), false);
    // the last matching pattern decides
    assert.equal(excluded(readDockerignore('web/static/*\n!web\n'), 'web/static/a.css'), false);
    assert.equal(excluded(readDockerignore('!web\nweb/static/*\n'), 'web/static/a.css'), true);
  });
});

/**
 * A module whose program embeds: the root package `dist` (a directory) and `all:assets` (with a dot file),
 * internal/ui `static/*` and `templates/*.html`, next to a built package in bin/tool. The program prints
 * every embedded file and its content.
 */
function embedProject(): string {
  const dir = scratchDir('gokiln-embed-');
  writeTree(dir, {
    'go.mod': 'module example.com/site\n\ngo 1.22\n',
    'main.go': `package main

import (
	"embed"
	"fmt"
	"io/fs"

	"example.com/site/internal/ui"
)

//go:embed dist
var site embed.FS

//go:embed all:assets
var assets embed.FS

func list(name string, f fs.FS) {
	_ = fs.WalkDir(f, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(f, p)
			fmt.Printf("%s %s=%q\\n", name, p, b)
		}
		return nil
	})
}

func main() {
	list("site", site)
	list("assets", assets)
	list("ui", ui.Files)
}
`,
    'dist/index.html': '<h1>hi</h1>\n',
    'dist/app/app.js': 'console.log(1)\n',
    'assets/.hidden': 'dot file, kept by all:\n',
    'assets/logo.svg': '<svg/>\n',
    'internal/ui/ui.go': `package ui

import "embed"

//go:embed static/* templates/*.html
var Files embed.FS
`,
    'internal/ui/static/site.css': 'body{}\n',
    'internal/ui/static/.DS_Store': 'named by static/*\n',
    'internal/ui/templates/page.html': '<p>page</p>\n',
    'internal/ui/templates/notes.txt': 'not embedded\n',
    'bin/tool/main.go': 'package main\n\nfunc main() { println("tool") }\n',
    // local build output and secrets that must stay out
    'bin/site': 'an old binary\n',
    '.env': 'SECRET=1\n',
    'coverage.txt': 'mode: set\n',
  });
  return dir;
}

describe('//go:embed and the generated .dockerignore', { skip: haveGo ? false : 'go not installed' }, () => {
  test('the scan reads embed patterns per package, from go list and from the source scan alike; the plan carries them', () => {
    const dir = embedProject();
    const want = [
      { dir: '.', pattern: 'all:assets' },
      { dir: '.', pattern: 'dist' },
      { dir: './internal/ui', pattern: 'static/*' },
      { dir: './internal/ui', pattern: 'templates/*.html' },
    ];
    const listed = planOf(dir);
    assert.equal(listed.scan.method, 'go-list');
    assert.deepEqual(listed.plan.embedPatterns, want);
    const scanned = planOf(dir, null);
    assert.equal(scanned.scan.method, 'source-scan');
    assert.deepEqual(scanned.plan.embedPatterns, want);
  });

  for (const paradigm of ['distroless', 'alpine', 'ubuntu'] as const) {
    test(`--paradigm ${paradigm}: nothing an embed pattern or a built package needs is excluded, and the Dockerfile's build from the context embeds what a local go build embeds`, () => {
      const dir = embedProject();
      const { df, ignore } = generate(dir, paradigm);
      const lines = ignore.split('\n');
      assert.ok(!lines.includes('dist') && !lines.includes('bin'), ignore);
      for (const keep of ['!dist', '!assets', '!internal/ui/static/*', '!internal/ui/templates/*.html'])
        assert.ok(lines.includes(keep), `${keep} in\n${ignore}`);
      const ctx = contextFiles(dir);
      for (const f of [
        'dist/index.html',
        'dist/app/app.js',
        'assets/.hidden',
        'internal/ui/static/site.css',
        'internal/ui/static/.DS_Store',
        'internal/ui/templates/page.html',
        'bin/tool/main.go',
      ])
        assert.ok(ctx.includes(f), `${f} is in the context: ${ctx.join(' ')}`);
      // still kept out: secrets, coverage, the Dockerfile itself
      for (const f of ['.env', 'coverage.txt', 'Dockerfile', '.dockerignore']) assert.ok(!ctx.includes(f), `${f} is not in the context`);
      const b = buildFromContext(dir, df, GO_ENV);
      assert.equal(b.status, 0, `${b.stderr}\nran: ${b.ran.join(' | ')}`);
      assert.deepEqual(readdirSync(b.out).sort(), ['site', 'tool']);
      // the same program built in the project directory itself (everything present)
      const local = scratchDir('gokiln-local-');
      const l = run('go', ['build', '-o', `${local}/`, '.'], { cwd: dir, env: { ...GO_ENV, CGO_ENABLED: '0' } });
      assert.equal(l.status, 0, l.stderr);
      const want = run(join(local, 'site'), []).stdout;
      assert.match(want, /site dist\/index\.html="<h1>hi<\/h1>\\n"/);
      assert.match(want, /assets assets\/\.hidden=/);
      assert.match(want, /ui static\/\.DS_Store=/);
      assert.equal(run(join(b.out, 'site'), []).stdout, want);
    });
  }

  test('the old .dockerignore (dist excluded) is what broke the build: the same Dockerfile fails with "pattern dist: no matching files found"', () => {
    const dir = embedProject();
    const { df } = generate(dir, 'distroless');
    writeFileSync(join(dir, '.dockerignore'), 'bin\ndist\n');
    const b = buildFromContext(dir, df, GO_ENV);
    assert.notEqual(b.status, 0);
    assert.match(b.stderr, /pattern dist: no matching files found/);
  });

  test('an exclusion is dropped only when it can reach a needed path or a parent of one', () => {
    const r = (o: Parameters<typeof renderDockerignore>[0]) => renderDockerignore(o).split('\n');
    const plain = r({ keepVendor: false, packageDirs: ['.'] });
    for (const l of ['.git', 'Dockerfile*', 'k8s', 'bin', 'dist', '*.out', '.env', 'vendor', '**/.DS_Store'])
      assert.ok(plain.includes(l), l);
    // coverage.* would take a root package's coverage.go
    assert.ok(!plain.includes('coverage.*'));
    assert.ok(!excluded(readDockerignore(plain.join('\n')), 'coverage.go'));
    const deep = r({
      keepVendor: false,
      packageDirs: ['.', './k8s/operator'],
      embedPatterns: [
        { dir: './web', pattern: 'dist' },
        { dir: '.', pattern: 'bi?/*.json' },
      ],
    });
    assert.ok(!deep.includes('k8s') && !deep.includes('bin'), deep.join('\n'));
    // web/dist is not the top-level dist: that one stays excluded
    assert.ok(deep.includes('dist') && deep.includes('!web/dist') && deep.includes('!bi?/*.json'));
    const di = readDockerignore(deep.join('\n'));
    assert.equal(excluded(di, 'web/dist/a.js'), false);
    assert.equal(excluded(di, 'dist/a.js'), true);
    assert.equal(excluded(di, 'bin/x.json'), false);
    assert.equal(excluded(di, 'k8s/operator/main.go'), false);
  });
});

describe('a consistent vendor/ without --offline', { skip: haveGo ? false : 'go not installed' }, () => {
  for (const paradigm of ['distroless', 'alpine', 'ubuntu'] as const) {
    test(`--paradigm ${paradigm}: no go mod download; the Dockerfile's build from the context works with GOPROXY=off and an empty module cache`, () => {
      const dir = copyExample('vendored');
      const { plan, spec, df, ignore } = generate(dir, paradigm);
      assert.deepEqual([plan.vendor.present, plan.vendor.consistent], [true, true]);
      assert.deepEqual([spec.offline, spec.vendored], [false, true]);
      assert.doesNotMatch(df, /go mod download/);
      assert.doesNotMatch(df, /^COPY go\.mod/m);
      assert.equal(excluded(readDockerignore(ignore), 'vendor/modules.txt'), false);
      assert.ok(contextFiles(dir).includes('vendor/github.com/google/uuid/uuid.go'));
      const cache = scratchDir('gokiln-empty-modcache-');
      const b = buildFromContext(dir, df, { ...GO_ENV, GOMODCACHE: cache });
      assert.equal(b.status, 0, `${b.stderr}\nran: ${b.ran.join(' | ')}`);
      assert.deepEqual(
        b.ran.filter((c) => /\bgo \w+/.test(c)).map((c) => /\bgo (\w+)/.exec(c)![1]),
        ['list', 'build'],
      );
      assert.match(run(join(b.out, 'vendored'), []).stdout, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
      assert.deepEqual(readdirSync(cache), [], 'nothing was put into the module cache');
    });
  }

  test('the Dockerfile it replaces (go mod download first) fails in that air-gapped build', () => {
    const dir = copyExample('vendored');
    const { df } = generate(dir, 'distroless');
    const old = df
      .replace(/^COPY \. \.$/m, 'COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .')
      .replace(/^ENV GOFLAGS=-mod=vendor\nENV GOPROXY=off\n/m, '');
    assert.notEqual(old, df);
    const b = buildFromContext(dir, old, { ...GO_ENV, GOMODCACHE: scratchDir('gokiln-empty-modcache-') });
    assert.notEqual(b.status, 0);
    assert.match(b.stderr, /go mod download\n[^]*(module lookup disabled by GOPROXY=off|GOPROXY=off)/);
  });

  test('an inconsistent vendor/ is not used: go mod download stays, and .dockerignore does not decide for go', () => {
    const dir = copyExample('vendored');
    run('sh', ['-c', "sed -i 's/uuid v1.6.0/uuid v1.5.0/' go.mod"], { cwd: dir });
    const { plan, spec, df } = generate(dir, 'distroless');
    assert.equal(plan.vendor.consistent, false);
    assert.equal(spec.vendored, false);
    assert.match(df, /go mod download/);
  });
});

describe('tzdata on the Debian runtime', { skip: haveGo ? false : 'go not installed' }, () => {
  test('a program calling time.LoadLocation on debian:trixie-slim: not installed (tzdata is Priority: required there); on Alpine: installed', () => {
    const dir = scratchDir('gokiln-tz-');
    writeTree(dir, {
      'go.mod': 'module example.com/tz\n\ngo 1.26\n',
      'main.go':
        'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() { l, err := time.LoadLocation("Europe/Berlin"); fmt.Println(l, err) }\n',
    });
    const { plan } = planOf(dir);
    assert.equal(plan.needs.tzdata, true);
    assert.equal(plan.images.debian.suite, 'trixie');
    assert.equal(plan.images.debian.tzdata, true);
    const deb = generateFiles(plan, { paradigm: 'ubuntu', hasGoSum: false });
    assert.equal(deb.spec.runtime, 'debian:trixie-slim');
    assert.deepEqual(deb.spec.runtimePackages.packages, []);
    assert.doesNotMatch(deb.files[0]!.content, /tzdata/);
    const alp = generateFiles(plan, { paradigm: 'alpine', hasGoSum: false });
    assert.deepEqual(alp.spec.runtimePackages.packages, ['tzdata']);
  });
});
