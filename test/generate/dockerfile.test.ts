/**
 * Generated Dockerfiles: snapshot (a regression check), zero lint findings, and the builder stage's RUN
 * steps read from the Dockerfile TEXT and run here with `sh -c` (dockerfile-text.ts; the local Go stands
 * in for the builder image's), with the binary checked against the generator's spec by readelf, by
 * `go version -m`, by running it, and by gokiln inspect.
 */
import { test, describe, type TestContext } from 'node:test';
import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, PARADIGMS, type Plan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { concreteGoArgs, concreteGoEnv, type DockerfileSpec } from '../../src/generate/dockerfile.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { inspectFile, inspectSource } from '../../src/analysis/inspect.js';
import { FileSource } from '../../src/io/file-source.js';
import { type RuntimeInfo } from '../../src/knowledge/runtimes.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { GokilnError } from '../../src/errors.js';
import { ensureRootfs, runInRootfs, type RootfsName, type RunOptions } from '../harness/rootfs.js';
import { readStages, type TextStage } from './dockerfile-text.js';
import { EXAMPLES, TODAY, copyExample, exampleDir, matchSnapshot, needTool, run } from '../project/helpers.js';
import { IN_CI } from '../truth/tools.js';
// the same expected line and user as the engine's builds (test/engine): the only proof Alpine gets here
import { RUN_CHECK, SERVE_MS, VERSION, assertRan, assertUser, type RunCheck } from '../harness/expected-runs.js';
import { ensureMuslLibpng, MuslLibsUnavailable, rootfsWithLibs, type MuslLibs } from './musl-libpng.js';
import { scratchDir } from '../harness/scratch.js';

const haveGo = Boolean(needTool('go'));
const haveReadelf = Boolean(needTool('readelf'));

function planFor(dir: string): Plan {
  return buildPlan(scanProject(dir, { env: { ...process.env, GOTOOLCHAIN: 'local' } }), { today: TODAY });
}

function lintClean(dir: string, text: string, name: string): void {
  const { context } = loadBuildContext(dir);
  const findings = lintDockerfile(text, { file: name, context, today: TODAY });
  // the default threshold: nothing at warning or above; GK003 notes (info) that a tag is not a digest, which gokiln cannot resolve without a registry
  assert.deepEqual(
    findings.filter((f) => f.severity !== 'info' || f.rule !== 'GK003').map((f) => `${f.line} ${f.rule} ${f.message}`),
    [],
    `${name} has lint findings`,
  );
}

/** What `docker build` is given here: the target platform, and --build-arg VERSION. */
const PLATFORM = { os: 'linux', arch: 'amd64' } as const;
const BUILD_ARGS = { VERSION };

/** Package installs of the builder stage, not run here: the host's packages and musl-gcc stand in for them. */
const PACKAGE_INSTALL = /^(apk add|apt-get update)\b/;

interface TextBuild {
  out: string;
  stderr: string;
  status: number | null;
  /** the builder stage as read from the text */
  stage: TextStage;
  /** the commands run, with their line in the Dockerfile */
  ran: string[];
}

/**
 * Runs the RUN steps of the Dockerfile's builder stage, read from its TEXT (dockerfile-text.ts: joined
 * lines, BuildKit --mount flags removed, the stage's ARG/ENV values as docker build would set them with
 * --build-arg VERSION for linux/amd64), each with `sh -c` in `dir`, a copy of the project standing in for
 * WORKDIR after `COPY . .`. What differs from a docker build, and only that: the path `/out/` in the
 * commands is a fresh temp dir; package installs are not run (the host has gcc, libpng-dev; `muslLibs`
 * and CC=musl-gcc stand in for Alpine's `apk add gcc musl-dev <lib>-dev`); the local Go stands in for
 * the builder image's (GOTOOLCHAIN=local, as the golang images set it); GOPROXY=off, so modules come
 * from the local module cache or vendor/, never the network.
 */
