/** `gokiln init`, `plan` and `doctor` through the real CLI on temporary copies of the examples. */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, newestKnownGo } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import * as knowledge from '../../src/knowledge/index.js';
import { copyExample, exampleDir, needTool, replaceProject, run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';

const MAIN = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const gokiln = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ...env } });

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validatePlan = ajv.compile(JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object);
const validateDoctor = ajv.compile(JSON.parse(readFileSync('schemas/doctor.schema.json', 'utf8')) as object);
const validateInit = ajv.compile(JSON.parse(readFileSync('schemas/init.schema.json', 'utf8')) as object);
const validateError = ajv.compile(JSON.parse(readFileSync('schemas/error.schema.json', 'utf8')) as object);

const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.gokiln-tmp-'));

describe('gokiln init (CLI)', { skip: needTool('go') ? false : 'go not installed' }, () => {
  test('writes the recommended Dockerfile and .dockerignore, refuses to overwrite, --force overwrites', () => {
    const dir = copyExample('hello-service');
    const r1 = gokiln(['init', dir]);
    assert.equal(r1.status, 0, r1.stderr);
    const expected = generateFiles(buildPlan(scanProject(dir)), { paradigm: 'distroless', hasGoSum: false }).files;
    for (const f of expected) assert.equal(readFileSync(join(dir, f.path), 'utf8'), f.content, f.path);
    assert.deepEqual(leftovers(dir), []);

    const before = statSync(join(dir, 'Dockerfile')).mtimeMs;
    const r2 = gokiln(['init', dir, '--paradigm', 'alpine']);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /E_EXISTS: Dockerfile, \.dockerignore already exist/);
    assert.equal(statSync(join(dir, 'Dockerfile')).mtimeMs, before);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /distroless\/static-debian13:nonroot/);

    const r3 = gokiln(['init', dir, '--paradigm', 'alpine', '--force']);
    assert.equal(r3.status, 0, r3.stderr);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^FROM alpine:3\.24$/m);
    assert.deepEqual(leftovers(dir), []);
  });

  test('one existing target blocks every write (nothing half-written)', () => {
    const dir = copyExample('hello-service');
    writeFileSync(join(dir, '.dockerignore'), 'mine\n');
    const r = gokiln(['init', dir]);
    assert.equal(r.status, 2);
    assert.equal(existsSync(join(dir, 'Dockerfile')), false);
    assert.equal(readFileSync(join(dir, '.dockerignore'), 'utf8'), 'mine\n');
  });

  test('bad --paradigm is a usage error; a non-viable one is refused', () => {
    const dir = copyExample('png-cgo');
    assert.equal(gokiln(['init', dir, '--paradigm', 'scratch']).status, 2);
    const r = gokiln(['init', dir, '--paradigm', 'distroless']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /E_UNSUPPORTED/);
    assert.equal(existsSync(join(dir, 'Dockerfile')), false);
  });

  test('--k8s writes manifests and the debug overlay but no source file; --pprof adds the admin package, and the project still builds', () => {
    const dir = copyExample('multi-cmd');
    const r = gokiln(['init', dir, '--k8s', '--paradigm', 'alpine', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { written: string[] }).written, [
      'Dockerfile',
      '.dockerignore',
      'k8s/deployment.yaml',
      'k8s/debug/deployment-debug.yaml',
      'k8s/debug/README.md',
    ]);
    for (const p of ['Dockerfile', '.dockerignore', 'k8s/deployment.yaml', 'k8s/debug/deployment-debug.yaml', 'k8s/debug/README.md'])
      assert.ok(existsSync(join(dir, p)), p);
    assert.equal(existsSync(join(dir, 'internal', 'admin')), false, '--k8s alone adds nothing to the source tree');
    assert.match(readFileSync(join(dir, 'k8s/debug/README.md'), 'utf8'), /`gokiln init --pprof`/);

    const p = gokiln(['init', dir, '--k8s', '--pprof', '--paradigm', 'alpine', '--force']);
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /wrote .*internal\/admin\/admin\.go/);
    assert.ok(existsSync(join(dir, 'internal/admin/admin.go')));
    // gokiln lint, through the CLI, on what init wrote (the admin package is now in the build context)
    // at the default threshold: exit 0, and nothing but GK003's info note that the tags are not digests
    const lint = gokiln(['lint', join(dir, 'Dockerfile'), '--format', 'json']);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.deepEqual(
      (JSON.parse(lint.stdout) as Array<{ rule: string; severity: string }>).filter((f) => f.rule !== 'GK003' || f.severity !== 'info'),
      [],
    );
    assert.doesNotMatch(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /gokiln ignore/);
    const b = run('go', ['build', './...'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } });
    assert.equal(b.status, 0, b.stderr);
    const vet = run('go', ['vet', './internal/admin'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } });
    assert.equal(vet.status, 0, vet.stderr);
  });

  test('--pprof without --k8s writes only the admin package next to the Dockerfile', () => {
    const dir = copyExample('hello-service');
    const r = gokiln(['init', dir, '--pprof', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { written: string[] }).written, ['Dockerfile', '.dockerignore', 'internal/admin/admin.go']);
    assert.equal(existsSync(join(dir, 'k8s')), false);
  });

  test('a parent that is a file (k8s): exit 2, a one-line E_IO naming it, nothing written, also with --force and --json', () => {
    const dir = copyExample('hello-service');
    writeFileSync(join(dir, 'k8s'), 'mine\n');
    const names = readdirSync(dir).sort();
    for (const extra of [[], ['--force'], ['--json']]) {
      const r = gokiln(['init', dir, '--k8s', ...extra]);
      assert.equal(r.status, 2, r.stderr);
      assert.doesNotMatch(r.stderr, /internal error|    at /);
      const msg = `cannot write ${join(dir, 'k8s', 'deployment.yaml')}: ${join(dir, 'k8s')} is not a directory`;
      if (extra[0] === '--json')
        assert.deepEqual((JSON.parse(r.stdout) as { error: unknown }).error, {
          code: 'E_IO',
          message: msg,
          file: join(dir, 'k8s', 'deployment.yaml'),
        });
      else assert.equal(r.stderr, `gokiln: E_IO: ${msg}\n`);
      assert.deepEqual(readdirSync(dir).sort(), names, 'no Dockerfile, .dockerignore or temporary file');
      assert.equal(readFileSync(join(dir, 'k8s'), 'utf8'), 'mine\n');
    }
  });

  test('a target that is a directory is refused even with --force; a dangling symlink counts as existing', () => {
    const dir = copyExample('hello-service');
    mkdirSync(join(dir, 'Dockerfile'));
    for (const extra of [[], ['--force']]) {
      const r = gokiln(['init', dir, ...extra]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^gokiln: E_IS_DIRECTORY: .*\/Dockerfile is a directory/);
      assert.ok(statSync(join(dir, 'Dockerfile')).isDirectory());
      assert.equal(existsSync(join(dir, '.dockerignore')), false);
    }

    const dir2 = copyExample('hello-service');
    const target = join(dir2, 'generated', 'Dockerfile');
    symlinkSync(target, join(dir2, 'Dockerfile'));
    const r = gokiln(['init', dir2]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /E_EXISTS: Dockerfile already exists/);
    assert.equal(readlinkSync(join(dir2, 'Dockerfile')), target);
    assert.equal(existsSync(join(dir2, '.dockerignore')), false);
    const f = gokiln(['init', dir2, '--force']);
    assert.equal(f.status, 0, f.stderr);
    assert.ok(lstatSync(join(dir2, 'Dockerfile')).isFile(), '--force replaces the link itself');
    assert.equal(existsSync(target), false, 'and writes nothing through it');
    assert.deepEqual(leftovers(dir2), []);
  });

  test('--offline vendors the modules first and builds from vendor/ with GOPROXY=off', () => {
    const dir = copyExample('sqlite-cgo');
    // modules come from the local module cache: the test never reaches the network
    const r = gokiln(['init', dir, '--offline', '--paradigm', 'ubuntu'], { GOPROXY: 'off', GOFLAGS: '-mod=mod' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'vendor', 'modules.txt')));
    const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.match(text, /^ENV GOPROXY=off$/m);
    assert.match(text, /^ENV GOFLAGS=-mod=vendor$/m);
    assert.doesNotMatch(readFileSync(join(dir, '.dockerignore'), 'utf8'), /^vendor$/m);
    const check = run('go', ['list', '-deps', './...'], {
      cwd: dir,
      env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=vendor' },
    });
    assert.equal(check.status, 0, check.stderr);
  });

  test('--offline refuses an existing target before go mod vendor runs (no vendor/ left behind)', () => {
    const dir = copyExample('sqlite-cgo');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM mine\n');
    const names = readdirSync(dir).sort();
    const r = gokiln(['init', dir, '--offline', '--paradigm', 'ubuntu'], { GOPROXY: 'off', GOFLAGS: '-mod=mod' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /E_EXISTS: Dockerfile already exists/);
    assert.equal(existsSync(join(dir, 'vendor')), false);
    assert.deepEqual(readdirSync(dir).sort(), names);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'FROM mine\n');
    // and a plan init refuses (here: a go line beyond every known Go) never vendors either
    const dir2 = copyExample('sqlite-cgo');
    writeFileSync(join(dir2, 'go.mod'), readFileSync(join(dir2, 'go.mod'), 'utf8').replace(/^go .*$/m, 'go 1.99'));
    const r2 = gokiln(['init', dir2, '--offline'], { GOPROXY: 'off', GOFLAGS: '-mod=mod' });
    assert.equal(r2.status, 2, r2.stderr);
    assert.match(r2.stderr, /E_UNSUPPORTED/);
    assert.equal(existsSync(join(dir2, 'vendor')), false);
  });

  test('a module without a main package: init and plan refuse with E_UNSUPPORTED (exit 2), nothing written', () => {
    const dir = scratchDir('gokiln-lib-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/lib\n\ngo 1.26\n');
    writeFileSync(join(dir, 'lib.go'), 'package lib\n\nfunc F() int { return 1 }\n');
    assert.equal(
      run('go', ['build', './...'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } }).status,
      0,
      'truth: the module builds',
    );
    const list = run('go', ['list', '-f', '{{.Name}}', './...'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } });
    assert.equal(list.stdout.trim(), 'lib', 'truth: go list sees no package main');
    for (const args of [
      ['init', dir],
      ['init', dir, '--k8s', '--pprof', '--force'],
      ['plan', dir],
      ['plan', dir, '--no-go'],
    ]) {
      const r = gokiln(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(
        r.stderr,
        `gokiln: E_UNSUPPORTED: no main package in ${dir} (module example.com/lib): nothing to build into an image; gokiln plans images for commands (package main)\n`,
      );
    }
    assert.deepEqual(readdirSync(dir).sort(), ['go.mod', 'lib.go']);
  });

  test('a go line newer than every Go release gokiln knows: init and plan refuse naming the newest one, nothing written', () => {
    const newest = newestKnownGo();
    assert.equal(newest.minor, knowledge.newestGolangMinor());
    const dir = scratchDir('gokiln-future-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/future\n\ngo 1.99\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
    for (const args of [
      ['init', dir],
      ['init', dir, '--force', '--paradigm', 'alpine'],
      ['plan', dir],
      ['plan', dir, '--json'],
    ]) {
      const r = gokiln(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      const msg = `${join(dir, 'go.mod')}: go 1.99 is newer than the newest Go release gokiln knows (${newest.patch}): there is no golang:1.99 builder image to name; lower the go line or update gokiln`;
      if (args.includes('--json')) assert.equal((JSON.parse(r.stdout) as { error: { code: string; message: string } }).error.message, msg);
      else assert.equal(r.stderr, `gokiln: E_UNSUPPORTED: ${msg}\n`);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['go.mod', 'main.go']);
    // the newest known minor itself is fine: its builder tag is in the knowledge module
    writeFileSync(join(dir, 'go.mod'), `module example.com/future\n\ngo ${newest.minor}\n`);
    const ok = gokiln(['init', dir, '--paradigm', 'alpine']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(
      readFileSync(join(dir, 'Dockerfile'), 'utf8'),
      new RegExp(`^FROM --platform=\\$BUILDPLATFORM golang:${newest.minor.replace('.', '\\.')}-alpine[\\d.]+ AS build$`, 'm'),
    );
  });

  test('--dry-run writes nothing', () => {
    const dir = copyExample('vendored');
    const r = gokiln(['init', dir, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /=== Dockerfile/);
    assert.equal(existsSync(join(dir, 'Dockerfile')), false);
  });
});

describe(
  'gokiln init (CLI): replacements, next steps, go errors, --json schema',
  { skip: needTool('go') ? false : 'go not installed' },
  () => {
    test('a go.mod replace outside the project: plan warns (exit 0), init refuses with a one-line E_UNSUPPORTED (exit 2, nothing written, --json too), init --offline vendors it and writes', () => {
      const p = replaceProject('outside');
      const plan = gokiln(['plan', p.dir]);
      assert.equal(plan.status, 0, plan.stderr);
      assert.match(plan.stdout, /warning: .*go\.mod:7: replace example\.com\/lib => \.\.\/lib points outside .*the build context/);
      const pj = gokiln(['plan', p.dir, '--json']);
      const pdoc = JSON.parse(pj.stdout) as { warnings: Array<{ code: string; message: string }> };
      assert.ok(validatePlan(pdoc), JSON.stringify(validatePlan.errors));
      assert.equal(pdoc.warnings.filter((w) => w.code === 'replace-outside-context').length, 1);
      const before = readdirSync(p.dir).sort();
      for (const args of [
        ['init', p.dir],
        ['init', p.dir, '--paradigm', 'alpine', '--force'],
        ['init', p.dir, '--k8s'],
      ]) {
        const r = gokiln(args);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(
          r.stderr,
          /^gokiln: E_UNSUPPORTED: .*go\.mod:7: replace example\.com\/lib => \.\.\/lib points outside .*gokiln init --offline.*go\.work in a directory holding both\n$/,
        );
        assert.equal(r.stderr.split('\n').length, 2, 'one line');
      }
      const j = gokiln(['init', p.dir, '--json']);
      assert.equal(j.status, 2);
      const err = JSON.parse(j.stdout) as { error: { code: string; file: string } };
      assert.ok(validateError(err), JSON.stringify(validateError.errors));
      assert.equal(err.error.code, 'E_UNSUPPORTED');
      assert.equal(err.error.file, join(p.dir, 'go.mod'));
      assert.deepEqual(readdirSync(p.dir).sort(), before, 'nothing written');
      const off = gokiln(['init', p.dir, '--offline'], { GOPROXY: 'off', GOFLAGS: '-mod=mod' });
      assert.equal(off.status, 0, off.stderr);
      assert.ok(existsSync(join(p.dir, 'vendor', 'example.com', 'lib', 'lib.go')));
      assert.match(readFileSync(join(p.dir, 'Dockerfile'), 'utf8'), /^ENV GOFLAGS=-mod=vendor$/m);
      assert.doesNotMatch(off.stdout, /points outside/, 'answered by --offline');
    });

    test("a go.mod replace inside the project: init writes a Dockerfile that copies the replacement's go.mod before go mod download", () => {
      const p = replaceProject('inside');
      const r = gokiln(['init', p.dir, '--json']);
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { spec: { replaceDirs: string[] } };
      assert.ok(validateInit(doc), JSON.stringify(validateInit.errors));
      assert.deepEqual(doc.spec.replaceDirs, ['lib']);
      assert.match(
        readFileSync(join(p.dir, 'Dockerfile'), 'utf8'),
        /^COPY go\.mod \.\/\n(#.*\n)?COPY lib\/go\.mod \.\/lib\/\nRUN --mount=type=cache,target=\/go\/pkg\/mod go mod download$/m,
      );
    });

    test('several binaries: next names one docker build --target per binary, each a stage of the Dockerfile', () => {
      const dir = copyExample('multi-cmd');
      const r = gokiln(['init', dir]);
      assert.equal(r.status, 0, r.stderr);
      const stages = [...readFileSync(join(dir, 'Dockerfile'), 'utf8').matchAll(/^FROM runtime AS (\S+)$/gm)].map((m) => m[1]!);
      // the main binary (api: the first by directory, none is named like the module) is the last stage
      assert.deepEqual(stages, ['worker', 'api']);
      const builds = r.stdout
        .split('\n')
        .filter((l) => /docker build/.test(l))
        .map((l) => l.trim());
      assert.deepEqual(
        builds,
        stages.map((s) => `docker build --target ${s} -t ${s} ${dir}`),
      );
      assert.match(r.stdout, new RegExp(`^next: gokiln lint ${join(dir, 'Dockerfile').replace(/[.]/g, '\\.')}$`, 'm'));
      // one binary: no --target (the last stage is its image)
      const one = copyExample('hello-service');
      const o = gokiln(['init', one]);
      assert.match(o.stdout, new RegExp(`^next: gokiln lint \\S+ && docker build -t hello-service ${one.replace(/[.]/g, '\\.')}$`, 'm'));
    });

    test("--offline when go mod vendor fails (GOPROXY=off, a dependency in no module cache): one error line with go's message, the whole output after it", () => {
      const dir = copyExample('sqlite-cgo');
      const cache = scratchDir('gokiln-empty-modcache-');
      const r = gokiln(['init', dir, '--offline'], { GOPROXY: 'off', GOMODCACHE: cache, GOFLAGS: '-modcacherw' });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${JSON.stringify(r.stderr)}`);
      assert.match(
        r.stderr,
        /^gokiln: E_IO: \S+: go mod vendor failed: go: example\.com\/sqlite-cgo imports github\.com\/mattn\/go-sqlite3: module lookup disabled by GOPROXY=off \| output: go: downloading github\.com\/mattn\/go-sqlite3 v[\d.]+ \| go: example\.com/,
      );
      assert.doesNotMatch(r.stderr, /\t/);
      assert.equal(existsSync(join(dir, 'Dockerfile')), false);
    });

    test('init --json validates against schemas/init.schema.json: written, --dry-run with files, --k8s, --offline, several binaries', () => {
      const runs: Array<[string, string[], NodeJS.ProcessEnv?]> = [
        ['hello-service', []],
        ['multi-cmd', ['--k8s', '--pprof', '--paradigm', 'alpine']],
        ['multi-cmd', ['--dry-run']],
        ['png-cgo', ['--paradigm', 'ubuntu']],
        ['sqlite-cgo', ['--offline'], { GOPROXY: 'off', GOFLAGS: '-mod=mod' }],
      ];
      for (const [ex, args, env] of runs) {
        const dir = copyExample(ex);
        const r = gokiln(['init', dir, '--json', ...args], env);
        assert.equal(r.status, 0, `${ex} ${args.join(' ')}: ${r.stderr}`);
        const doc = JSON.parse(r.stdout) as {
          schema: string;
          dryRun: boolean;
          written: string[];
          files?: Array<{ path: string }>;
          spec: { binaries: Array<{ stage: string | null }> };
        };
        assert.ok(validateInit(doc), `${ex} ${args.join(' ')}: ${JSON.stringify(validateInit.errors)}`);
        assert.equal(doc.schema, 'gokiln/init@1');
        if (doc.dryRun) {
          assert.deepEqual(doc.written, []);
          assert.ok(doc.files && doc.files.length >= 2);
        } else {
          assert.equal(doc.files, undefined);
          assert.ok(doc.written.every((w) => existsSync(join(dir, w))));
        }
        assert.equal(
          doc.spec.binaries.every((b) => b.stage === null),
          doc.spec.binaries.length === 1,
        );
      }
      // the schema is not vacuous: what init never prints is refused
      assert.equal(validateInit({ schema: 'gokiln/init@1', dir: '.', paradigm: 'scratch', written: [], dryRun: false, spec: {} }), false);
    });
  },
);

describe('gokiln plan and doctor (CLI)', { skip: needTool('go') ? false : 'go not installed' }, () => {
  test('plan --json validates against its schema and names the recommendation', () => {
    const r = gokiln(['plan', exampleDir('sqlite-cgo'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { recommended: { paradigm: string } };
    assert.ok(validatePlan(plan), JSON.stringify(validatePlan.errors));
    assert.equal(plan.recommended.paradigm, 'distroless');
    const text = gokiln(['plan', exampleDir('png-cgo')]);
    assert.match(text.stdout, /Recommended: ubuntu/);
    assert.match(text.stdout, /Debian build libpng-dev, runtime libpng16-16t64/);
  });
  test('plan on a directory without go.mod, or a malformed one: exit 2 with the typed error and line', () => {
    const dir = scratchDir('gokiln-nomod-');
    const r = gokiln(['plan', dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /E_NOT_FOUND: .*go\.mod not found/);
    writeFileSync(join(dir, 'go.mod'), 'module x\n\ngo 1.26\nrequire (\n  example.com/a\n)\n');
    const bad = gokiln(['plan', dir]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /E_PARSE: .*go\.mod:5: usage: require module\/path v1\.2\.3/);
  });
  test('doctor --json: exit 1 when a check fails, 0 otherwise', () => {
    const bad = gokiln(['doctor', exampleDir('needs-newer-go'), '--json']);
    assert.equal(bad.status, 1, bad.stderr);
    const rep = JSON.parse(bad.stdout) as { checks: Array<{ id: string; status: string }> };
    assert.ok(validateDoctor(rep), JSON.stringify(validateDoctor.errors));
    assert.equal(rep.checks.find((c) => c.id === 'go-version')?.status, 'fail');
    const good = gokiln(['doctor', exampleDir('hello-service')]);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /0 failure\(s\)/);
  });
  test('doctor on a missing directory (E_NOT_FOUND) or a file (E_NOT_DIRECTORY): exit 2, like plan', () => {
    const d = scratchDir('gokiln-doc-');
    writeFileSync(join(d, 'file'), '');
    for (const [target, code] of [
      [join(d, 'missing'), 'E_NOT_FOUND'],
      [join(d, 'file'), 'E_NOT_DIRECTORY'],
    ] as const) {
      for (const cmd of ['doctor', 'plan']) {
        const r = gokiln([cmd, target]);
        assert.equal(r.status, 2, `${cmd} ${target}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^gokiln: ${code}: .*(not found|no such file or directory|not a directory)`));
        assert.equal(r.stderr.split('\n').length, 2, 'one line');
      }
      const j = gokiln(['doctor', target, '--json']);
      assert.equal(j.status, 2);
      assert.equal((JSON.parse(j.stdout) as { error: { code: string } }).error.code, code);
    }
  });
  test('doctor on a malformed go.mod: exit 2 with E_PARSE and the line, as the README exit-code table and plan say', () => {
    const dir = scratchDir('gokiln-badmod-');
    writeFileSync(join(dir, 'go.mod'), 'module x\n\ngo 1.26\nrequire (\n  example.com/a\n)\n');
    const readme = readFileSync('README.md', 'utf8');
    assert.match(readme, /^\| 2 \| bad input or usage: .*a malformed go\.mod/m);
    for (const cmd of ['doctor', 'plan', 'init']) {
      const r = gokiln([cmd, dir]);
      assert.equal(r.status, 2, `${cmd}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr, `gokiln: E_PARSE: ${join(dir, 'go.mod')}:5: usage: require module/path v1.2.3\n`);
    }
    assert.deepEqual(readdirSync(dir), ['go.mod']);
  });
  test('doctor on a module init refuses (go line beyond every known Go) still reports: exit 1 on the go-version failure', () => {
    const dir = scratchDir('gokiln-future-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/future\n\ngo 1.99\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
    const r = gokiln(['doctor', dir, '--json']);
    assert.equal(r.status, 1, r.stderr);
    const rep = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string }> };
    assert.ok(validateDoctor(rep), JSON.stringify(validateDoctor.errors));
    assert.equal(rep.checks.find((c) => c.id === 'go-version')?.status, 'fail');
  });
});
