/**
 * lintPaths (src/tasks/lint.ts) called as a library, no CLI: discovery, the config file, build contexts
 * read once, the threshold, and every error path as a typed GokilnError thrown before anything is read, or
 * a GK000 finding with its error. Findings are checked against lintDockerfile on the same text, the
 * function lintPaths is built on, and nothing may be printed.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CONFIG,
  discoverDockerfiles,
  knowledge,
  lintDockerfile,
  lintPaths,
  parseLintConfig,
  type Finding,
} from '../../src/index.js';
import { scratchDir } from '../harness/scratch.js';
import { codeOf, silent } from './quiet.js';

const WARN_ONLY =
  'FROM golang:1.27-alpine3.24@sha256:' + '0'.repeat(64) + '\nRUN go build -a -o /app .\nFROM scratch\nCOPY --from=0 /app /app\nUSER 1\n';
const ERROR = 'FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n';

let dir = '';
const home = process.cwd();
const files = (fs: Finding[]) => [...new Set(fs.map((f) => f.file))].sort();

describe('lintPaths', () => {
  before(() => {
    dir = scratchDir('gk-lint-paths-');
    mkdirSync(join(dir, 'svc', 'deploy'), { recursive: true });
    mkdirSync(join(dir, 'svc', 'node_modules', 'x'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'svc', 'Dockerfile'), WARN_ONLY);
    writeFileSync(join(dir, 'svc', 'deploy', 'Dockerfile.prod'), ERROR);
    writeFileSync(join(dir, 'svc', 'Containerfile'), WARN_ONLY);
    writeFileSync(join(dir, 'svc', 'Dockerfile.md'), '# notes\n');
    writeFileSync(join(dir, 'svc', 'node_modules', 'x', 'Dockerfile'), ERROR);
    writeFileSync(join(dir, 'svc', 'gz.Dockerfile'), Buffer.from([0x1f, 0x8b, 8, 0]));
    writeFileSync(join(dir, 'cfg.yaml'), 'lint:\n  ignore: [GK004]\n  failureThreshold: warning\n');
    writeFileSync(join(dir, 'bad.yaml'), 'lint:\n  ignore: 3\n');
    writeFileSync(join(dir, 'a-file'), 'x');
    mkdirSync(join(dir, 'badmod'));
    writeFileSync(join(dir, 'badmod', 'go.mod'), 'module x\n\ngo 1.27\nrequire (\n  example.com/a\n');
    writeFileSync(join(dir, 'badmod', 'Dockerfile'), WARN_ONLY);
    writeFileSync(join(dir, 'badmod', 'b.Dockerfile'), WARN_ONLY);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'broken.Dockerfile'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    // findings name paths relative to the working directory, as the CLI prints them
    process.chdir(dir);
  });
  after(() => process.chdir(home));

  test('a directory is searched: Dockerfile, Dockerfile.*, Containerfile; not *.md, compressed files or node_modules', async () => {
    const found = discoverDockerfiles(['svc']);
    assert.deepEqual(found.targets, ['svc/Containerfile', 'svc/Dockerfile', 'svc/deploy/Dockerfile.prod']);
    assert.deepEqual(found.problems, []);
    const run = await silent(() => lintPaths(['svc']));
    assert.equal(run.linted, 3);
    assert.equal(run.unreadable, 0);
    assert.deepEqual(run.errors, []);
    assert.equal(run.inputProblem, false);
  });

  test("findings are lintDockerfile's for each file, sorted; failed follows the threshold", async () => {
    const run = await silent(() => lintPaths(['svc/Dockerfile', 'svc/deploy/Dockerfile.prod']));
    const direct = ['svc/Dockerfile', 'svc/deploy/Dockerfile.prod'].flatMap((f) => lintDockerfile(readFileSync(f, 'utf8'), { file: f }));
    assert.ok(direct.length > 0);
    const key = (f: Finding) => JSON.stringify([f.file, f.line, f.column, f.rule, f.severity, f.message]);
    assert.deepEqual(run.findings.map(key).sort(), direct.map(key).sort());
    // in order: by file, then line
    for (let i = 1; i < run.findings.length; i++) {
      const [a, b] = [run.findings[i - 1]!, run.findings[i]!];
      assert.ok(a.file < b.file || (a.file === b.file && a.line <= b.line), `${key(a)} before ${key(b)}`);
    }
    // the error-free file fails only at a lower threshold; the other has an error (GK006: cgo binary on scratch)
    const warnOnly = await silent(() => lintPaths(['svc/Dockerfile']));
    assert.deepEqual([...new Set(warnOnly.findings.map((f) => f.severity))].includes('error'), false);
    assert.equal(warnOnly.failed, false);
    assert.equal(warnOnly.threshold, 'error');
    assert.equal((await silent(() => lintPaths(['svc/Dockerfile'], { failureThreshold: 'warning' }))).failed, true);
    const withError = await silent(() => lintPaths(['svc/deploy/Dockerfile.prod']));
    assert.ok(withError.findings.some((f) => f.rule === 'GK006' && f.severity === 'error'));
    assert.equal(withError.failed, true);
  });

  test('config: a file named, .gokiln.yaml in the working directory, or one passed as data', async () => {
    const named = await silent(() => lintPaths(['svc/Dockerfile'], { configFile: 'cfg.yaml' }));
    assert.equal(
      named.findings.some((f) => f.rule === 'GK004'),
      false,
    );
    assert.equal(named.threshold, 'warning');
    const plain = await silent(() => lintPaths(['svc/Dockerfile']));
    assert.ok(plain.findings.some((f) => f.rule === 'GK004'));
    writeFileSync('.gokiln.yaml', readFileSync('cfg.yaml'));
    try {
      const found = await silent(() => lintPaths(['svc/Dockerfile']));
      assert.deepEqual(found.findings, named.findings);
      // a config given as data wins over the file
      const given = await silent(() => lintPaths(['svc/Dockerfile'], { config: DEFAULT_CONFIG }));
      assert.deepEqual(given.findings, plain.findings);
    } finally {
      execFileSync('rm', ['.gokiln.yaml']);
    }
    const cfg = parseLintConfig('lint:\n  severity:\n    GK004: error\n');
    const upgraded = await silent(() => lintPaths(['svc/Dockerfile'], { config: cfg }));
    assert.ok(upgraded.findings.some((f) => f.rule === 'GK004' && f.severity === 'error'));
    assert.equal(upgraded.failed, true);
  });

  test('build arguments as NAME=value or a record; standard input through the stdin option', async () => {
    const text = 'ARG BASE\nFROM ${BASE}\nUSER 1\n';
    const unset = await silent(() => lintPaths(['-'], { stdin: () => text }));
    assert.ok(unset.findings.some((f) => f.file === '-' && f.rule === 'GK000' && f.severity === 'info'));
    const a = await silent(() => lintPaths(['-'], { stdin: () => text, buildArgs: ['BASE=alpine:3.20'] }));
    const b = await silent(() => lintPaths(['-'], { stdin: () => text, buildArgs: { BASE: 'alpine:3.20' } }));
    assert.deepEqual(a.findings, b.findings);
    assert.ok(a.findings.some((f) => f.rule === 'GK003' && /alpine:3\.20/.test(f.message)));
    assert.equal(
      a.findings.some((f) => f.rule === 'GK000'),
      false,
    );
  });

  test('paths that give nothing to lint: GK000 findings, typed errors for what the file system refused, the rest linted', async () => {
    const run = await silent(() => lintPaths(['missing', 'broken.Dockerfile', 'a-file/x', 'empty', 'pipe', 'svc/Dockerfile']));
    assert.equal(run.linted, 1);
    assert.equal(run.unreadable, 5);
    assert.equal(run.inputProblem, true);
    assert.deepEqual(
      run.errors.map((e) => [e.code, e.details.file]),
      [
        ['E_NOT_FOUND', 'missing'],
        ['E_NOT_FOUND', 'broken.Dockerfile'],
        ['E_NOT_DIRECTORY', 'a-file/x'],
      ],
    );
    const gk0 = run.findings.filter((f) => f.rule === 'GK000');
    assert.deepEqual(files(gk0), ['a-file/x', 'broken.Dockerfile', 'empty', 'missing', 'pipe']);
    assert.match(gk0.find((f) => f.file === 'empty')!.message, /no Dockerfile found/);
    assert.match(gk0.find((f) => f.file === 'pipe')!.message, /not a regular file/);
    assert.equal(gk0.find((f) => f.file === 'missing')!.message, 'cannot read (E_NOT_FOUND): no such file or directory');
    assert.ok(run.findings.some((f) => f.file === 'svc/Dockerfile' && f.rule === 'GK004'));
    // standard input that cannot be read is one of them too
    const stdin = await silent(() =>
      lintPaths(['-'], {
        stdin: () => {
          throw Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR' });
        },
      }),
    );
    assert.deepEqual(
      stdin.errors.map((e) => e.code),
      ['E_IS_DIRECTORY'],
    );
    assert.equal(stdin.linted, 0);
  });

  test('a build context is read once: a malformed go.mod is one GK000 for two Dockerfiles', async () => {
    const run = await silent(() => lintPaths(['badmod']));
    assert.equal(run.linted, 2);
    assert.deepEqual(
      run.findings.filter((f) => f.rule === 'GK000').map((f) => f.file),
      ['badmod/go.mod'],
    );
    assert.deepEqual(files(run.findings.filter((f) => f.rule === 'GK004')), ['badmod/Dockerfile', 'badmod/b.Dockerfile']);
    assert.equal(run.inputProblem, true);
  });

  test('bad options are typed errors before anything is read', async () => {
    assert.equal(await codeOf(() => lintPaths(['svc'], { failureThreshold: 'fatal' })), 'E_USAGE');
    assert.equal(await codeOf(() => lintPaths(['svc'], { buildArgs: ['=x'] })), 'E_USAGE');
    assert.equal(await codeOf(() => lintPaths(['svc'], { today: '2024-13-45' })), 'E_USAGE');
    assert.equal(await codeOf(() => lintPaths(['svc'], { context: 'nonexistent' })), 'E_NOT_FOUND');
    assert.equal(await codeOf(() => lintPaths(['svc'], { context: 'a-file' })), 'E_NOT_DIRECTORY');
    assert.equal(await codeOf(() => lintPaths(['svc'], { configFile: 'missing.yaml' })), 'E_NOT_FOUND');
    assert.equal(await codeOf(() => lintPaths(['svc'], { configFile: 'bad.yaml' })), 'E_PARSE');
    assert.equal(await codeOf(() => lintPaths(['svc'], { configFile: 'empty' })), 'E_IS_DIRECTORY');
    try {
      lintPaths(['svc'], { configFile: 'missing.yaml' });
    } catch (e) {
      assert.equal((e as Error).message, 'config missing.yaml: no such file or directory');
    }
  });

  test('today moves support dates: an Alpine release is out of support only after the end the knowledge records', async () => {
    const eol = knowledge.alpineRelease('3.20')!.eol!;
    const dayBefore = new Date(Date.parse(`${eol}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const text = 'FROM alpine:3.20\nUSER 1\n';
    const early = await silent(() => lintPaths(['-'], { stdin: () => text, today: dayBefore }));
    const late = await silent(() => lintPaths(['-'], { stdin: () => text, today: eol }));
    assert.equal(
      early.findings.some((f) => f.rule === 'GK022'),
      false,
    );
    assert.ok(late.findings.some((f) => f.rule === 'GK022' && /out of support/.test(f.message)));
  });
});
