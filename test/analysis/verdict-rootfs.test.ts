/**
 * Every verdict against reality: each fixture is run in each stand-in root file system with bubblewrap,
 * once through a runc-like launcher (so the exact Docker message is compared) and once as the harness
 * runs it (so bwrap's own wording is mapped, not pretended away). Binary facts come from readelf/file/
 * `go tool nm`/`go version -m`, never from gokiln's parsers.
 *
 * A stand-in is described by its catalog runtime with the parts the rootfs really holds (CA bundle,
 * zoneinfo, /etc/passwd, libraries) read from the rootfs itself; its libc family, version and loader
 * must match the catalog, which is asserted first.
 */
import { test, describe, before } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:https';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { verdictFor, type BinaryFacts } from '../../src/analysis/verdict.js';
import { loaderFor, type RuntimeInfo } from '../../src/knowledge/runtimes.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { fixture, fixtureInfo } from '../fixtures/index.js';
import { bwrapArgs, ensureRootfs, runInRootfs, type RootfsName } from '../harness/rootfs.js';
import { failureMessage } from '../../src/knowledge/failure-messages.js';
import { factsByTools, rootfsSonames, runLikeDocker } from './verdict-truth.js';
import { goDepPaths } from '../truth/go-version-m.js';
import { readelfVersionDefsOf } from '../truth/readelf.js';
import { missingTools } from '../truth/tools.js';
import { inspectFile } from '../../src/analysis/inspect.js';
import type { InspectOk } from '../../src/analysis/types.js';
import { selfSignedCert } from '../harness/self-signed.js';

const CI = process.env.CI === 'true';
const TODAY = '2026-11-26';
/** The platform the stand-ins really run on: verdicts are asked for it, not for the binary's own arch. */
const HOST = process.arch === 'x64' ? 'amd64' : process.arch;

/** Stand-in rootfs → the catalog runtime it stands for. */
const STANDINS: Array<[RootfsName, string]> = [
  ['scratch', 'scratch'],
  ['distroless-static-like', 'distroless/static-debian12'],
  ['distroless-base-like', 'distroless/base-nossl-debian12'],
  ['glibc-bookworm', 'debian:bookworm'],
  ['glibc-bullseye', 'debian:bullseye'],
  ['musl', 'alpine:3.22'],
  ['alpine-like', 'alpine:3.22'],
];

/** Fixtures, the arguments that make their own code print a known line, and their unstripped twin for needs. */
const FIXTURE_RUNS: Array<{ name: string; args: string[]; expect: RegExp | null; twin?: string; hello?: boolean }> = [
  { name: 'static', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'static-stripped', args: ['ok'], expect: /^ok$/m, twin: 'static', hello: true },
  { name: 'cgo-glibc', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'musl-dynamic', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'musl-static', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'glibc-static', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'pie', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'arm64', args: ['ok'], expect: /^ok$/m, hello: true },
  // a 32-bit binary in images of the 64-bit platform: the kernel runs it (IA32 emulation)
  { name: 'linux-386', args: ['ok'], expect: /^ok$/m, hello: true },
  { name: 'windows-amd64', args: ['ok'], expect: /^ok$/m },
  { name: 'darwin-amd64', args: ['ok'], expect: /^ok$/m },
  { name: 'cshared', args: [], expect: null },
  { name: 'sqlite', args: [], expect: /^3\.\d+\.\d+$/m },
  // its job is the version line; built without cgo it starts and prints the stub's error instead
  { name: 'sqlite-nocgo', args: [], expect: /^3\.\d+\.\d+$/m },
  { name: 'tzdata', args: ['ok'], expect: /^ok$/m },
  { name: 'pprof', args: [], expect: /^ok$/m },
  { name: 'ls', args: ['--version'], expect: /GNU coreutils/ },
];

