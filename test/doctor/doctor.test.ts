/**
 * The doctor in controlled environments: a PATH assembled from chosen tools, explicit GO* variables,
 * GOENV=off so no user config leaks in. Each verdict is compared with what the go command (or the
 * shell) itself says in the same environment.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { runDoctor, type DoctorReport } from '../../src/doctor/doctor.js';
import { scanProject } from '../../src/project/scan.js';
import { GokilnError } from '../../src/errors.js';
import { copyExample, exampleDir, needTool, run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync('schemas/doctor.schema.json', 'utf8')) as object,
);

const GO = needTool('go');
const DEBIAN = 'ID=debian\nVERSION_ID="12"\n';

/** A bin directory holding only the named tools (symlinks to the real ones). */
function binWith(tools: string[]): string {
  const d = scratchDir('gokiln-bin-');
  for (const t of tools) {
    const real = needTool(t);
    assert.ok(real, `${t} needed to build the environment`);
    symlinkSync(real, join(d, t));
  }
  return d;
}

function envWith(path: string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const gopath = scratchDir('gokiln-gopath-');
  return {
    HOME: process.env.HOME,
    PATH: path.join(':'),
    GOENV: 'off',
    GOPATH: gopath,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    SHELL: '/bin/bash',
    ...extra,
  };
}

function check(r: DoctorReport, id: string) {
  const c = r.checks.filter((x) => x.id === id);
  assert.ok(c.length > 0, `no ${id} check in ${JSON.stringify(r.checks.map((x) => x.id))}`);
  return c[0]!;
}

function doctor(dir: string, env: NodeJS.ProcessEnv, opts: { musl?: boolean; osRelease?: string } = {}): DoctorReport {
  const r = runDoctor(dir, { env, platform: 'linux', osRelease: opts.osRelease ?? DEBIAN, musl: opts.musl });
  assert.ok(validate(r), JSON.stringify(validate.errors));
  for (const c of r.checks) if (c.status === 'fail') assert.ok(c.fix && c.fix.length > 0, `${c.id} fails without a fix`);
  return r;
}

const sh = (cmd: string, env: NodeJS.ProcessEnv, cwd?: string) => run('/bin/sh', ['-c', cmd], { env, cwd });