function buildLikeDockerfile(dir: string, text: string, spec: DockerfileSpec, muslLibs?: MuslLibs): TextBuild {
  const out = scratchDir('gokiln-build-');
  const stages = readStages(text, { platform: PLATFORM, buildArgs: BUILD_ARGS });
  const froms = new Set(stages.flatMap((x) => x.copiesFrom.map((c) => c.from)));
  assert.equal(froms.size, 1, `binaries are copied from one builder stage: ${[...froms].join(' ')}`);
  const stage = stages.find((x) => x.name === [...froms][0])!;
  assert.ok(stage, `the stage COPY --from names: ${[...froms][0]}`);
  // nothing of the host's Go settings leaks in: the builder image has none of these set
  const base: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(CGO_\w+|GOOS|GOARCH|GOAMD64|GOFLAGS|GOPROXY|GOTOOLCHAIN|CC|CXX|PKG_CONFIG\w*)$/.test(k),
    ),
  );
  base.GOTOOLCHAIN = 'local';
  base.GOPROXY = 'off';
  // the golang Alpine image's gcc (apk add gcc musl-dev) targets musl; here musl-gcc plays that part
  if (spec.linking === 'musl') base.CC = 'musl-gcc';
  if (muslLibs) {
    // pkg-config finds the musl libpng.pc/zlib.pc where the builder image's `apk add libpng-dev` puts them
    // in /usr/lib/pkgconfig, and never the host's glibc ones
    base.PKG_CONFIG_LIBDIR = muslLibs.pkgConfigDir;
    base.PKG_CONFIG_PATH = muslLibs.pkgConfigDir;
    // Go's build cache keys a cgo package on the pkg-config tool, not on PKG_CONFIG_PATH, so flags from an
    // earlier pkg-config tree would be reused as they are; this tree gets a build cache of its own
    base.GOCACHE = join(muslLibs.prefix, '..', `gocache-${muslLibs.prefix.split('/').pop()}`);
  }
  const ran: string[] = [];
  for (const r of stage.runs) {
    if (PACKAGE_INSTALL.test(r.command)) continue;
    const command = r.command.replace(/(^|\s)\/out\//g, `$1${out}/`);
    ran.push(`${r.line}: ${command}`);
    const x = run('sh', ['-c', command], { cwd: dir, env: { ...base, ...r.env } });
    if (x.status !== 0) return { out, stderr: `Dockerfile line ${r.line}: ${command}\n${x.stderr}`, status: x.status, stage, ran };
  }
  return { out, stderr: '', status: 0, stage, ran };
}

const HOST_LIBDIR = '/lib/x86_64-linux-gnu';

/**
 * A copy of a glibc stand-in rootfs with the given sonames, and the libraries they need in turn, copied
 * from this Debian host's /lib/x86_64-linux-gnu — what `apt-get install <runtime package>` puts there.
 */
async function glibcRootfsWithLibs(root: string, sonames: string[]): Promise<{ dir: string; root: string; copied: string[] }> {
  const dir = scratchDir('gokiln-rootfs-glibc-libs-');
  const copy = join(dir, 'root');
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  const libdir = join(copy, HOST_LIBDIR);
  mkdirSync(libdir, { recursive: true });
  const copied: string[] = [];
  const queue = [...sonames];
  while (queue.length) {
    const so = queue.shift()!;
    if (existsSync(join(libdir, so)) || existsSync(join(copy, 'usr', HOST_LIBDIR, so))) continue;
    const host = join(HOST_LIBDIR, so);
    assert.ok(existsSync(host), `${so} is not installed on this host (its Debian runtime package is in .ci/run)`);
    copyFileSync(realpathSync(host), join(libdir, so));
    copied.push(so);
    queue.push(...elf(host).needed);
  }
  return { dir, root: copy, copied };
}

function elf(bin: string): { interp: string | null; needed: string[]; runpath: string[] } {
  const l = run('readelf', ['-lW', bin]).stdout;
  const d = run('readelf', ['-dW', bin]).stdout;
  const interp = /Requesting program interpreter: ([^\]]+)\]/.exec(l)?.[1] ?? null;
  return {
    interp,
    needed: [...d.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!),
    runpath: [...d.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[([^\]]+)\]/g)].map((m) => m[1]!),
  };
}

/**
 * The runtime as the Dockerfile leaves it: the image's libraries plus the sonames of each planned
 * library whose runtime packages (knowledge/cgo-libraries.ts, as the plan resolved them) the runtime
 * stage installs.
 */
function withRuntimePackages(rt: RuntimeInfo, spec: DockerfileSpec, plan: Plan): RuntimeInfo {
  const pkgsOf = (l: Plan['libraries'][number]) => (spec.paradigm === 'alpine' ? l.alpine.runtime : l.debian.runtime);
  const added = plan.libraries
    .filter((l) => pkgsOf(l).length > 0 && pkgsOf(l).every((p) => spec.runtimePackages.packages.includes(p)))
    .flatMap((l) => l.sonames);
  return { ...rt, libraries: [...new Set([...rt.libraries, ...added])] };
}

