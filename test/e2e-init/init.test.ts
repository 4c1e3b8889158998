/** `gokiln init`, `plan` and `doctor` through the real CLI on temporary copies of the examples. */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { copyExample, exampleDir, needTool, run } from '../project/helpers.js';

const MAIN = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const gokiln = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1', GOTOOLCHAIN: 'local', ...env } });

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validatePlan = ajv.compile(JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object);
const validateDoctor = ajv.compile(JSON.parse(readFileSync('schemas/doctor.schema.json', 'utf8')) as object);

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

  test('--k8s writes manifests, the debug overlay and the admin package, and the project still builds', () => {
    const dir = copyExample('multi-cmd');
    const r = gokiln(['init', dir, '--k8s', '--paradigm', 'alpine']);
    assert.equal(r.status, 0, r.stderr);
    for (const p of ['Dockerfile', '.dockerignore', 'k8s/deployment.yaml', 'k8s/debug/deployment-debug.yaml', 'k8s/debug/README.md', 'internal/admin/admin.go']) assert.ok(existsSync(join(dir, p)), p);
    // gokiln lint, through the CLI, on what init wrote (the admin package is now in the build context)
    const lint = gokiln(['lint', join(dir, 'Dockerfile'), '--failure-threshold', 'info', '--format', 'json']);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    assert.deepEqual(JSON.parse(lint.stdout), []);
    const b = run('go', ['build', './...'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } });
    assert.equal(b.status, 0, b.stderr);
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
    const check = run('go', ['list', '-deps', './...'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=vendor' } });
    assert.equal(check.status, 0, check.stderr);
  });

  test('--dry-run writes nothing', () => {
    const dir = copyExample('vendored');
    const r = gokiln(['init', dir, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /=== Dockerfile/);
    assert.equal(existsSync(join(dir, 'Dockerfile')), false);
  });
});

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
    const dir = mkdtempSync(join(tmpdir(), 'gokiln-nomod-'));
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
});