describe('doctor', { skip: GO ? false : 'go not installed' }, () => {
  test('no go on PATH: fails with the install steps, and points at the go that exists off PATH', () => {
    const env = envWith([binWith(['gcc'])]);
    assert.notEqual(sh('command -v go', env).status, 0, 'truth: the shell finds no go');
    const r = doctor(exampleDir('hello-service'), env);
    const c = check(r, 'go-on-path');
    assert.equal(c.status, 'fail');
    assert.match(c.fix!, /https:\/\/go\.dev\/dl\//);
    assert.match(c.fix!, /Go 1\.26 or newer/);
    assert.match(c.fix!, /~\/\.bashrc/);
    assert.equal(r.go.path, null);
    if (GO === '/usr/local/go/bin/go') {
      const off = check(r, 'go-installed-off-path');
      assert.equal(off.status, 'warn');
      assert.match(off.fix!, /\/usr\/local\/go\/bin/);
    }
  });

  test('GOPATH/bin not on PATH: warns with the PATH line for the shell; ok once it is', () => {
    const bin = binWith(['go']);
    const env = envWith([bin]);
    const gobin = join(env.GOPATH!, 'bin');
    assert.equal(
      run('go', ['env', 'GOPATH'], { env: { ...env, PATH: `${bin}:/usr/bin:/bin` } }).stdout.trim(),
      env.GOPATH,
      'truth: go env GOPATH',
    );
    const r = doctor(exampleDir('hello-service'), env);
    const c = check(r, 'gopath');
    assert.equal(c.status, 'warn');
    assert.equal(c.fix, `echo 'export PATH="$PATH:${gobin}"' >> ~/.bashrc && source ~/.bashrc`);
    assert.equal(check(doctor(exampleDir('hello-service'), { ...env, SHELL: '/usr/bin/fish' }), 'gopath').fix, `fish_add_path ${gobin}`);
    assert.match(check(doctor(exampleDir('hello-service'), { ...env, SHELL: '/bin/zsh' }), 'gopath').fix!, /~\/\.zshrc/);
    assert.equal(check(doctor(exampleDir('hello-service'), { ...env, PATH: `${bin}:${gobin}` }), 'gopath').status, 'ok');
  });

  test('GOTOOLCHAIN=local with a go.mod needing a newer Go: fails like go build does', () => {
    const env = envWith([binWith(['go'])]);
    const dir = exampleDir('needs-newer-go');
    const truth = run('go', ['build', '-o', join(scratchDir('gk-'), 'x'), '.'], { cwd: dir, env });
    assert.notEqual(truth.status, 0);
    const msg = /go: go\.mod requires go >= 1\.27\.0 \(running go [\d.]+; GOTOOLCHAIN=local\)/.exec(truth.stderr)?.[0];
    assert.ok(msg, truth.stderr);
    const c = check(doctor(dir, env), 'go-version');
    assert.equal(c.status, 'fail');
    assert.equal(c.message, msg);
    assert.match(c.fix!, /GOTOOLCHAIN=auto/);
    // auto would download the toolchain: a warning, and a failure when the proxy is off
    assert.equal(check(doctor(dir, { ...env, GOTOOLCHAIN: 'auto' }), 'go-version').status, 'warn');
    assert.match(check(doctor(dir, { ...env, GOTOOLCHAIN: 'auto' }), 'go-version').message, /download go1\.27\.3/);
    assert.equal(check(doctor(dir, { ...env, GOTOOLCHAIN: 'auto', GOPROXY: 'off' }), 'go-version').status, 'fail');
    // and a go.mod the local Go satisfies is ok
    assert.equal(check(doctor(exampleDir('hello-service'), env), 'go-version').status, 'ok');
  });

  test('toolchain line newer than the local Go: GOTOOLCHAIN=local ignores it (and go build works), auto would download it', () => {
    const dir = scratchDir('gokiln-tc-');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/tc\n\ngo 1.26\n\ntoolchain go1.27.3\n');
    writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
    const env = envWith([binWith(['go'])]);
    const truth = run('go', ['build', '-o', join(dir, 'x'), '.'], { cwd: dir, env });
    assert.equal(truth.status, 0, truth.stderr);
    const local = doctor(dir, env);
    assert.equal(check(local, 'go-version').status, 'ok');
    assert.equal(check(local, 'go-toolchain').status, 'warn');
    assert.match(check(local, 'go-toolchain').message, /ignores it/);
    const auto = check(doctor(dir, { ...env, GOTOOLCHAIN: 'auto' }), 'go-toolchain');
    assert.equal(auto.status, 'warn');
    assert.match(auto.message, /downloads it/);
    writeFileSync(join(dir, 'go.mod'), 'module example.com/tc\n\ngo 1.26\n\ntoolchain go1.26.0\n');
    assert.equal(check(doctor(dir, env), 'go-toolchain').status, 'ok');
  });

  test('GO111MODULE=off: fails; go itself ignores go.mod then (GOMOD is empty)', () => {
    const env = envWith([binWith(['go'])], { GO111MODULE: 'off' });
    const dir = exampleDir('hello-service');
    assert.equal(run('go', ['env', 'GOMOD'], { cwd: dir, env }).stdout.trim(), '', 'truth: module mode is off');
    assert.match(run('go', ['env', 'GOMOD'], { cwd: dir, env: { ...env, GO111MODULE: '' } }).stdout.trim(), /go\.mod$/);
    const c = check(doctor(dir, env), 'go111module');
    assert.equal(c.status, 'fail');
    assert.match(c.fix!, /unset GO111MODULE/);
    assert.equal(check(doctor(dir, { ...env, GO111MODULE: '' }), 'go111module').status, 'ok');
  });

  test('cgo needed without gcc: fails; go turns cgo off in that environment (CGO_ENABLED=0)', () => {
    const env = envWith([binWith(['go'])]);
    const dir = exampleDir('sqlite-cgo');
    assert.equal(run('go', ['env', 'CGO_ENABLED'], { env }).stdout.trim(), '0', 'truth: go finds no C compiler');
    const r = doctor(dir, env);
    const c = check(r, 'c-compiler');
    assert.equal(c.status, 'fail');
    assert.equal(c.fix, 'sudo apt-get install -y gcc libc6-dev');
    assert.equal(check(doctor(dir, env, { osRelease: 'ID=alpine\n' }), 'c-compiler').fix, 'apk add gcc musl-dev');
    const withGcc = envWith([binWith(['go', 'gcc'])]);
    assert.equal(run('go', ['env', 'CGO_ENABLED'], { env: withGcc }).stdout.trim(), '1');
    assert.equal(check(doctor(dir, withGcc), 'c-compiler').status, 'ok');
    // a pure-Go project needs no compiler at all
    assert.equal(check(doctor(exampleDir('hello-service'), env), 'cgo').status, 'ok');
  });

  test('pkg-config missing for #cgo pkg-config: fails; with it, the library is found', () => {
    const dir = exampleDir('png-cgo');
    const env = envWith([binWith(['go', 'gcc'])]);
    // truth: the shell finds no pkg-config there (go build's own failure can hide behind its build cache,
    // which keeps cgo flags from an earlier build)
    assert.notEqual(sh('command -v pkg-config', env).status, 0);
    const c = check(doctor(dir, env), 'pkg-config');
    assert.equal(c.status, 'fail');
    assert.equal(c.fix, 'sudo apt-get install -y pkg-config');
    const withPc = envWith([binWith(['go', 'gcc', 'pkg-config'])]);
    const ok = check(doctor(dir, withPc), 'pkg-config');
    assert.equal(ok.status, 'ok', ok.message);
    assert.equal(run('pkg-config', ['--exists', 'libpng'], { env: withPc }).status, 0);
  });

  test('--musl without musl-gcc fails; with it, ok', () => {
    const dir = exampleDir('sqlite-cgo');
    assert.equal(check(doctor(dir, envWith([binWith(['go', 'gcc'])]), { musl: true }), 'musl-gcc').status, 'fail');
    if (needTool('musl-gcc'))
      assert.equal(check(doctor(dir, envWith([binWith(['go', 'gcc', 'musl-gcc'])]), { musl: true }), 'musl-gcc').status, 'ok');
  });

  test('stale vendor/: fails with go mod vendor, as go list reports inconsistent vendoring', () => {
    const dir = copyExample('vendored');
    const env = envWith([binWith(['go'])], { GOPROXY: 'off' });
    assert.equal(check(doctor(dir, env), 'vendor').status, 'ok');
    writeFileSync(join(dir, 'go.mod'), readFileSync(join(dir, 'go.mod'), 'utf8').replace('uuid v1.6.0', 'uuid v1.5.0'));
    const truth = run('go', ['list', './...'], { cwd: dir, env });
    assert.match(truth.stderr, /inconsistent vendoring/);
    const c = check(doctor(dir, env), 'vendor');
    assert.equal(c.status, 'fail');
    assert.equal(c.fix, 'go mod vendor');
    assert.match(c.message, /go\.mod requires v1\.5\.0, vendor\/modules\.txt has v1\.6\.0/);
  });

  test('proxy settings: GOPROXY=off without vendor warns, GOSUMDB=off warns, GOFLAGS=-mod=vendor without vendor fails', () => {
    const bin = binWith(['go']);
    const dir = exampleDir('hello-service');
    assert.equal(check(doctor(dir, envWith([bin], { GOPROXY: 'off' })), 'goproxy').status, 'warn');
    assert.equal(check(doctor(dir, envWith([bin], { GOPROXY: 'direct' })), 'goproxy').status, 'warn');
    assert.equal(check(doctor(dir, envWith([bin], { GOSUMDB: 'off' })), 'gosumdb').status, 'warn');
    assert.equal(check(doctor(dir, envWith([bin], { GOFLAGS: '-mod=vendor' })), 'goflags').status, 'fail');
    assert.equal(check(doctor(exampleDir('vendored'), envWith([bin], { GOPROXY: 'off' })), 'goproxy').status, 'ok');
  });

  test('this machine with the ordinary environment: no failure for the pure-Go showcase', () => {
    const r = doctor(exampleDir('hello-service'), { ...process.env, GOTOOLCHAIN: 'local' });
    assert.deepEqual(
      r.checks.filter((c) => c.status === 'fail'),
      [],
    );
    assert.equal(r.go.version, run('go', ['env', 'GOVERSION']).stdout.trim());
  });
});

describe('doctor on bad input: typed errors, as plan and init give them', () => {
  const refused = (fn: () => unknown, code: string, message: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof GokilnError && e.code === code && message.test(e.message));

  test('a missing directory: E_NOT_FOUND; a file: E_NOT_DIRECTORY; plan says the same', () => {
    const d = scratchDir('gokiln-doc-');
    const file = join(d, 'main.go');
    writeFileSync(file, 'package main\n');
    refused(() => runDoctor(join(d, 'missing')), 'E_NOT_FOUND', /missing not found/);
    refused(() => runDoctor(file), 'E_NOT_DIRECTORY', /main\.go: not a directory/);
    refused(() => scanProject(file), 'E_NOT_DIRECTORY', /main\.go: not a directory/);
  });

  test(
    'a malformed go.mod: E_PARSE with the line the go command names; go.mod a directory: E_IS_DIRECTORY',
    { skip: GO ? false : 'go not installed' },
    () => {
      const d = scratchDir('gokiln-doc-');
      writeFileSync(join(d, 'go.mod'), 'module x\n\ngo 1.26\nrequire (\n  example.com/a\n)\n');
      const truth = run('go', ['mod', 'edit', '-json'], { cwd: d, env: { ...process.env, GOTOOLCHAIN: 'local' } });
      assert.notEqual(truth.status, 0);
      assert.match(truth.stderr, /go\.mod:5:\d+: usage: require module\/path v1\.2\.3/);
      refused(() => runDoctor(d), 'E_PARSE', /go\.mod:5: usage: require module\/path v1\.2\.3$/);
      const d2 = scratchDir('gokiln-doc-');
      mkdirSync(join(d2, 'go.mod'));
      refused(() => runDoctor(d2), 'E_IS_DIRECTORY', /go\.mod: is a directory/);
    },
  );

  test('a directory without go.mod is not an error: the toolchain is checked, the project checks are skipped', () => {
    const r = runDoctor(scratchDir('gokiln-doc-'));
    assert.ok(validate(r), JSON.stringify(validate.errors));
    assert.equal(check(r, 'go-mod').status, 'warn');
  });

  test(
    'a module init and plan refuse (no main package) still gets its toolchain and cgo checks',
    { skip: GO ? false : 'go not installed' },
    () => {
      const d = scratchDir('gokiln-doc-');
      writeFileSync(join(d, 'go.mod'), 'module example.com/lib\n\ngo 1.26\n');
      writeFileSync(
        join(d, 'lib.go'),
        'package lib\n\n// int one(void) { return 1; }\nimport "C"\n\nfunc One() int { return int(C.one()) }\n',
      );
      const r = doctor(d, { ...process.env, GOTOOLCHAIN: 'local' });
      assert.equal(check(r, 'go-mod').status, 'ok');
      assert.match(check(r, 'c-compiler').message, /cgo is needed \(example\.com\/lib\)/);
    },
  );
});