/** The harness root file system standing in for each runtime the generator writes. */
function standIn(spec: DockerfileSpec): RootfsName {
  if (spec.paradigm === 'alpine') return 'alpine-like';
  if (spec.paradigm === 'distroless') return spec.linking === 'static' ? 'distroless-static-like' : 'distroless-base-like';
  return 'glibc-bookworm';
}

const EXPECTED_INTERP = { static: null, glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' } as const;

/** The USER of the final stage that copies /out/<binary> (the last USER before its end). */
function userOfImage(text: string, binary: string): string | undefined {
  const stage = text.split(/^(?=FROM )/m).find((st) => new RegExp(`^COPY --from=\\S+ \\S*/${binary} `, 'm').test(st));
  return stage ? [...stage.matchAll(/^USER (\S+)$/gm)].at(-1)?.[1] : undefined;
}

/** A rootfs run's arguments and options for a check. */
function rootfsRun(check: RunCheck, user: { uid: number; gid: number }): [string[], RunOptions] {
  return check.serves ? [[], { uid: user.uid, gid: user.gid, timeoutMs: SERVE_MS }] : [check.args, { uid: user.uid, gid: user.gid }];
}

/**
 * A server's real answer on this host: in a network namespace of its own (bwrap --unshare-net, loopback
 * only, so :8080 never meets another process's port), node starts the binary, sends one GET to
 * 127.0.0.1:port until it answers, prints the body and stops the server.
 */
function serveOnHost(bin: string, serves: { port: number; path: string }): { status: number | null; stdout: string; stderr: string } {
  const client = `
const { spawn } = require('node:child_process');
const http = require('node:http');
const [bin, port, path] = process.argv.slice(1);
const server = spawn(bin, [], { stdio: ['ignore', 'ignore', 'pipe'] });
let err = '';
server.stderr.on('data', (d) => (err += d));
server.on('exit', (code) => { process.stderr.write('server exited ' + code + ': ' + err); process.exit(2); });
const deadline = Date.now() + 10000;
const get = () => http.get({ host: '127.0.0.1', port: Number(port), path }, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => { server.removeAllListeners('exit'); server.kill(); process.stdout.write(body); process.exit(res.statusCode === 200 ? 0 : 3); });
}).on('error', (e) => { if (Date.now() > deadline) { server.kill(); process.stderr.write(e.message); process.exit(4); } setTimeout(get, 50); });
get();
`;
  const args = [
    '--unshare-net',
    '--die-with-parent',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    bin,
    '/tmp/app',
    process.execPath,
    '-e',
    client,
    '/tmp/app',
    String(serves.port),
    serves.path,
  ];
  const r = run('bwrap', args);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * What the -ldflags did, read from the binary: `-s` drops .symtab, `-w` the DWARF .debug_* sections (readelf
 * -SW); `-X main.v=val` puts val into the binary when package main declares v (the linker ignores it otherwise).
 */
function assertLdflags(bin: string, ldflags: string, mainDir: string, name: string): void {
  const sections = [...run('readelf', ['-SW', bin]).stdout.matchAll(/^\s*\[\s*\d+\]\s+(\S+)/gm)].map((x) => x[1]!);
  assert.ok(sections.includes('.text'), `${name}: readelf -SW lists sections: ${sections.join(' ')}`);
  const words = ldflags.split(/\s+/);
  assert.equal(sections.includes('.symtab'), !words.includes('-s'), `${name}: .symtab with ldflags ${ldflags}`);
  assert.equal(
    sections.some((x) => /^\.z?debug_/.test(x)),
    !words.includes('-w') && !words.includes('-s'),
    `${name}: DWARF sections with ldflags ${ldflags}`,
  );
  const src = readdirSync(mainDir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => readFileSync(join(mainDir, f), 'utf8'))
    .join('\n');
  const bytes = readFileSync(bin);
  for (const x of ldflags.matchAll(/-X main\.(\w+)=(\S+)/g)) {
    const declared = new RegExp(`^\\s*var ${x[1]}\\b`, 'm').test(src);
    assert.equal(bytes.includes(x[2]!), declared, `${name}: -X main.${x[1]}=${x[2]} ${declared ? 'set' : 'ignored (no such var)'}`);
  }
}

/** The build settings `go version -m` recorded: `-ldflags` → its value, unquoted. */
function buildSettings(bin: string): Map<string, string> {
  const m = run('go', ['version', '-m', bin]);
  assert.equal(m.status, 0, m.stderr);
  const out = new Map<string, string>();
  for (const x of m.stdout.matchAll(/^\tbuild\t([^=\n]+)=(.*)$/gm))
    out.set(x[1]!, x[2]!.startsWith('"') ? (JSON.parse(x[2]!) as string) : x[2]!);
  return out;
}

/**
 * The musl builds of the system libraries a musl cgo build links (this glibc host has none; Alpine's
 * builder gets them from `apk add <lib>-dev`): built from Debian's sources by musl-libpng.ts. A missing
 * tool or a failed download fails under CI and skips elsewhere.
 */
async function muslLibsFor(t: TestContext, plan: Plan): Promise<MuslLibs | null | undefined> {
  const names = plan.libraries.map((l) => l.name);
  assert.ok(
    names.every((n) => n === 'libpng' || n === 'zlib'),
    `no musl build of ${names.join(', ')} here (musl-libpng.ts builds libpng and zlib)`,
  );
  try {
    return await ensureMuslLibpng();
  } catch (e) {
    if (!(e instanceof MuslLibsUnavailable) || IN_CI) throw e;
    t.skip(e.message);
    return null;
  }
}

describe("reading a Dockerfile's text (dockerfile-text.ts)", () => {
  test('continuations joined, comments inside them dropped, --mount removed; ARG from --build-arg or its default, platform ARGs once declared, ENV expanded', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG GLOBAL=1',
      'FROM --platform=$BUILDPLATFORM golang:1.26 AS build',
      'ENV A=x',
      'RUN echo early',
      'ARG TARGETOS',
      'ARG VERSION=dev',
      'ARG OTHER=o',
      'ENV GOFLAGS=-mod=vendor B="${A}y"',
      'RUN --mount=type=cache,target=/go/pkg/mod \\',
      '    --mount=type=cache,target=/root/.cache/go-build \\',
      '# a comment inside the continuation',
      '    CGO_ENABLED=0 GOOS=$TARGETOS \\',
      '    go build -o /out/ .',
      'FROM scratch',
      'COPY --from=build /out/app /app',
    ].join('\n');
    const [b, rt] = readStages(text, { platform: { os: 'linux', arch: 'arm64' }, buildArgs: { VERSION: 'v1' } });
    assert.equal(b!.name, 'build');
    assert.equal(b!.platform, '$BUILDPLATFORM');
    assert.deepEqual(b!.argDefaults, { TARGETOS: null, VERSION: 'dev', OTHER: 'o' });
    assert.deepEqual(
      b!.runs.map((r) => [r.line, r.command]),
      [
        [5, 'echo early'],
        [10, 'CGO_ENABLED=0 GOOS=$TARGETOS     go build -o /out/ .'],
      ],
    );
    assert.deepEqual(b!.runs[0]!.env, { A: 'x' });
    assert.deepEqual(b!.runs[1]!.env, { A: 'x', TARGETOS: 'linux', VERSION: 'v1', OTHER: 'o', GOFLAGS: '-mod=vendor', B: 'xy' });
    assert.deepEqual(rt!.copiesFrom, [{ from: 'build', src: '/out/app', dst: '/app' }]);
  });
});

