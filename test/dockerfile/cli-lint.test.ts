// `gokiln lint` end to end in a child process (the lint command registered on a fresh commander program,
// so this test does not depend on the other commands building).
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveTool } from '../truth/tools.js';

const LINT = new URL('../../src/cli/lint.js', import.meta.url).href;
// the driver runs in a temporary directory, so commander is imported by its resolved URL
const COMMANDER = import.meta.resolve('commander');
const DRIVER = `
import { Command } from ${JSON.stringify(COMMANDER)};
import { registerLint } from ${JSON.stringify(LINT)};
const p = new Command('gokiln').exitOverride();
let code = 0;
registerLint(p, (c) => { code = Math.max(code, c); });
try { await p.parseAsync(process.argv.slice(1), { from: 'user' }); }
catch (e) { process.stderr.write('gokiln: ' + (e.code ?? '') + ': ' + e.message + '\\n'); code = 2; }
process.exitCode = code;
`;

function gokiln(args: string[], opts: { cwd?: string; input?: string; asNobody?: boolean } = {}) {
  // root reads any file, so the permission case runs the driver as nobody (setpriv, util-linux)
  const argv = [process.execPath, '--input-type=module', '-e', DRIVER, 'lint', ...args];
  const cmd = opts.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
  const r = spawnSync(cmd[0]!, cmd.slice(1), {
    cwd: opts.cwd ?? process.cwd(),
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
const CLEAN = 'FROM golang:1.27-alpine3.24@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS b\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]\n';
const WARN = 'FROM golang:1.27-alpine3.24@sha256:0000000000000000000000000000000000000000000000000000000000000000\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -a -o /app .\nUSER 1\n';

describe('gokiln lint (CLI)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gk-lint-cli-'));
    mkdirSync(join(dir, 'svc', 'deploy'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'svc', 'Dockerfile'), CLEAN);
    writeFileSync(join(dir, 'svc', 'api.Dockerfile'), WARN);
    writeFileSync(join(dir, 'svc', 'deploy', 'Dockerfile.prod'), 'FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n');
    writeFileSync(join(dir, 'svc', 'Containerfile'), CLEAN);
    writeFileSync(join(dir, 'svc', 'README.md'), '# not a Dockerfile\n');
    writeFileSync(join(dir, 'svc', 'Dockerfile.md'), '# notes on the Dockerfile\n');
    writeFileSync(join(dir, 'bin.Dockerfile'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'broken.Dockerfile'));
    writeFileSync(join(dir, 'args.Dockerfile'), 'ARG BASE\nFROM ${BASE}\nUSER 1\n');
    writeFileSync(join(dir, 'cfg.yaml'), 'lint:\n  ignore: [GK004]\n  failureThreshold: warning\n');
    writeFileSync(join(dir, 'secret.Dockerfile'), CLEAN);
    mkdirSync(join(dir, 'badmod'));
    writeFileSync(join(dir, 'badmod', 'go.mod'), 'module x\n\ngo 1.27\nrequire (\n  example.com/a\n');
    writeFileSync(join(dir, 'badmod', 'Dockerfile'), WARN);
    writeFileSync(join(dir, 'badmod', 'b.Dockerfile'), WARN);
    chmodSync(join(dir, 'secret.Dockerfile'), 0o000);
    chmodSync(dir, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a directory is searched for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile', () => {
    const r = gokiln(['--format', 'json', 'svc'], { cwd: dir });
    const files = new Set((JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file));
    assert.deepEqual([...files].sort(), ['svc/api.Dockerfile', 'svc/deploy/Dockerfile.prod']);
    const tty = gokiln(['svc'], { cwd: dir });
    assert.match(tty.stdout, /^4 Dockerfiles: /m);
  });

  test('exit code follows --failure-threshold', () => {
    assert.equal(gokiln(['svc/Dockerfile'], { cwd: dir }).code, 0);
    assert.equal(gokiln(['svc/api.Dockerfile'], { cwd: dir }).code, 0, 'warnings only, threshold error');
    assert.equal(gokiln(['--failure-threshold', 'warning', 'svc/api.Dockerfile'], { cwd: dir }).code, 1);
    assert.equal(gokiln(['--failure-threshold', 'info', 'svc/Dockerfile'], { cwd: dir }).code, 0);
    assert.equal(gokiln(['svc/deploy/Dockerfile.prod'], { cwd: dir }).code, 1, 'GK006 is an error');
    assert.equal(gokiln(['--failure-threshold', 'fatal', 'svc'], { cwd: dir }).code, 2);
  });

  test('--config: ignored rules and the threshold from the file', () => {
    const r = gokiln(['--config', 'cfg.yaml', '--format', 'json', 'svc/api.Dockerfile'], { cwd: dir });
    assert.deepEqual(JSON.parse(r.stdout), []);
    assert.equal(r.code, 0);
    const bad = gokiln(['--config', 'missing.yaml', 'svc'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /E_NOT_FOUND/);
  });

  test('standard input', () => {
    const r = gokiln(['--format', 'json', '-'], { cwd: dir, input: WARN });
    const rows = JSON.parse(r.stdout) as { file: string; rule: string; line: number }[];
    assert.deepEqual(rows.map((f) => [f.file, f.rule, f.line]), [['-', 'GK004', 2]]);
  });

  test('bad inputs become GK000 findings with a line; the other files are still linted; exit 2', () => {
    const r = gokiln(['--format', 'json', 'bin.Dockerfile', 'broken.Dockerfile', 'missing', 'empty', 'args.Dockerfile', 'svc/api.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 2);
    const rows = JSON.parse(r.stdout) as { file: string; rule: string; line: number; message: string }[];
    const gk0 = rows.filter((f) => f.rule === 'GK000').map((f) => `${f.file}:${f.line}`);
    assert.deepEqual(gk0.sort(), ['args.Dockerfile:2', 'bin.Dockerfile:1', 'broken.Dockerfile:1', 'empty:1', 'missing:1']);
    assert.ok(rows.some((f) => f.file === 'svc/api.Dockerfile' && f.rule === 'GK004'));
    assert.equal(r.stderr, '');
    // the human summary counts the files it linted and names the ones it could not read
    const tty = gokiln(['bin.Dockerfile', 'missing', 'svc/api.Dockerfile'], { cwd: dir });
    assert.equal(tty.code, 2);
    assert.match(tty.stdout, /^2 Dockerfiles \(1 path not linted\): \d+ error\(s\)/m);
  });

  test('an unreadable file is a GK000 finding; the others are still linted', (t) => {
    const root = process.getuid?.() === 0;
    // as root, only setpriv (util-linux) can make the file unreadable to gokiln
    if (root && !haveTool(t, 'setpriv')) return;
    const r = gokiln(['--format', 'json', 'secret.Dockerfile', 'svc/api.Dockerfile'], { cwd: dir, asNobody: root });
    assert.equal(r.code, 2, r.stderr);
    const rows = JSON.parse(r.stdout) as { file: string; rule: string; line: number; message: string }[];
    assert.deepEqual(rows.filter((f) => f.rule === 'GK000').map((f) => [f.file, f.line, f.message]), [['secret.Dockerfile', 1, 'cannot read: permission denied']]);
    assert.ok(rows.some((f) => f.file === 'svc/api.Dockerfile' && f.rule === 'GK004'));
  });

  test('a malformed go.mod is one GK000 finding naming go.mod; the Dockerfiles are still linted', () => {
    const r = gokiln(['--format', 'json', 'badmod'], { cwd: dir });
    assert.equal(r.code, 2);
    const rows = JSON.parse(r.stdout) as { file: string; rule: string; line: number }[];
    const gk0 = rows.filter((f) => f.rule === 'GK000');
    assert.equal(gk0.length, 1);
    assert.equal(gk0[0]!.file, 'badmod/go.mod');
    assert.ok(gk0[0]!.line >= 4);
    assert.deepEqual(rows.filter((f) => f.rule === 'GK004').map((f) => f.file), ['badmod/Dockerfile', 'badmod/b.Dockerfile']);
  });

  test('--build-arg resolves FROM', () => {
    const r = gokiln(['--format', 'json', '--build-arg', 'BASE=alpine:3.24', 'args.Dockerfile'], { cwd: dir });
    const rows = JSON.parse(r.stdout) as { rule: string }[];
    assert.ok(!rows.some((f) => f.rule === 'GK000'));
    assert.ok(rows.some((f) => f.rule === 'GK003'), 'alpine:3.24 is now seen and pinned by tag only');
  });

  test('--format sarif and github', () => {
    const s = JSON.parse(gokiln(['--format', 'sarif', 'svc/api.Dockerfile'], { cwd: dir }).stdout);
    assert.equal(s.version, '2.1.0');
    assert.equal(s.runs[0].results[0].ruleId, 'GK004');
    const g = gokiln(['--format', 'github', 'svc/api.Dockerfile'], { cwd: dir }).stdout;
    assert.match(g, /^::warning file=svc\/api\.Dockerfile,line=2,col=1,title=GK004::/m);
  });

  test('--list-rules', () => {
    const r = gokiln(['--list-rules', '--format', 'json']);
    const rules = JSON.parse(r.stdout) as { id: string; severity: string; title: string; explanation: string; fix: string }[];
    assert.ok(rules.length >= 23);
    assert.deepEqual(Object.keys(rules[0]!), ['id', 'severity', 'title', 'explanation', 'fix']);
    const text = gokiln(['--list-rules']).stdout;
    assert.match(text, /^GK022 {2}warning {2}/m);
  });
});
