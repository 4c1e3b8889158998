/**
 * `gokiln inspect` as a user runs it: a real process, its stdout/stderr and exit code. The JSON is
 * validated against schemas/inspect.schema.json; colour follows the terminal and NO_COLOR; an
 * inspected file is never executed (strace shows no execve but node's own).
 */
import { builtinModules } from 'node:module';
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FIXTURES, fixture, fixturesOfKind } from '../fixtures/index.js';
import { asNonRoot, unreadableCopy } from '../harness/nonroot.js';
import { missingTools } from '../truth/tools.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const CI = process.env.CI === 'true';

function gokiln(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ESC = /\x1b\[/;

describe('gokiln inspect (CLI)', () => {
  const binaries = [...fixturesOfKind('go'), ...fixturesOfKind('derived'), ...fixturesOfKind('npm')].map((n) => fixture(n));
  const bad = fixturesOfKind('bad')
    .filter((n) => n !== 'noperm')
    .map((n) => fixture(n));

  test('--json over every fixture validates against the schema; bad files get typed errors, the rest are reported', () => {
    const files = [...binaries, ...bad, '/nonexistent/gokiln'];
    const r = gokiln(['inspect', '--json', ...files]);
    assert.equal(r.code, 2, 'unreadable inputs make the exit code 2');
    const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      out.map((o) => o['file']),
      files,
      'one object per file, in order',
    );
    const schema = JSON.parse(readFileSync('schemas/inspect.schema.json', 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(out), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    for (const name of fixturesOfKind('bad').filter((n) => n !== 'noperm' && n !== 'ls')) {
      const o = out.find((x) => x['file'] === fixture(name)) as { error?: { code: string } };
      const recipe = FIXTURES[name];
      assert.equal(o.error?.code, recipe.kind === 'bad' ? recipe.expectedErrorCode : '', name);
    }
    const errLines = r.stderr.trim().split('\n');
    assert.equal(errLines.length, bad.length - 1 + 1, 'one stderr line per unreadable file (ls is readable)');
    // the one error form every command uses, led by the file
    assert.ok(
      errLines.every((l) => /^gokiln: E_[A-Z_]+: \/\S+[: ].+$/.test(l)),
      r.stderr,
    );
  });

  test("the package's bin is the bundle these tests run: it requires only Node's own modules, its own files and the native addon it keeps external", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      bin: Record<string, string>;
      version: string;
      dependencies: Record<string, string>;
    };
    // scripts/bundle.mjs keeps the xz reader's native addon out of the bundle; npm installs it as a dependency
    const external = ['@napi-rs/lzma'];
    for (const e of external) assert.ok(pkg.dependencies[e], `${e} is kept out of the bundle, so it must be a runtime dependency`);
    // an optional plug-in the CycloneDX library tries to require inside a try (XML output, which gokiln never asks for)
    const optional = ['xmlbuilder2'];
    assert.equal(fileURLToPath(new URL(`../../../${pkg.bin['gokiln']}`, import.meta.url)), CLI);
    const dir = join(CLI, '..');
    // every file is CommonJS (scripts/bundle.mjs): the bin, the worker and a bundle per verb
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), { type: 'commonjs' });
    const scripts = readdirSync(dir).filter((f) => /\.c?js$/.test(f));
    assert.ok(scripts.includes('inspect-worker.js') && scripts.some((f) => /^inspect-[A-Z0-9]+\.cjs$/.test(f)), scripts.join(' '));
    for (const file of scripts) {
      const text = readFileSync(join(dir, file), 'utf8');
      // compiles as a script: an ES module import or export left in it would be a syntax error
      assert.doesNotThrow(() => new Script(text.replace(/^#!/, '//'), { filename: file }), `${file} is CommonJS`);
      const imports = [...text.matchAll(/\brequire\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]!);
      assert.ok(imports.includes('node:url') || imports.includes('url'), `${file}: the requires are found`);
      const foreign = imports.filter(
        (i) =>
          !i.startsWith('node:') &&
          !builtinModules.includes(i) &&
          !external.includes(i) &&
          !optional.includes(i) &&
          !(i.startsWith('./') && existsSync(join(dir, i))),
      );
      assert.deepEqual(foreign, [], `${file} imports from outside the bundle`);
    }
    const r = gokiln(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  test('--jobs: one thread or three, the same output byte for byte; a bad count is a usage error', () => {
    const files = [...binaries, ...bad];
    const one = gokiln(['inspect', '--json', '-j', '1', ...files]);
    const three = gokiln(['inspect', '--json', '--jobs', '3', ...files]);
    assert.equal(one.code, 2);
    assert.equal(three.code, one.code);
    assert.equal(three.stdout, one.stdout);
    assert.equal(three.stderr, one.stderr);
    for (const v of ['0', '-1', '1.5', 'many']) {
      const r = gokiln(['inspect', '--jobs', v, fixture('static')]);
      assert.equal(r.code, 2, v);
      assert.match(r.stderr, /E_USAGE: --jobs wants a whole number/);
      assert.equal(r.stdout, '');
    }
  });

  test('--packages adds the sorted package list, which the schema allows', () => {
    const plain = JSON.parse(gokiln(['inspect', '--json', fixture('pprof')]).stdout) as Array<{ go: { packages?: string[] } }>;
    assert.equal(plain[0]?.go.packages, undefined);
    const r = gokiln(['inspect', '--json', '--packages', fixture('pprof')]);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as Array<{ go: { packages: string[] } }>;
    const pkgs = out[0]?.go.packages ?? [];
    for (const p of ['net/http/pprof', 'runtime', 'main', 'crypto/tls']) assert.ok(pkgs.includes(p), p);
    assert.deepEqual(pkgs, [...pkgs].sort());
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/inspect.schema.json', 'utf8')));
    assert.ok(validate(out), JSON.stringify(validate.errors?.slice(0, 5)));
  });

  test('human output leads with the verdict and has no colour when not a TTY', () => {
    const r = gokiln(['inspect', fixture('cgo-glibc')]);
    assert.equal(r.code, 0);
    assert.ok(!ESC.test(r.stdout));
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^! .*cgo-glibc.*dynamic, glibc \(\/lib64\/ld-linux-x86-64\.so\.2\) · needs GLIBC_2\.34/);
    assert.match(lines[1]!, /^  runs  on .*debian:bookworm/);
    assert.match(r.stdout, /fails on scratch.*\[no-interpreter\]\n\s+exec \/app: no such file or directory/);
    assert.match(
      r.stdout,
      /fails on debian:bullseye, ubuntu:20\.04 +\[glibc-too-old\]\n\s+\/app: \/lib\/x86_64-linux-gnu\/libc\.so\.6: version `GLIBC_2\.34' not found \(required by \/app\)/,
    );
  });

  test('colour on a terminal, none with NO_COLOR', (t) => {
    if (missingTools(['script']).length) {
      if (CI) assert.fail('script (util-linux) missing');
      return t.skip('script missing');
    }
    const cmd = `${process.execPath} ${CLI} inspect ${fixture('static')}`;
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' },
    });
    assert.ok(ESC.test(tty.stdout), 'coloured on a TTY');
    const plain = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm' },
    });
    assert.ok(!ESC.test(plain.stdout), 'no colour with NO_COLOR');
    assert.match(plain.stdout, /runs {2}on scratch/);
  });

  test('--runtime: exit 1 when the binary fails on a named runtime, 0 when it runs, 2 for an unknown name', () => {
    const fails = gokiln(['inspect', '--json', '--runtime', 'scratch,debian:bookworm', fixture('cgo-glibc')]);
    assert.equal(fails.code, 1);
    const v = JSON.parse(fails.stdout)[0].runtimes;
    assert.deepEqual(
      v.map((x: { name: string; verdict: string }) => [x.name, x.verdict]),
      [
        ['scratch', 'fails'],
        ['debian:bookworm', 'runs'],
      ],
    );
    // repeated flags add up, and the files after a flag stay files
    const repeated = gokiln([
      'inspect',
      '--json',
      '-r',
      'scratch',
      '--runtime',
      'debian:bookworm',
      fixture('cgo-glibc'),
      fixture('static'),
    ]);
    assert.equal(repeated.code, 1);
    assert.deepEqual(
      (JSON.parse(repeated.stdout) as Array<{ file: string; runtimes: Array<{ name: string }> }>).map((o) => [
        o.file,
        o.runtimes.map((x) => x.name),
      ]),
      [
        [fixture('cgo-glibc'), ['scratch', 'debian:bookworm']],
        [fixture('static'), ['scratch', 'debian:bookworm']],
      ],
    );
    assert.equal(gokiln(['inspect', '--runtime', 'distroless/static-debian12', fixture('static')]).code, 0);
    const unknown = gokiln(['inspect', '--runtime', 'alpine:2.1', fixture('static')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^gokiln: E_USAGE: unknown runtime "alpine:2\.1"/m);
    assert.equal(gokiln(['inspect', '--runtime', 'scratch,', fixture('static')]).code, 2);
  });

  test('usage errors: exit 2, one typed line on stderr, and with --json a JSON error on stdout', () => {
    const validateError = new Ajv2020({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync('schemas/error.schema.json', 'utf8')),
    );
    for (const args of [
      ['inspect', '--json'],
      ['inspect', '--json', '--bogus', fixture('static')],
      ['inspect', fixture('static'), '--runtime', 'bogus', '--json'],
      ['inspect', '--json', '--jobs', '0', fixture('static')],
    ]) {
      const r = gokiln(args);
      assert.equal(r.code, 2, args.join(' '));
      const out = JSON.parse(r.stdout) as { error: { code: string; message: string } };
      assert.ok(validateError(out), JSON.stringify(validateError.errors));
      assert.equal(out.error.code, 'E_USAGE', args.join(' '));
      assert.ok(out.error.message.length > 0);
    }
    // one line on stderr, in the form every error has, for commander's errors too (no usage dump)
    for (const [args, line] of [
      [['inspect', '--bogus', fixture('static')], "gokiln: E_USAGE: unknown option '--bogus' (see gokiln inspect --help)"],
      [['foo'], "gokiln: E_USAGE: unknown command 'foo' (see gokiln --help)"],
      [['size'], "gokiln: E_USAGE: missing required argument 'binary' (see gokiln size --help)"],
    ] as const) {
      const r = gokiln([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `${line}\n`);
    }
    const plain = gokiln(['inspect']);
    assert.equal(plain.code, 2);
    assert.equal(plain.stdout, '');
    assert.match(plain.stderr, /^gokiln: E_USAGE: inspect: give at least one file$/m);
  });

  test('no command at all is a usage error (exit 2); --help and --version are not', () => {
    const none = gokiln([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage: gokiln/);
    assert.equal(gokiln(['--help']).code, 0);
    assert.equal(gokiln(['inspect', '--help']).code, 0);
    assert.equal(gokiln(['--version']).code, 0);
    assert.equal(gokiln(['help']).code, 0);
    assert.equal(gokiln(['help', 'inspect']).code, 0);
    // the top-level help names only commands that exist
    const help = gokiln(['--help']).stdout;
    const listed = [...help.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]);
    assert.deepEqual(listed.filter((w) => w !== 'help').sort(), ['build', 'doctor', 'init', 'inspect', 'lint', 'plan', 'size', 'verify']);
  });

  test('a closed pipe ends the output quietly: no EPIPE stack trace', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${CLI}" inspect --json ${binaries.map((b) => `'${b}'`).join(' ')} | head -c 10 >/dev/null`,
      ],
      { encoding: 'utf8' },
    );
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at /, r.stderr);
    assert.equal(r.status, 0, r.stderr);
  });

  test('a named pipe is refused at once as not a regular file, not waited on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gk-fifo-'));
    try {
      const fifo = join(dir, 'fifo');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const r = spawnSync(process.execPath, [CLI, 'inspect', '--json', fifo, fixture('static')], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.signal, null, 'gokiln waited on the pipe');
      assert.equal(r.status, 2);
      const out = JSON.parse(r.stdout) as Array<{ file: string; error?: { code: string } }>;
      assert.equal(out[0]!.error?.code, 'E_NOT_BINARY');
      assert.equal(out[1]!.error, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--list-runtimes lists every runtime -r accepts with its spellings (schema), and -r takes each spelling', () => {
    const r = gokiln(['inspect', '--list-runtimes', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as Array<{ name: string; default: boolean; spellings: string[] }>;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/runtimes.schema.json', 'utf8')));
    assert.ok(validate(list), ajv.errorsText(validate.errors));
    const names = list.map((x) => x.name);
    for (const n of [
      'scratch',
      'distroless/static-debian12',
      'distroless/cc-debian13',
      'alpine:3.18',
      'alpine:3.24',
      'debian:bullseye',
      'debian:trixie',
      'ubuntu:18.04',
      'ubuntu:20.04',
      'ubuntu:24.04',
      'ubuntu:26.04',
    ]) {
      assert.ok(names.includes(n), n);
    }
    // every spelling on one command line: none is refused (E_USAGE, exit 2), each gets its verdict
    const spellings = list.flatMap((x) => x.spellings);
    const run = gokiln(['inspect', '--json', ...spellings.flatMap((s) => ['-r', s]), fixture('static')]);
    assert.equal(run.code, 0, run.stderr);
    const got = (JSON.parse(run.stdout) as Array<{ runtimes: Array<{ name: string; verdict: string }> }>)[0]!.runtimes;
    assert.equal(got.length, spellings.length);
    assert.ok(
      got.every((v) => v.verdict === 'runs'),
      'a static binary runs everywhere',
    );
    const text = gokiln(['inspect', '--list-runtimes']);
    for (const n of names) assert.match(text.stdout, new RegExp(`^[* ] ${n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`, 'm'));
  });

  test('go-sqlite3 built without cgo gets ✗, reason cgo-stub with the stub`s exact message, exit 1 with -r', () => {
    const bin = fixture('sqlite-nocgo');
    const text = gokiln(['inspect', bin]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.startsWith(`✗ ${bin}`), text.stdout.split('\n')[0]);
    assert.match(
      text.stdout,
      /fails on .*\[cgo-stub\]\n\s+Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work\. This is a stub\n/,
    );
    assert.doesNotMatch(text.stdout, /^\s+runs\s/m);
    const json = gokiln(['inspect', '--json', '-r', 'distroless/static-debian12,alpine:3.22', bin]);
    assert.equal(json.code, 1, 'a runtime named with -r fails');
    const v = (JSON.parse(json.stdout) as Array<{ runtimes: Array<{ verdict: string; reason: string; message: string }> }>)[0]!.runtimes;
    assert.deepEqual(
      v.map((x) => [x.verdict, x.reason, x.message]),
      Array(2).fill(['fails', 'cgo-stub', "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub"]),
    );
    // with cgo the same program runs where its libc is
    const withCgo = gokiln(['inspect', '--json', '-r', 'debian:bookworm', fixture('sqlite')]);
    assert.equal((JSON.parse(withCgo.stdout) as Array<{ runtimes: Array<{ verdict: string }> }>)[0]!.runtimes[0]!.verdict, 'runs');
  });

  test('-r gcr.io/distroless/static:nonroot and -r distroless/static are accepted (they were E_USAGE)', () => {
    const r = gokiln(['inspect', '--json', '-r', 'gcr.io/distroless/static:nonroot', '-r', 'distroless/static', fixture('static')]);
    assert.equal(r.code, 0, r.stderr);
    const v = (JSON.parse(r.stdout) as Array<{ runtimes: Array<{ name: string; verdict: string }> }>)[0]!.runtimes;
    assert.deepEqual(
      v.map((x) => [x.name, x.verdict]),
      [
        ['distroless/static-debian13:nonroot', 'runs'],
        ['distroless/static-debian13', 'runs'],
      ],
    );
  });

  test('a file it may not read: E_PERMISSION, exit 2, the other files still reported', () => {
    const p = unreadableCopy();
    try {
      const r = asNonRoot(process.execPath, [CLI, 'inspect', '--json', p, '/bin/true']);
      assert.equal(r.exitCode, 2, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out[0].error.code, 'E_PERMISSION');
      assert.equal(out[1].format, 'elf');
    } finally {
      rmSync(join(p, '..'), { recursive: true, force: true });
    }
  });

  test('never executes what it inspects (strace sees no execve of the inspected files)', (t) => {
    if (missingTools(['strace']).length) {
      if (CI) assert.fail('strace missing');
      return t.skip('strace missing');
    }
    const dir = mkdtempSync(join(tmpdir(), 'gokiln-noexec-'));
    try {
      // a program that would leave a mark if anything ran it
      const marker = join(dir, 'ran');
      const script = join(dir, 'x.sh');
      writeFileSync(script, `#!/bin/sh\ntouch ${marker}\n`);
      chmodSync(script, 0o755);
      const files = [fixture('static'), fixture('cgo-glibc'), fixture('musl-dynamic'), fixture('buf'), script];
      const r = spawnSync(
        'strace',
        ['-f', '-qq', '-e', 'trace=execve,execveat', '-o', join(dir, 'trace'), process.execPath, CLI, 'inspect', '--json', ...files],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      assert.equal(r.status, 2, 'the script is not a binary: exit 2');
      const trace = readFileSync(join(dir, 'trace'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => /execve/.test(l));
      assert.equal(trace.length, 1, `only node itself is exec'd:\n${trace.join('\n')}`);
      assert.ok(trace[0]!.includes(process.execPath));
      assert.ok(!existsSync(marker));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