describe('generated Dockerfiles', () => {
  test(
    'a paradigm the plan finds not viable is refused: png-cgo on distroless (no libpng16.so.16 there)',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const plan = planFor('examples/png-cgo');
      assert.equal(plan.alternatives.find((a) => a.paradigm === 'distroless')?.viable, false);
      assert.throws(
        () => generateFiles(plan, { paradigm: 'distroless', hasGoSum: false }),
        (e: unknown) => e instanceof GokilnError && e.code === 'E_UNSUPPORTED',
      );
    },
  );
  for (const ex of EXAMPLES) {
    for (const paradigm of PARADIGMS) {
      if (ex === 'png-cgo' && paradigm === 'distroless') continue;
      test(`${ex} --paradigm ${paradigm}: snapshot and zero lint findings`, { skip: haveGo ? false : 'go not installed' }, () => {
        const dir = exampleDir(ex);
        const { files, spec } = generateFiles(planFor(`examples/${ex}`), { paradigm, hasGoSum: existsSync(join(dir, 'go.sum')) });
        assert.equal(files[0]!.path, 'Dockerfile');
        matchSnapshot('generate', `${ex}.${paradigm}.Dockerfile`, files[0]!.content);
        matchSnapshot('generate', `${ex}.dockerignore`, files[1]!.content);
        lintClean(dir, files[0]!.content, `${ex}/${paradigm}`);
        // the text holds the spec: the builder, the runtime and each inline env assignment
        const text = files[0]!.content;
        assert.ok(text.startsWith('# syntax=docker/dockerfile:1\n'));
        assert.match(text, new RegExp(`^FROM (--platform=\\$BUILDPLATFORM )?${spec.builder.replace(/\./g, '\\.')} AS build$`, 'm'));
        assert.match(text, new RegExp(`^FROM ${spec.runtime.replace(/[.]/g, '\\.')}( AS runtime)?$`, 'm'));
        assert.match(text, /^ENTRYPOINT \["[^"]+"\]$/m);
        assert.match(text, /^USER \d+:\d+$/m);
      });
      if (ex === 'needs-newer-go') continue;
      test(
        `${ex} --paradigm ${paradigm}: the Dockerfile's go build, run here, gives the planned binary`,
        { skip: haveGo && haveReadelf ? false : 'go or readelf not installed' },
        async (t) => {
          const dir = exampleDir(ex);
          const plan = planFor(`examples/${ex}`);
          const { files, spec } = generateFiles(plan, { paradigm, hasGoSum: existsSync(join(dir, 'go.sum')) });
          const text = files[0]!.content;
          if (spec.linking === 'musl' && !needTool('musl-gcc')) return assert.fail('musl-gcc is needed to reproduce a musl cgo build');
          // musl and system libraries (png-cgo on Alpine): libpng and zlib built for musl stand in for libpng-dev
          const muslLibs = spec.linking === 'musl' && plan.libraries.length ? await muslLibsFor(t, plan) : undefined;
          if (muslLibs === null) return;
          const copy = copyExample(ex);
          let b: TextBuild;
          try {
            b = buildLikeDockerfile(copy, text, spec, muslLibs);
          } finally {
            rmSync(copy, { recursive: true, force: true });
          }
          assert.equal(b.status, 0, b.stderr);
          t.diagnostic(`ran from the Dockerfile text: ${b.ran.join(' | ')}`);
          // the text the build came from says what the spec says: its go build, ARG defaults, and the binaries COPY takes
          assert.ok(
            b.ran.some((c) => /\bgo build\b/.test(c)),
            `no go build among the RUN steps: ${b.ran.join(' | ')}`,
          );
          assert.deepEqual(Object.fromEntries(Object.entries(b.stage.argDefaults).filter(([, v]) => v !== null)), spec.goBuild.buildArgs);
          const copied = readStages(text, { platform: PLATFORM })
            .flatMap((x) => x.copiesFrom.map((c) => c.src))
            .sort();
          assert.deepEqual(copied, spec.binaries.map((x) => `${spec.goBuild.outDir}/${x.name}`).sort());
          const bins = readdirSync(b.out).sort();
          assert.deepEqual(bins, spec.binaries.map((x) => x.name).sort());
          // the settings the spec means, for linux/amd64 and --build-arg VERSION
          const wantEnv = concreteGoEnv(spec.goBuild, PLATFORM);
          const wantArgs = concreteGoArgs(spec.goBuild, '/out', BUILD_ARGS);
          const flag = (f: string) => wantArgs.find((a) => a.startsWith(`-${f}=`))?.slice(f.length + 2);
          for (const name of bins) {
            const bin = join(b.out, name);
            const e = elf(bin);
            assert.equal(e.interp, EXPECTED_INTERP[spec.linking], `${name}: PT_INTERP`);
            if (spec.linking === 'static') assert.deepEqual(e.needed, []);
            else
              assert.ok(
                e.needed.some((n) => n.startsWith('libc.so')),
                `${name} needs libc: ${e.needed}`,
              );
            for (const lib of plan.libraries)
              for (const so of lib.sonames) assert.ok(e.needed.includes(so), `${lib.name}: ${so} in DT_NEEDED ${e.needed}`);
            // no RUNPATH: the loader finds the libraries where the runtime image has them, never in a build tree
            assert.deepEqual(e.runpath, [], `${name}: RUNPATH/RPATH`);
            // build settings as the go command recorded them, against the spec
            const m = buildSettings(bin);
            assert.equal(m.get('-trimpath'), wantArgs.includes('-trimpath') ? 'true' : undefined, `${name}: -trimpath`);
            // under -trimpath the go command leaves -ldflags out of the build info (it may hold paths): the binary shows them
            assert.equal(m.get('-ldflags'), wantArgs.includes('-trimpath') ? undefined : flag('ldflags'), `${name}: -ldflags recorded`);
            assertLdflags(bin, flag('ldflags') ?? '', join(dir, plan.binaries.find((x) => x.binary === name)!.dir), name);
            assert.equal(m.get('-tags'), flag('tags'), `${name}: -tags`);
            assert.equal(m.get('CGO_ENABLED'), wantEnv.CGO_ENABLED, `${name}: CGO_ENABLED`);
            assert.equal(wantEnv.CGO_ENABLED, plan.cgo.required ? '1' : '0');
            assert.equal(m.get('GOOS'), wantEnv.GOOS ?? PLATFORM.os);
            assert.equal(m.get('GOARCH'), wantEnv.GOARCH ?? PLATFORM.arch);
            const check = RUN_CHECK[name] ?? RUN_CHECK[ex];
            assert.ok(check, `${name}: no RUN_CHECK entry, so it would never be run`);
            // the user the image runs as, read from the text: the engine's builds (test/engine) check the same
            assertUser(spec.user, { configUser: userOfImage(text, name) }, name, `${ex}/${paradigm}`);
            if (spec.linking === 'musl' && !existsSync(EXPECTED_INTERP.musl)) {
              // the musl package (.ci/run) puts the loader there: in CI a musl binary is always run
              assert.ok(!IN_CI, `${EXPECTED_INTERP.musl} is missing: install musl`);
              t.skip(`no musl loader at ${EXPECTED_INTERP.musl}: ${name} not run on this host`);
            } else if (check.serves) {
              if (needTool('bwrap')) {
                const r = serveOnHost(bin, check.serves);
                assert.equal(r.status, 0, `${name} serving: ${r.stderr}`);
                assert.match(r.stdout, check.serves.body);
              } else t.skip(`bwrap not installed: ${name} not served on this host`);
            } else {
              // the host's musl loader looks in /lib:/usr/local/lib:/usr/lib, where this host has no musl libpng
              const r = run(bin, check.args, muslLibs ? { env: { ...process.env, LD_LIBRARY_PATH: join(muslLibs.prefix, 'lib') } } : {});
              assert.equal(r.status, 0, r.stderr);
              assert.match(r.stdout, check.out);
            }
            // a real run in the harness rootfs that stands in for the runtime image, as the Dockerfile's USER
            if (needTool('bwrap')) {
              const root = await ensureRootfs(standIn(spec));
              const rr = runInRootfs(root, bin, ...rootfsRun(check, spec.user));
              const missing = plan.libraries.filter((l) => l.sonames.some((so) => rr.stderr.includes(so)));
              if (rr.exitCode !== 0 && missing.length) {
                // the stand-in holds libc only; the Dockerfile installs these libraries' runtime packages
                for (const l of missing)
                  for (const p of spec.paradigm === 'alpine' ? l.alpine.runtime : l.debian.runtime)
                    assert.ok(spec.runtimePackages.packages.includes(p), p);
                if (spec.linking !== 'musl') {
                  // and with those libraries in place (the host's own Debian builds of them, as the runtime
                  // package installs them) the binary really runs in the glibc stand-in
                  const w = await glibcRootfsWithLibs(
                    root,
                    missing.flatMap((l) => l.sonames),
                  );
                  try {
                    const yes = runInRootfs(w.root, bin, ...rootfsRun(check, spec.user));
                    assertRan(yes, check, `${name} in ${standIn(spec)} + ${w.copied.join(' ')}`);
                  } finally {
                    rmSync(w.dir, { recursive: true, force: true });
                  }
                }
              } else {
                assertRan(rr, check, `${name} in ${standIn(spec)}`);
              }
            }
            if (muslLibs && needTool('bwrap')) {
              // the musl rootfs without the libraries: musl's loader refuses, naming the first missing one
              const bare = await ensureRootfs('musl');
              const no = runInRootfs(bare, bin, ...rootfsRun(check, spec.user));
              assert.equal(no.exitCode, 127, `${name} in musl without libpng: ${no.stdout} ${no.stderr}`);
              const firstMissing = plan.libraries.flatMap((l) => l.sonames)[0]!;
              assert.ok(
                no.stderr.startsWith(`Error loading shared library ${firstMissing}: No such file or directory (needed by /app)\n`),
                no.stderr,
              );
              // with them in /usr/lib, as `apk add libpng` installs them (zlib's libz.so.1 is in the Alpine base)
              const w = await rootfsWithLibs(bare, muslLibs);
              try {
                const yes = runInRootfs(w.root, bin, ...rootfsRun(check, spec.user));
                assertRan(yes, check, `${name} in musl + ${muslLibs.describe}`);
                t.diagnostic(
                  `musl rootfs + musl libpng/zlib: ${JSON.stringify(yes.stdout)}; without them: ${JSON.stringify(no.stderr.split('\n')[0])}`,
                );
              } finally {
                rmSync(w.dir, { recursive: true, force: true });
              }
            }
            // gokiln inspect's verdict for the runtime image the Dockerfile uses
            // the image model reads the reference the Dockerfile writes (`gcr.io/distroless/static-debian13:nonroot`)
            const rt = findRuntime(spec.runtime)!.name;
            const ins = inspectFile(bin, { runtimes: [rt], today: new Date(`${TODAY}T00:00:00Z`) });
            assert.ok(!('error' in ins), JSON.stringify(ins));
            if (!('error' in ins)) {
              const v = ins.runtimes.find((x) => x.name === rt);
              if (v?.verdict === 'fails' && v.reason === 'missing-library') {
                // the bare runtime lacks a planned library: the Dockerfile must install exactly that package
                const lib = plan.libraries.find((l) => l.sonames.some((so) => v.message?.includes(so)));
                assert.ok(lib, `${name} on ${rt}: missing a library the plan does not know: ${v.message}`);
                const pkgs = spec.paradigm === 'alpine' ? lib.alpine.runtime : lib.debian.runtime;
                for (const p of pkgs) assert.ok(spec.runtimePackages.packages.includes(p), `${p} installed in the runtime`);
                // and the runtime as the Dockerfile leaves it (those packages installed) runs the binary
                const installed = withRuntimePackages(findRuntime(rt)!, spec, plan);
                const src = FileSource.open(bin);
                try {
                  const after = inspectSource(src, [installed], { today: new Date(`${TODAY}T00:00:00Z`) }).runtimes[0];
                  assert.equal(
                    after?.verdict,
                    'runs',
                    `${name} on ${rt} + ${spec.runtimePackages.packages.join(' ')}: ${after?.reason} ${after?.message}`,
                  );
                } finally {
                  src.close();
                }
              } else {
                assert.equal(v?.verdict, 'runs', `${name} on ${rt}: ${v?.reason} ${v?.message}`);
              }
              assert.equal(ins.linking === 'static', spec.linking === 'static');
            }
          }
        },
      );
    }
  }

  test(
    'needs-newer-go: the builder tag satisfies go.mod, and the local Go 1.26 refuses it the way a too-old builder would',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const dir = copyExample('needs-newer-go');
      const { files, spec } = generateFiles(planFor('examples/needs-newer-go'), { paradigm: 'distroless', hasGoSum: false });
      assert.equal(spec.builder, 'golang:1.27-trixie');
      const b = buildLikeDockerfile(dir, files[0]!.content, spec);
      rmSync(dir, { recursive: true, force: true });
      assert.notEqual(b.status, 0);
      assert.match(b.stderr, /go\.mod requires go >= 1\.27\.0 \(running go 1\.26\.\d+; GOTOOLCHAIN=local\)/);
    },
  );

  test(
    "needs-newer-go: with the Go 1.27 the builder image has (go.mod's toolchain, fetched through the Go module proxy), the build works and the binary runs on distroless/static",
    { skip: haveGo && haveReadelf ? false : 'go or readelf not installed' },
    async () => {
      const dir = exampleDir('needs-newer-go');
      const plan = planFor('examples/needs-newer-go');
      const { spec } = generateFiles(plan, { paradigm: 'distroless', hasGoSum: false });
      const out = scratchDir('gokiln-build-');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }),
        GOTOOLCHAIN: plan.go.toolchain!,
      };
      const r = run('go', concreteGoArgs(spec.goBuild, out, { VERSION }), { cwd: dir, env });
      assert.equal(r.status, 0, r.stderr);
      const bin = join(out, 'needs-newer-go');
      assert.match(run('go', ['version', bin]).stdout, /: go1\.27\.3\n$/);
      assert.equal(elf(bin).interp, null);
      const ins = inspectFile(bin, { runtimes: ['distroless/static-debian13'], today: new Date(`${TODAY}T00:00:00Z`) });
      assert.ok(!('error' in ins) && ins.runtimes[0]?.verdict === 'runs', JSON.stringify(ins));
      if (needTool('bwrap')) {
        const rr = runInRootfs(await ensureRootfs('distroless-static-like'), bin, [], { uid: 65532, gid: 65532 });
        assert.equal(rr.stdout, 'built with a Go 1.27 toolchain\n', rr.stderr);
      }
    },
  );
});

