/**
 * initProject and diffInit (src/tasks/init.ts) called as a library on copies of the examples: the files
 * written are exactly generateFiles' for the plan, a dry run and every refusal write nothing, --offline runs
 * the real `go mod vendor`, and every bad input is a typed GokilnError. Nothing may be printed.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlan, diffDockerfile, diffInit, generateFiles, initProject, lintDockerfile, scanProject } from '../../src/index.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { copyExample, needTool } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { codeOf, silent } from './quiet.js';

const go = needTool('go');
const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();
// the examples pin no toolchain download: the machine's go answers
process.env.GOTOOLCHAIN = 'local';

describe('initProject', { skip: go ? false : 'go not installed' }, () => {
  test('writes what generateFiles gives for the plan, and says so; a second run refuses, force overwrites', async () => {
    const dir = copyExample('hello-service');
    const run = await silent(() => initProject(dir));
    const expected = generateFiles(buildPlan(scanProject(dir)), { hasGoSum: false }).files;
    assert.deepEqual(
      run.files.map((f) => f.path),
      expected.map((f) => f.path),
    );
    assert.deepEqual(run.written, ['Dockerfile', '.dockerignore']);
    for (const f of expected) assert.equal(readFileSync(join(dir, f.path), 'utf8'), f.content, f.path);
    assert.equal(run.dryRun, false);
    assert.equal(run.paradigm, undefined);
    assert.equal(run.spec.paradigm, run.plan.recommended.paradigm);

    const before = statSync(join(dir, 'Dockerfile')).mtimeMs;
    assert.equal(await codeOf(() => initProject(dir, { paradigm: 'alpine' })), 'E_EXISTS');
    assert.equal(statSync(join(dir, 'Dockerfile')).mtimeMs, before);
    const forced = await silent(() => initProject(dir, { paradigm: 'alpine', force: true }));
    assert.equal(forced.paradigm, 'alpine');
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /^FROM alpine:\S+$/m);
  });

  test('dryRun decides the files (k8s, pprof, --output) and writes nothing', async () => {
    const dir = copyExample('hello-service');
    const was = listing(dir);
    const run = await silent(() => initProject(dir, { dryRun: true, k8s: true, pprof: true, output: 'deploy/Dockerfile' }));
    assert.deepEqual(listing(dir), was);
    assert.deepEqual(run.written, []);
    const paths = run.files.map((f) => f.path);
    assert.deepEqual(paths.slice(0, 2), ['deploy/Dockerfile', 'deploy/Dockerfile.dockerignore']);
    assert.ok(paths.includes('internal/admin/admin.go'));
    assert.ok(paths.some((p) => p.startsWith('k8s/')));
  });

  test('offline without vendor/: the real go mod vendor runs, then the plan is made from vendor/', async () => {
    const dir = copyExample('vendored');
    rmSync(join(dir, 'vendor'), { recursive: true });
    const run = await silent(() => initProject(dir, { offline: true }));
    assert.ok(existsSync(join(dir, 'vendor', 'modules.txt')));
    assert.equal(run.plan.vendor.present, true);
    assert.equal(run.spec.vendored, true);
    assert.match(readFileSync(join(dir, 'Dockerfile'), 'utf8'), /-mod=vendor/);
  });

  test('offline with no go to vendor with: E_USAGE, nothing written', async () => {
    const dir = copyExample('vendored');
    rmSync(join(dir, 'vendor'), { recursive: true });
    const was = listing(dir);
    assert.equal(await codeOf(() => initProject(dir, { offline: true, go: null })), 'E_USAGE');
    assert.deepEqual(listing(dir), was);
  });

  test('bad input: typed errors, nothing written', async () => {
    const dir = copyExample('hello-service');
    const was = listing(dir);
    assert.equal(await codeOf(() => initProject(dir, { paradigm: 'gentoo' })), 'E_USAGE');
    assert.equal(await codeOf(() => initProject(dir, { output: '../Dockerfile' })), 'E_USAGE');
    assert.equal(await codeOf(() => initProject(dir, { output: '/etc/Dockerfile' })), 'E_USAGE');
    assert.equal(await codeOf(() => initProject(dir, { binaries: ['nope'] })), 'E_USAGE');
    assert.equal(await codeOf(() => initProject(join(dir, 'missing'))), 'E_NOT_FOUND');
    assert.equal(await codeOf(() => initProject(join(dir, 'main.go'))), 'E_NOT_DIRECTORY');
    // a target that is a directory is not cured by force
    mkdirSync(join(dir, '.dockerignore'));
    assert.equal(await codeOf(() => initProject(dir, { force: true })), 'E_IS_DIRECTORY');
    rmSync(join(dir, '.dockerignore'), { recursive: true });
    assert.deepEqual(listing(dir), was);
    const empty = scratchDir('gk-init-empty-');
    assert.equal(await codeOf(() => initProject(empty)), 'E_NOT_FOUND');
    assert.deepEqual(readdirSync(empty), []);
  });
});

describe('diffInit', { skip: go ? false : 'go not installed' }, () => {
  test("the items are diffDockerfile's on the project's own Dockerfile with lint's findings; nothing written", async () => {
    const dir = copyExample('hello-service');
    const own =
      'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM debian:bookworm\nCOPY --from=0 /app /app\nENTRYPOINT ["/app"]\n';
    writeFileSync(join(dir, 'Dockerfile'), own);
    const was = listing(dir);
    const d = await silent(() => diffInit(dir));
    assert.equal(d.file, 'Dockerfile');
    const plan = buildPlan(scanProject(dir));
    const { specs } = generateFiles(plan, { hasGoSum: false });
    const expected = diffDockerfile(
      own,
      plan,
      specs,
      lintDockerfile(own, { file: join(dir, 'Dockerfile'), context: loadBuildContext(dir).context }),
    );
    assert.deepEqual(d.items, expected);
    assert.ok(d.items.some((i) => i.kind === 'runtime'));
    assert.ok(d.items.some((i) => i.kind === 'user'));
    assert.deepEqual(listing(dir), was);
  });

  test('no Dockerfile, or a directory in its place: typed errors', async () => {
    const dir = copyExample('hello-service');
    assert.equal(await codeOf(() => diffInit(dir)), 'E_NOT_FOUND');
    mkdirSync(join(dir, 'Dockerfile'));
    assert.equal(await codeOf(() => diffInit(dir)), 'E_IS_DIRECTORY');
    assert.equal(await codeOf(() => diffInit(dir, { output: '../x' })), 'E_USAGE');
  });
});