const LOADER_ERRORS =
  /^exec \/app: |error while loading shared libraries|version `[^']+' not found|Error loading shared library|Error relocating/m;

/** Did the program's own code run? (its known output, and no launcher or loader error) */
function ran(r: { stdout: string; stderr: string; signal: string | null }, expect: RegExp | null): boolean {
  if (r.signal || LOADER_ERRORS.test(r.stderr)) return false;
  return expect ? expect.test(r.stdout) || expect.test(r.stderr) : true;
}

const roots = new Map<RootfsName, string>();
const standins = new Map<RootfsName, RuntimeInfo>();
const facts = new Map<string, BinaryFacts>();

/** Does `p` exist inside `root`, following symlinks as the kernel would inside it (absolute targets too)? */
function hasFile(root: string, p: string, hops = 0): boolean {
  const full = join(root, p);
  let st;
  try {
    st = lstatSync(full);
  } catch {
    return false;
  }
  if (!st.isSymbolicLink()) return true;
  if (hops > 8) return false;
  const target = readlinkSync(full);
  return hasFile(root, target.startsWith('/') ? target : join(dirname(p), target), hops + 1);
}

/** The catalog runtime, with what the stand-in really holds read from its files. */
function standIn(root: string, rt: RuntimeInfo): RuntimeInfo {
  const libs = rootfsSonames(root);
  return {
    ...rt,
    caCerts: hasFile(root, 'etc/ssl/certs/ca-certificates.crt'),
    zoneinfo: hasFile(root, 'usr/share/zoneinfo/Europe/Berlin'),
    users: hasFile(root, 'etc/passwd') ? (rt.users ?? [{ name: 'root', uid: 0 }]) : null,
    shell: hasFile(root, 'bin/sh') ? '/bin/sh' : null,
    // glibc's libraries are what is on disk; musl answers libc names itself (muslProvides) and has no others here
    libraries: rt.libc.family === 'musl' ? [] : libs,
  };
}

/**
 * glibc release of a rootfs, from the banner libc.so.6 carries ("… release version 2.31."), and the
 * highest GLIBC_ symbol version it defines (readelf): 2.31 defines none newer than GLIBC_2.30, so the
 * release, not the verdef maximum, is what the catalog records.
 */
function glibcOfRootfs(root: string): { release: string; verdefMax: number } | null {
  for (const d of ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu']) {
    const p = join(root, d, 'libc.so.6');
    if (!existsSync(p)) continue;
    const release = /release version (\d+\.\d+)/.exec(readFileSync(p).toString('latin1'))?.[1] ?? '';
    const vs = readelfVersionDefsOf(p).flatMap((name) => {
      const m = /^GLIBC_2\.(\d+)\b/.exec(name);
      return m ? [Number(m[1])] : [];
    });
    return { release, verdefMax: Math.max(...vs) };
  }
  return null;
}

describe('verdicts against real runs in root file systems', () => {
  let ready = false;
  before(async () => {
    const missing = missingTools(['bwrap', 'readelf', 'file', 'go']);
    if (missing.length) {
      if (CI) throw new Error(`missing tools: ${missing.join(', ')}`);
      return;
    }
    for (const [name, rtName] of STANDINS) {
      const root = await ensureRootfs(name);
      roots.set(name, root);
      const rt = findRuntime(rtName);
      if (!rt) throw new Error(`no runtime ${rtName}`);
      standins.set(name, standIn(root, rt));
    }
    // modules from `go version -m`: a cgo-only module built without cgo decides the verdict (cgo-stub)
    for (const f of FIXTURE_RUNS)
      facts.set(f.name, { ...factsByTools(fixture(f.name), fixture(f.twin ?? f.name)), modules: goDepPaths(fixture(f.name)) });
    ready = true;
  });

  test('each stand-in has the libc and loader its catalog runtime says', (t) => {
    if (!ready) return t.skip('tools missing');
    for (const [name, rtName] of STANDINS) {
      const root = roots.get(name)!;
      const rt = findRuntime(rtName)!;
      const loader = loaderFor(rt, 'amd64');
      if (loader) assert.ok(hasFile(root, loader), `${name}: ${loader}`);
      else assert.ok(!hasFile(root, 'lib64/ld-linux-x86-64.so.2') && !hasFile(root, 'lib/ld-musl-x86_64.so.1'), `${name} has no loader`);
      if (rt.libc.family === 'glibc') {
        const g = glibcOfRootfs(root);
        assert.equal(g?.release, rt.libc.version, `${name} glibc release`);
        assert.ok(
          g && g.verdefMax <= Number(rt.libc.version!.split('.')[1]) && g.verdefMax >= Number(rt.libc.version!.split('.')[1]) - 1,
          `${name} verdef`,
        );
      }
    }
    // distroless base-nossl ships exactly libc6: the rootfs made of libc6 has the catalog's sonames
    const base = findRuntime('distroless/base-nossl-debian12')!;
    const onDisk = new Set(rootfsSonames(roots.get('distroless-base-like')!));
    for (const so of base.libraries) assert.ok(onDisk.has(so), `base-nossl ${so} on disk`);
  });

  test('the facts of every fixture are what its recipe built (readelf vs fixture truths)', (t) => {
    if (!ready) return t.skip('tools missing');
    const want: Record<string, Partial<BinaryFacts>> = {
      static: { linking: 'static', libc: 'none', interpreter: null },
      'cgo-glibc': { linking: 'dynamic', libc: 'glibc', interpreter: '/lib64/ld-linux-x86-64.so.2' },
      'musl-dynamic': { linking: 'dynamic', libc: 'musl', interpreter: '/lib/ld-musl-x86_64.so.1' },
      'musl-static': { linking: 'static', libc: 'none' },
      pie: { linking: 'dynamic', libc: 'glibc', needed: [] },
      arm64: { arch: 'arm64', linking: 'static' },
      cshared: { kind: 'shared-library' },
      'windows-amd64': { format: 'pe', os: 'windows' },
      'darwin-amd64': { format: 'macho', os: 'darwin' },
    };
    for (const [name, w] of Object.entries(want)) {
      const f = facts.get(name)!;
      for (const [k, v] of Object.entries(w)) assert.deepEqual((f as unknown as Record<string, unknown>)[k], v, `${name}.${k}`);
    }
    assert.equal(facts.get('cgo-glibc')!.cgo, fixtureInfo('cgo-glibc').recipe.kind === 'go' ? true : null);
  });

  for (const f of FIXTURE_RUNS) {
    test(`${f.name}: runs/fails and the message, in every stand-in`, (t) => {
      if (!ready) return t.skip('tools missing');
      const bin = fixture(f.name);
      const bf = facts.get(f.name)!;
      const rows: string[] = [];
      for (const [name] of STANDINS) {
        const root = roots.get(name)!;
        const rt = standins.get(name)!;
        const v = verdictFor(bf, rt, { today: TODAY, platform: HOST });
        const real = runLikeDocker(root, bin, f.args);
        const didRun = ran(real, f.expect);
        rows.push(
          `${name}: predicted ${v.verdict}/${v.reason}, real ${didRun ? 'runs' : 'fails'} (${real.stderr.trim().split('\n')[0] ?? ''})`,
        );
        assert.equal(v.verdict === 'runs', didRun, `${f.name} in ${name}: ${rows.at(-1)}\nstderr: ${real.stderr}`);
        if (v.verdict === 'runs') continue;

        const stderr = real.stderr.trimEnd();
        const bwrap = runInRootfs(root, bin, f.args);
        switch (v.reason) {
          case 'no-interpreter':
          case 'wrong-libc':
            // the launcher prints what runc prints; bwrap says the same through execvp
            assert.equal(stderr, v.message, `${f.name} in ${name}`);
            assert.equal(bwrap.stderr.trim(), 'bwrap: execvp /app: No such file or directory');
            break;
          case 'wrong-arch':
          case 'wrong-os':
            assert.equal(stderr, v.message, `${f.name} in ${name}`);
            // execvp(3) retries an ENOEXEC file with /bin/sh; without a shell in the root that is ENOENT
            assert.equal(
              bwrap.stderr.trim(),
              hasFile(root, 'bin/sh') ? 'bwrap: execvp /app: Exec format error' : 'bwrap: execvp /app: No such file or directory',
            );
            break;
          case 'glibc-too-old':
          case 'library-too-old':
          case 'missing-library':
            // printed by the loader itself: identical whoever starts the program
            assert.equal(stderr, v.message, `${f.name} in ${name}`);
            assert.equal(bwrap.stderr.trimEnd(), v.message);
            break;
          case 'cgo-stub':
            // the program's own code ran and printed the stub's error: the same whoever starts it
            assert.equal(stderr, v.message, `${f.name} in ${name}`);
            assert.equal(bwrap.stderr.trimEnd(), v.message);
            assert.equal(real.exitCode, 1);
            break;
          case 'not-executable':
            // a library: no x bit gives EACCES, with it the jump to entry 0 is a SIGSEGV
            assert.ok(stderr === 'exec /app: permission denied' || real.signal === 'SIGSEGV', stderr);
            break;
          default:
            assert.fail(`unexpected reason ${v.reason}`);
        }
      }
      t.diagnostic(rows.join('\n'));
    });
  }

  test('key parts of predicted messages appear in real stderr (GLIBC version, missing file, library)', (t) => {
    if (!ready) return t.skip('tools missing');
    const old = verdictFor(facts.get('cgo-glibc')!, standins.get('glibc-bullseye')!, { today: TODAY, platform: HOST });
    assert.equal(old.reason, 'glibc-too-old');
    const real = runLikeDocker(roots.get('glibc-bullseye')!, fixture('cgo-glibc'), ['ok']);
    assert.match(old.message ?? '', /version `GLIBC_2\.34' not found/);
    assert.match(real.stderr, /\/lib\/x86_64-linux-gnu\/libc\.so\.6: version `GLIBC_2\.34' not found \(required by \/app\)/);
    const ls = verdictFor(facts.get('ls')!, standins.get('glibc-bookworm')!, { today: TODAY, platform: HOST });
    assert.equal(ls.reason, 'missing-library');
    const lib = /libraries: (\S+):/.exec(ls.message ?? '')?.[1];
    assert.ok(lib);
    assert.ok(
      runLikeDocker(roots.get('glibc-bookworm')!, fixture('ls'), ['--version']).stderr.includes(`${lib}: cannot open shared object file`),
    );
  });

  test('gokiln`s own reading (inspect) gives the same facts, needs and verdicts as the tools', (t) => {
    if (!ready) return t.skip('tools missing');
    const rts = STANDINS.map(([name]) => standins.get(name)!);
    for (const f of FIXTURE_RUNS) {
      const r = inspectFile(fixture(f.name), { runtimes: [] });
      if ('error' in r) return assert.fail(`${f.name}: ${r.error.message}`);
      const ok = r as InspectOk;
      const mine: BinaryFacts = {
        format: ok.format,
        os: ok.os,
        arch: ok.arch,
        kind: ok.kind,
        linking: ok.linking,
        interpreter: ok.interpreter,
        libc: ok.libc,
        needed: ok.needed,
        glibcRequired: ok.glibcRequired,
        versionNeeds: ok.versionNeeds,
        needs: ok.needs,
        cgo: ok.go?.cgo ?? null,
        modules: ok.go?.deps.map((d) => d.path) ?? [],
      };
      const tools = facts.get(f.name)!;
      const fields = ['format', 'os', 'arch', 'kind', 'linking', 'interpreter', 'libc', 'needed', 'glibcRequired', 'versionNeeds'] as const;
      // libc of a static binary is not a loader fact (gokiln may name the libc compiled in; readelf cannot)
      if (tools.format === 'elf')
        for (const k of fields) if (!(k === 'libc' && tools.linking !== 'dynamic')) assert.deepEqual(mine[k], tools[k], `${f.name}.${k}`);
      if (ok.go && tools.format === 'elf') assert.deepEqual(mine.needs, tools.needs, `${f.name}.needs`);
      const a = rts.map((rt) => verdictFor(mine, rt, { today: TODAY, platform: HOST }));
      const b = rts.map((rt) => verdictFor(tools, rt, { today: TODAY, platform: HOST }));
      assert.deepEqual(
        a.map((v) => [v.name, v.verdict, v.reason, v.message]),
        b.map((v) => [v.name, v.verdict, v.reason, v.message]),
        f.name,
      );
    }
  });

  test('cgo-stub: sqlite built without cgo starts, then fails in the stub everywhere: ✗, with the stub`s exact message', (t) => {
    if (!ready) return t.skip('tools missing');
    const bf = { ...facts.get('sqlite-nocgo')!, modules: goDepPaths(fixture('sqlite-nocgo')) };
    for (const [name] of STANDINS) {
      const v = verdictFor(bf, standins.get(name)!, { today: TODAY, platform: HOST });
      assert.equal(v.verdict, 'fails', name);
      assert.equal(v.reason, 'cgo-stub', name);
      assert.ok(!v.warnings.some((w) => w.code === 'cgo-required'), 'a failure, not also a warning');
    }
    const withCgo = verdictFor({ ...facts.get('sqlite')!, modules: goDepPaths(fixture('sqlite')) }, standins.get('distroless-base-like')!, {
      today: TODAY,
      platform: HOST,
    });
    assert.equal(withCgo.verdict, 'runs');
    const real = runLikeDocker(roots.get('distroless-static-like')!, fixture('sqlite-nocgo'), []);
    assert.equal(real.stderr, "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub\n");
    assert.equal(verdictFor(bf, standins.get('distroless-static-like')!, { today: TODAY, platform: HOST }).message + '\n', real.stderr);
  });

  test('missing-library, glibc and musl wording: a C program needing libfoo.so.1', (t) => {
    if (!ready) return t.skip('tools missing');
    const missing = missingTools(['gcc', 'musl-gcc']);
    if (missing.length) return CI ? assert.fail(`missing ${missing.join(', ')}`) : t.skip('no C compilers');
    const dir = mkdtempSync(join(tmpdir(), 'gk-know-lib-'));
    try {
      writeFileSync(join(dir, 'foo.c'), 'int foo(void){return 7;}\n');
      writeFileSync(join(dir, 'm.c'), 'int foo(void);\nint main(void){return foo()==7?0:1;}\n');
      for (const [cc, sub] of [
        ['gcc', 'glibc'],
        ['musl-gcc', 'musl'],
      ] as const) {
        const d = join(dir, sub);
        mkdirSync(d);
        execFileSync(cc, ['-shared', '-fPIC', '-o', join(d, 'libfoo.so.1'), join(dir, 'foo.c'), '-Wl,-soname,libfoo.so.1']);
        execFileSync(cc, ['-o', join(d, 'm'), join(dir, 'm.c'), `-L${d}`, '-l:libfoo.so.1']);
      }
      for (const [sub, name] of [
        ['glibc', 'glibc-bookworm'],
        ['glibc', 'distroless-base-like'],
        ['musl', 'musl'],
      ] as const) {
        const bin = join(dir, sub, 'm');
        const f = factsByTools(bin);
        assert.deepEqual(f.needed.includes('libfoo.so.1'), true);
        const v = verdictFor(f, standins.get(name)!, { today: TODAY, platform: HOST });
        assert.equal(v.reason, 'missing-library', `${sub} in ${name}`);
        const real = runLikeDocker(roots.get(name)!, bin, []);
        assert.equal(real.exitCode, 127);
        // glibc stops at the first missing library; musl reports each, then the symbols it could not bind
        assert.ok(real.stderr.startsWith(v.message + '\n'), `${sub} in ${name}: predicted ${v.message}; real ${real.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('musl`s loader alone answers DT_NEEDED libc.so (a root holding only /lib/ld-musl-x86_64.so.1)', (t) => {
    if (!ready) return t.skip('tools missing');
    if (!existsSync('/lib/ld-musl-x86_64.so.1')) return CI ? assert.fail('musl (musl-tools) missing') : t.skip('no musl');
    const root = mkdtempSync(join(tmpdir(), 'gk-know-musl-'));
    try {
      for (const d of ['lib', 'tmp', 'dev', 'proc']) mkdirSync(join(root, d));
      writeFileSync(join(root, 'app'), '');
      copyFileSync(realpathSync('/lib/ld-musl-x86_64.so.1'), join(root, 'lib/ld-musl-x86_64.so.1'));
      const f = facts.get('musl-dynamic')!;
      assert.ok(f.needed.includes('libc.so'));
      const alpine = { ...findRuntime('alpine:3.22')!, libraries: [] };
      assert.equal(verdictFor(f, alpine, { today: TODAY, platform: HOST }).verdict, 'runs');
      const real = runLikeDocker(root, fixture('musl-dynamic'), ['ok']);
      assert.equal(real.stdout, 'ok\n', real.stderr);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('no-ca-certs message: a TLS client against a local server with its own CA, with and without that CA in the bundle', async (t) => {
    if (!ready) return t.skip('tools missing');
    if (missingTools(['openssl']).length) return CI ? assert.fail('openssl missing') : t.skip('no openssl');
    const dir = mkdtempSync(join(tmpdir(), 'gk-know-tls-'));
    const server = createServer();
    try {
      selfSignedCert(join(dir, 'k.pem'), join(dir, 'c.pem'));
      server.setSecureContext({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) });
      server.on('request', (_q, r) => r.end('hi'));
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
      const port = (server.address() as { port: number }).port;
      const get = (root: string, extra: string[]) => {
        const a = bwrapArgs(root, fixture('static'), []);
        a.pop();
        a.splice(1, 0, '--share-net'); // loopback of this test process, nothing else is listening
        a.push(...extra, '/app', 'get', `https://127.0.0.1:${port}/`);
        return new Promise<{ code: number | null; out: string }>((res) => {
          const c = spawn('bwrap', a);
          let out = '';
          c.stdout.on('data', (d: Buffer) => (out += d.toString()));
          c.stderr.on('data', (d: Buffer) => (out += d.toString()));
          c.on('close', (code) => res({ code, out }));
        });
      };
      const scratch = verdictFor(facts.get('static')!, standins.get('scratch')!, { today: TODAY, platform: HOST });
      const want = failureMessage('no-ca-certs')!.text;
      assert.ok(scratch.warnings.some((w) => w.code === 'no-ca-certs'));
      const bare = await get(roots.get('scratch')!, []);
      assert.equal(bare.code, 1);
      assert.ok(bare.out.includes(want), bare.out);
      // the same program trusts the server once the bundle distroless keeps at that path holds its CA
      const distroless = verdictFor(facts.get('static')!, standins.get('distroless-static-like')!, { today: TODAY, platform: HOST });
      assert.ok(!distroless.warnings.some((w) => w.code === 'no-ca-certs'));
      const trusted = await get(roots.get('distroless-static-like')!, [
        '--ro-bind',
        join(dir, 'c.pem'),
        '/etc/ssl/certs/ca-certificates.crt',
      ]);
      assert.equal(trusted.out.trim(), '200 OK');
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Warnings: each one checked by running the subcommand that needs the missing piece.
  const hello = FIXTURE_RUNS.filter((f) => f.hello);
  /**
   * Every (fixture, stand-in) pair whose verdict is `runs`: the program is run there like Docker would,
   * with `args`, and `check` compares the verdict with what happened. Returns the number of pairs checked.
   */
  function checkRunningPairs(
    fixtures: ReadonlyArray<{ name: string }>,
    args: string[],
    check: (f: string, rootName: string, v: ReturnType<typeof verdictFor>, real: ReturnType<typeof runLikeDocker>) => void,
  ): number {
    let checked = 0;
    for (const f of fixtures) {
      for (const [name] of STANDINS) {
        const v = verdictFor(facts.get(f.name)!, standins.get(name)!, { today: TODAY, platform: HOST });
        if (v.verdict !== 'runs') continue;
        check(f.name, name, v, runLikeDocker(roots.get(name)!, fixture(f.name), args));
        checked++;
      }
    }
    return checked;
  }

  test('no-zoneinfo ⇔ "unknown time zone Europe/Berlin"', (t) => {
    if (!ready) return t.skip('tools missing');
    const checked = checkRunningPairs([...hello, { name: 'tzdata' }], ['tz', 'Europe/Berlin'], (f, name, v, real) => {
      const predicted = v.warnings.some((w) => w.code === 'no-zoneinfo');
      assert.equal(predicted, real.stderr.includes('unknown time zone Europe/Berlin'), `${f} in ${name}: ${real.stderr}`);
      if (!predicted) assert.match(real.stdout, /^3600$/m, `${f} in ${name}: Berlin is UTC+1 in January`);
    });
    assert.ok(checked >= 20, `pairs checked: ${checked}`);
  });

  test('no-ca-certs ⇔ the system pool is empty', (t) => {
    if (!ready) return t.skip('tools missing');
    const checked = checkRunningPairs(hello, ['certs'], (f, name, v, real) => {
      assert.equal(
        v.warnings.some((w) => w.code === 'no-ca-certs'),
        real.stderr.includes('no system certificates'),
        `${f} in ${name}`,
      );
    });
    assert.ok(checked >= 15, `pairs checked: ${checked}`);
  });

  test('os-user ⇔ user.Current fails; runs-as-root ⇔ uid 0', (t) => {
    if (!ready) return t.skip('tools missing');
    const checked = checkRunningPairs(hello, ['user'], (f, name, v, real) => {
      const predicted = v.warnings.some((w) => w.code === 'os-user');
      assert.equal(predicted, real.exitCode !== 0, `${f} in ${name}: ${real.stderr}`);
      if (predicted) assert.match(real.stderr, /^user: /m);
      else
        assert.equal(
          v.warnings.some((w) => w.code === 'runs-as-root'),
          /^0 /.test(real.stdout),
          `${f} in ${name}: ${real.stdout}`,
        );
    });
    assert.ok(checked >= 15, `pairs checked: ${checked}`);
    // :nonroot runs as 65532, which distroless' /etc/passwd names
    const nonroot = findRuntime('distroless/static-debian12:nonroot')!;
    const v = verdictFor(
      facts.get('static')!,
      { ...standins.get('distroless-static-like')!, defaultUser: nonroot.defaultUser },
      { today: TODAY, platform: HOST },
    );
    assert.ok(!v.warnings.some((w) => w.code === 'runs-as-root'));
    const real = runLikeDocker(roots.get('distroless-static-like')!, fixture('static'), ['user'], { uid: nonroot.defaultUser.uid });
    assert.equal(real.stdout.trim(), `${nonroot.defaultUser.uid} ${nonroot.defaultUser.name}`);
  });
});