describe('--offline', () => {
  // sqlite-cgo once: every vendored copy recompiles the SQLite amalgamation (its directory is new)
  for (const [ex, paradigms] of [
    ['vendored', PARADIGMS],
    ['sqlite-cgo', ['distroless']],
  ] as const) {
    for (const paradigm of paradigms) {
      test(
        `${ex} --offline --paradigm ${paradigm}: lints clean, and its check step and build work with GOPROXY=off from vendor/`,
        { skip: haveGo && haveReadelf ? false : 'go or readelf not installed' },
        () => {
          const dir = copyExample(ex);
          if (!existsSync(join(dir, 'vendor'))) {
            // what init --offline does first; modules come from the local module cache, never the network
            const v = run('go', ['mod', 'vendor'], {
              cwd: dir,
              env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod' },
            });
            assert.equal(v.status, 0, v.stderr);
          }
          const plan = planFor(dir);
          const { files, spec } = generateFiles(plan, { paradigm, offline: true, hasGoSum: existsSync(join(dir, 'go.sum')) });
          if (ex === 'vendored') matchSnapshot('generate', `${ex}.${paradigm}.offline.Dockerfile`, files[0]!.content.replace(dir, '<dir>'));
          assert.doesNotMatch(files[1]!.content, /^vendor$/m, '.dockerignore must keep vendor/ for --offline');
          lintClean(dir, files[0]!.content, `${ex}/${paradigm}/offline`);
          assert.deepEqual(concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }).GOPROXY, 'off');
          const env = { ...process.env, GOTOOLCHAIN: 'local', ...concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }) };
          const check = run(spec.checkStep![0]!, spec.checkStep!.slice(1), { cwd: dir, env });
          assert.equal(check.status, 0, check.stderr);
          if (spec.linking === 'musl' && !needTool('musl-gcc')) return assert.fail('musl-gcc needed');
          // the text's own steps: the check step, then the go build, with the stage's ENV GOFLAGS=-mod=vendor GOPROXY=off
          const b = buildLikeDockerfile(dir, files[0]!.content, spec);
          assert.equal(b.status, 0, b.stderr);
          assert.deepEqual(
            b.ran.map((c) => /\bgo (\w+)/.exec(c)?.[1]),
            ['list', 'build'],
          );
          assert.deepEqual([b.stage.runs[0]!.env.GOFLAGS, b.stage.runs[0]!.env.GOPROXY], ['-mod=vendor', 'off']);
          const bin = join(b.out, spec.binaries[0]!.name);
          assert.equal(elf(bin).interp, EXPECTED_INTERP[spec.linking]);
          // built from vendor/: the go command records the vendored module without a checksum (module cache builds carry h1:)
          const deps = run('go', ['version', '-m', bin]).stdout.match(/^\tdep\t.*$/gm) ?? [];
          assert.ok(deps.length > 0 && deps.every((d) => !/\th1:/.test(d)), deps.join('\n'));
          rmSync(dir, { recursive: true, force: true });
        },
      );
    }
  }
  test(
    'a stale vendor/ makes the offline check step fail with "inconsistent vendoring"',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const dir = copyExample('vendored');
      run('sh', ['-c', "sed -i 's/uuid v1.6.0/uuid v1.5.0/' go.mod"], { cwd: dir });
      const { files, spec } = generateFiles(planFor(dir), { paradigm: 'distroless', offline: true, hasGoSum: true });
      const env = { ...process.env, GOTOOLCHAIN: 'local', ...concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }) };
      const check = run(spec.checkStep![0]!, spec.checkStep!.slice(1), { cwd: dir, env });
      assert.notEqual(check.status, 0);
      assert.match(check.stderr, /inconsistent vendoring/);
      // and the Dockerfile text stops at that step: its go build never runs
      const b = buildLikeDockerfile(dir, files[0]!.content, spec);
      assert.notEqual(b.status, 0);
      assert.match(b.stderr, /^Dockerfile line \d+: go list -deps \.\/\.\.\. > \/dev\/null\n[^]*inconsistent vendoring/);
      assert.equal(b.ran.length, 1);
      rmSync(dir, { recursive: true, force: true });
    },
  );
});
