// `gokiln lint` end to end in a child process (the lint command registered on a fresh commander program,
// so this test does not depend on the other commands building).
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, symlinkSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sarifValidator } from '../harness/sarif.js';
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

function gokiln(args: string[], opts: { cwd?: string; input?: string; asNobody?: boolean; timeout?: number } = {}) {
  // root reads any file, so the permission case runs the driver as nobody (setpriv, util-linux)
  const argv = [process.execPath, '--input-type=module', '-e', DRIVER, 'lint', ...args];
  const cmd = opts.asNobody ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
  const r = spawnSync(cmd[0]!, cmd.slice(1), {
    cwd: opts.cwd ?? process.cwd(),
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

let dir = '';
const CLEAN =
  'FROM golang:1.27-alpine3.24@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS b\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nUSER 65532\nENTRYPOINT ["/app"]\n';
const WARN =
  'FROM golang:1.27-alpine3.24@sha256:0000000000000000000000000000000000000000000000000000000000000000\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -a -o /app .\nFROM scratch\nCOPY --from=0 /app /app\nUSER 1\n';

describe('gokiln lint (CLI)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gk-lint-cli-'));
    mkdirSync(join(dir, 'svc', 'deploy'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'svc', 'Dockerfile'), CLEAN);
    writeFileSync(join(dir, 'svc', 'api.Dockerfile'), WARN);
    writeFileSync(
      join(dir, 'svc', 'deploy', 'Dockerfile.prod'),
      'FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n',
    );
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
    assert.deepEqual(
      rows.map((f) => [f.file, f.rule, f.line]),
      [['-', 'GK004', 2]],
    );
  });

  test('bad inputs become GK000 findings with a line; the other files are still linted; exit 2', () => {
    const r = gokiln(
      ['--format', 'json', 'bin.Dockerfile', 'broken.Dockerfile', 'missing', 'empty', 'args.Dockerfile', 'svc/api.Dockerfile'],
      { cwd: dir },
    );
    assert.equal(r.code, 2);
    const rows = JSON.parse(r.stdout) as { file: string; rule: string; line: number; message: string }[];
    const gk0 = rows.filter((f) => f.rule === 'GK000').map((f) => `${f.file}:${f.line}`);
    assert.deepEqual(gk0.sort(), ['args.Dockerfile:2', 'bin.Dockerfile:1', 'broken.Dockerfile:1', 'empty:1', 'missing:1']);
    assert.ok(rows.some((f) => f.file === 'svc/api.Dockerfile' && f.rule === 'GK004'));
    // the paths that could not be read also get the error line every command prints, with the one errno mapping
    assert.deepEqual(
      r.stderr
        .trim()
        .split('\n')
        .map((l) => l.replace(/^(gokiln: E_[A-Z_]+: \S+):.*/, '$1'))
        .sort(),
      ['gokiln: E_NOT_FOUND: broken.Dockerfile', 'gokiln: E_NOT_FOUND: missing'],
    );
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
    assert.deepEqual(
      rows.filter((f) => f.rule === 'GK000').map((f) => [f.file, f.line, f.message]),
      [['secret.Dockerfile', 1, 'cannot read (E_PERMISSION): permission denied']],
    );
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
    assert.deepEqual(
      rows.filter((f) => f.rule === 'GK004').map((f) => f.file),
      ['badmod/Dockerfile', 'badmod/b.Dockerfile'],
    );
  });

  test('--build-arg resolves FROM', () => {
    const r = gokiln(['--format', 'json', '--build-arg', 'BASE=alpine:3.24', 'args.Dockerfile'], { cwd: dir });
    const rows = JSON.parse(r.stdout) as { rule: string }[];
    assert.ok(!rows.some((f) => f.rule === 'GK000'));
    assert.ok(
      rows.some((f) => f.rule === 'GK003'),
      'alpine:3.24 is now seen and pinned by tag only',
    );
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

interface SarifLog {
  version: string;
  runs: {
    results: unknown[];
    invocations: {
      executionSuccessful: boolean;
      toolExecutionNotifications: { level: string; message: { text: string }; descriptor: { id: string } }[];
    }[];
  }[];
}

describe('gokiln lint (CLI): flags, discovery and early errors', () => {
  let d = '';
  before(() => {
    d = mkdtempSync(join(tmpdir(), 'gk-lint-cli2-'));
    writeFileSync(join(d, 'Dockerfile'), WARN);
    writeFileSync(join(d, 'bad.yaml'), 'lint:\n  ignore: 5\n');
    mkdirSync(join(d, 'man5'));
    // what podman installs as /usr/share/man/man5/Containerfile.5.gz, and the same page uncompressed
    const page =
      '.nh\n.TH "CONTAINERFILE" "5" "Aug 2016" "" "Container User Manuals"\n.SH NAME\nContainerfile - automate the steps of creating a container image\n';
    writeFileSync(join(d, 'man5', 'Containerfile.5.gz'), gzipSync(page));
    writeFileSync(join(d, 'man5', 'Dockerfile.5'), `.\\" Automatically generated by Pandoc\n${page}`);
    writeFileSync(join(d, 'man5', 'Dockerfile.zst'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]));
    writeFileSync(join(d, 'man5', 'Containerfile.swp'), Buffer.from('b0VIM 9.0\0\0\0'));
    writeFileSync(join(d, 'man5', 'Dockerfile.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
    mkdirSync(join(d, 'mixed'));
    writeFileSync(join(d, 'mixed', 'Containerfile.5.gz'), gzipSync('FROM scratch\n'));
    writeFileSync(join(d, 'mixed', 'Containerfile'), WARN);
  });
  after(() => rmSync(d, { recursive: true, force: true }));

  test('--json is --format json; with a different --format it is a usage error', () => {
    const a = gokiln(['--json', 'Dockerfile'], { cwd: d });
    const b = gokiln(['--format', 'json', 'Dockerfile'], { cwd: d });
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.deepEqual(
      (JSON.parse(a.stdout) as { rule: string }[]).map((f) => f.rule),
      ['GK004'],
    );
    assert.equal(gokiln(['--json', '--format', 'json', 'Dockerfile'], { cwd: d }).stdout, b.stdout);
    const both = gokiln(['--json', '--format', 'sarif', 'Dockerfile'], { cwd: d });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /E_USAGE: --json contradicts --format sarif/);
    // a config error with --json is a JSON document too
    const cfg = gokiln(['--json', '--config', 'bad.yaml', 'Dockerfile'], { cwd: d });
    assert.equal(cfg.code, 2);
    assert.equal((JSON.parse(cfg.stdout) as { error: { code: string } }).error.code, 'E_PARSE');
  });

  test('--context that does not exist or is not a directory: a typed error, exit 2, nothing linted', () => {
    const r = gokiln(['--context', join(d, 'nonexistent'), 'Dockerfile'], { cwd: d });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_NOT_FOUND: --context .*nonexistent: no such file or directory/);
    assert.equal(r.stdout, '');
    const f = gokiln(['--context', 'Dockerfile', 'Dockerfile'], { cwd: d });
    assert.equal(f.code, 2);
    assert.match(f.stderr, /E_NOT_DIRECTORY: --context Dockerfile: not a directory/);
    const ok = gokiln(['--context', '.', '--format', 'json', 'Dockerfile'], { cwd: d });
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('--today must be a real calendar day', () => {
    for (const bad of ['2024-13-45', '2024-00-10', '2023-02-29', '2024-04-31', '2024-1-01']) {
      const r = gokiln(['--today', bad, 'Dockerfile'], { cwd: d });
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /E_USAGE: --today wants a real day/, bad);
    }
    for (const good of ['2024-02-29', '2000-02-29', '2026-12-31'])
      assert.equal(gokiln(['--today', good, 'Dockerfile'], { cwd: d }).code, 0, good);
  });

  test('a directory search skips compressed, binary and man-page files named like Dockerfiles; a named one is still linted', () => {
    const none = gokiln(['--format', 'json', 'man5'], { cwd: d });
    assert.equal(none.code, 2);
    assert.deepEqual(
      (JSON.parse(none.stdout) as { file: string; message: string }[]).map((f) => [f.file, f.message]),
      [['man5', 'no Dockerfile found in this directory']],
    );
    const mixed = gokiln(['--format', 'json', 'mixed'], { cwd: d });
    assert.equal(mixed.code, 0, mixed.stdout);
    assert.deepEqual(
      (JSON.parse(mixed.stdout) as { file: string; rule: string }[]).map((f) => [f.file, f.rule]),
      [['mixed/Containerfile', 'GK004']],
    );
    const named = gokiln(['--format', 'json', 'man5/Containerfile.5.gz'], { cwd: d });
    assert.equal(named.code, 2);
    assert.deepEqual(
      (JSON.parse(named.stdout) as { rule: string; message: string }[]).map((f) => f.rule),
      ['GK000'],
    );
  });

  test('a named pipe or a device is refused, not read: no hang, GK000, exit 2; a directory search passes over a pipe', () => {
    const pipes = mkdtempSync(join(tmpdir(), 'gk-lint-fifo-'));
    try {
      assert.equal(spawnSync('mkfifo', [join(pipes, 'Dockerfile.dev')]).status, 0);
      writeFileSync(join(pipes, 'Dockerfile'), WARN);
      for (const target of [join(pipes, 'Dockerfile.dev'), '/dev/zero']) {
        const r = gokiln(['--format', 'json', target], { timeout: 20_000 });
        assert.equal(r.signal, null, `lint waited on ${target}`);
        assert.equal(r.code, 2);
        assert.deepEqual(
          (JSON.parse(r.stdout) as { rule: string; message: string }[]).map((f) => [f.rule, f.message]),
          [['GK000', 'not a regular file (a named pipe, socket or device), so not read']],
        );
      }
      const dirRun = gokiln(['--format', 'json', pipes], { timeout: 20_000 });
      assert.equal(dirRun.signal, null, 'the directory search opened the pipe');
      assert.deepEqual(
        (JSON.parse(dirRun.stdout) as { file: string; rule: string }[]).map((f) => f.rule),
        ['GK004'],
      );
    } finally {
      rmSync(pipes, { recursive: true, force: true });
    }
  });

  test('the man page podman installs is not picked up when its directory is searched', (t) => {
    const dir = '/usr/share/man/man5';
    let present: boolean;
    try {
      present = readdirSync(dir).some((n) => /^(Containerfile|Dockerfile)\./.test(n));
    } catch {
      present = false;
    }
    if (!present) {
      t.skip(`no Containerfile.* or Dockerfile.* man page in ${dir}`);
      return;
    }
    const r = gokiln(['--format', 'json', dir]);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { message: string }[]).map((f) => f.message),
      ['no Dockerfile found in this directory'],
    );
  });

  test('an error before linting with --format sarif is a valid SARIF log of a failed run; with json, an error object; exit 2', () => {
    const validate = sarifValidator();
    const cases: [string[], string, RegExp][] = [
      [['--config', 'bad.yaml'], 'E_PARSE', /bad\.yaml:2: `ignore` must be a list/],
      [['--config', 'missing.yaml'], 'E_NOT_FOUND', /config missing\.yaml: no such file or directory/],
      [['--failure-threshold', 'fatal'], 'E_USAGE', /--failure-threshold must be/],
      [['--today', '2024-13-45'], 'E_USAGE', /--today wants a real day/],
      [['--build-arg', '=x'], 'E_USAGE', /--build-arg wants NAME=value/],
      [['--context', 'nonexistent'], 'E_NOT_FOUND', /--context nonexistent: no such file or directory/],
    ];
    for (const [args, code, text] of cases) {
      const s = gokiln(['--format', 'sarif', ...args, 'Dockerfile'], { cwd: d });
      assert.equal(s.code, 2, args.join(' '));
      assert.match(s.stderr, new RegExp(code));
      const log = JSON.parse(s.stdout) as SarifLog;
      assert.ok(validate(log), JSON.stringify(validate.errors));
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      assert.deepEqual(log.runs[0]!.results, []);
      const inv = log.runs[0]!.invocations[0]!;
      assert.equal(inv.executionSuccessful, false);
      assert.equal(inv.toolExecutionNotifications.length, 1);
      const n = inv.toolExecutionNotifications[0]!;
      assert.equal(n.level, 'error');
      assert.equal(n.descriptor.id, code);
      assert.match(n.message.text, text);
      const j = gokiln(['--format', 'json', ...args, 'Dockerfile'], { cwd: d });
      assert.equal(j.code, 2);
      const doc = JSON.parse(j.stdout) as { error: { code: string; message: string } };
      assert.equal(doc.error.code, code);
      assert.match(doc.error.message, text);
      // tty: the error on stderr only
      const tty = gokiln([...args, 'Dockerfile'], { cwd: d });
      assert.equal(tty.code, 2);
      assert.equal(tty.stdout, '');
    }
  });
});
