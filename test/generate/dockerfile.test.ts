/**
 * Generated Dockerfiles: snapshot, zero lint findings, and the very `go build` each one would run,
 * executed here from the generator's structured spec (same env and flags; the local Go stands in for
 * the builder image's), with the binary checked by readelf, by running it, and by gokiln inspect.
 */
import { test, describe, type TestContext } from 'node:test';
import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, PARADIGMS, type Paradigm, type Plan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { concreteGoArgs, concreteGoEnv, inspectRuntimeName, type DockerfileSpec } from '../../src/generate/dockerfile.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { inspectFile, inspectSource } from '../../src/analysis/inspect.js';
import { FileSource } from '../../src/io/file-source.js';
import { findRuntime, type RuntimeInfo } from '../../src/knowledge/runtimes.js';
import { GokilnError } from '../../src/errors.js';
import { ensureRootfs, runInRootfs, type RootfsName } from '../harness/rootfs.js';
import { EXAMPLES, TODAY, copyExample, exampleDir, matchSnapshot, needTool, run } from '../project/helpers.js';
import { IN_CI } from '../truth/tools.js';
import { ensureMuslLibpng, MuslLibsUnavailable, rootfsWithLibs, type MuslLibs } from './musl-libpng.js';

const VERSION = 'v9.9.9-gokiln';
const haveGo = Boolean(needTool('go'));
const haveReadelf = Boolean(needTool('readelf'));

function planFor(dir: string): Plan {
  return buildPlan(scanProject(dir, { env: { ...process.env, GOTOOLCHAIN: 'local' } }), { today: TODAY });
}

function lintClean(dir: string, text: string, name: string): void {
  const { context } = loadBuildContext(dir);
  const findings = lintDockerfile(text, { file: name, context, today: TODAY });
  assert.deepEqual(findings.map((f) => `${f.line} ${f.rule} ${f.message}`), [], `${name} has lint findings`);
}

/**
 * Runs the Dockerfile's go build on this machine for linux/amd64 and returns the output dir. `muslLibs`:
 * the musl builds of the system libraries, standing in for the builder's `apk add <lib>-dev`.
 */
function buildLikeDockerfile(dir: string, spec: DockerfileSpec, muslLibs?: MuslLibs): { out: string; stderr: string; status: number | null } {
  const out = mkdtempSync(join(tmpdir(), 'gokiln-build-'));
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local', ...concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }) };
  // the golang Alpine image's gcc targets musl; here musl-gcc plays that part
  if (spec.linking === 'musl') env.CC = 'musl-gcc';
  if (muslLibs) {
    // the only addition to the generator's env: pkg-config finds the musl libpng.pc/zlib.pc where the
    // builder image's `apk add libpng-dev` puts them in /usr/lib/pkgconfig, and never the host's glibc ones
    env.PKG_CONFIG_LIBDIR = muslLibs.pkgConfigDir;
    env.PKG_CONFIG_PATH = muslLibs.pkgConfigDir;
    // Go's build cache keys a cgo package on the pkg-config tool, not on PKG_CONFIG_PATH, so flags from an
    // earlier pkg-config tree would be reused as they are; this tree gets a build cache of its own
    env.GOCACHE = join(muslLibs.prefix, '..', `gocache-${muslLibs.prefix.split('/').pop()}`);
  }
  const r = run('go', concreteGoArgs(spec.goBuild, out, { VERSION }), { cwd: dir, env });
  return { out, stderr: r.stderr, status: r.status };
}

const HOST_LIBDIR = '/lib/x86_64-linux-gnu';

/**
 * A copy of a glibc stand-in rootfs with the given sonames, and the libraries they need in turn, copied
 * from this Debian host's /lib/x86_64-linux-gnu — what `apt-get install <runtime package>` puts there.
 */
async function glibcRootfsWithLibs(root: string, sonames: string[]): Promise<{ dir: string; root: string; copied: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-rootfs-glibc-libs-'));
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
  const added = plan.libraries.filter((l) => pkgsOf(l).length > 0 && pkgsOf(l).every((p) => spec.runtimePackages.packages.includes(p))).flatMap((l) => l.sonames);
  return { ...rt, libraries: [...new Set([...rt.libraries, ...added])] };
}

/** The harness root file system standing in for each runtime the generator writes. */
function standIn(spec: DockerfileSpec): RootfsName {
  if (spec.paradigm === 'alpine') return 'alpine-like';
  if (spec.paradigm === 'distroless') return spec.linking === 'static' ? 'distroless-static-like' : 'distroless-base-like';
  return 'glibc-bookworm';
}

const EXPECTED_INTERP = { static: null, glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' } as const;

/** What running each example's binary prints (a real run on this host), proving it works and -X took. */
const RUN_CHECK: Record<string, { args: string[]; out: RegExp }> = {
  'hello-service': { args: ['-version'], out: new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\n$`) },
  vendored: { args: [], out: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/ },
  'sqlite-cgo': { args: [], out: /^sqlite 3\.\d+\.\d+\n$/ },
  'png-cgo': { args: [], out: /^libpng 1\.6\.\d+ \(header 1\.6\.\d+\)\n$/ },
  worker: { args: [], out: /^hello, \S+\n$/ },
};

/**
 * The musl builds of the system libraries a musl cgo build links (this glibc host has none; Alpine's
 * builder gets them from `apk add <lib>-dev`): built from Debian's sources by musl-libpng.ts. A missing
 * tool or a failed download fails under CI and skips elsewhere.
 */
async function muslLibsFor(t: TestContext, plan: Plan): Promise<MuslLibs | null | undefined> {
  const names = plan.libraries.map((l) => l.name);
  assert.ok(names.every((n) => n === 'libpng' || n === 'zlib'), `no musl build of ${names.join(', ')} here (musl-libpng.ts builds libpng and zlib)`);
  try {
    return await ensureMuslLibpng();
  } catch (e) {
    if (!(e instanceof MuslLibsUnavailable) || IN_CI) throw e;
    t.skip(e.message);
    return null;
  }
}

describe('generated Dockerfiles', () => {
  test('a paradigm the plan finds not viable is refused: png-cgo on distroless (no libpng16.so.16 there)', { skip: haveGo ? false : 'go not installed' }, () => {
    const plan = planFor('examples/png-cgo');
    assert.equal(plan.alternatives.find((a) => a.paradigm === 'distroless')?.viable, false);
    assert.throws(() => generateFiles(plan, { paradigm: 'distroless', hasGoSum: false }), (e: unknown) => e instanceof GokilnError && e.code === 'E_UNSUPPORTED');
  });
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
      test(`${ex} --paradigm ${paradigm}: the Dockerfile's go build, run here, gives the planned binary`, { skip: haveGo && haveReadelf ? false : 'go or readelf not installed' }, async (t) => {
        const dir = exampleDir(ex);
        const plan = planFor(`examples/${ex}`);
        const { spec } = generateFiles(plan, { paradigm, hasGoSum: existsSync(join(dir, 'go.sum')) });
        if (spec.linking === 'musl' && !needTool('musl-gcc')) return assert.fail('musl-gcc is needed to reproduce a musl cgo build');
        // musl and system libraries (png-cgo on Alpine): libpng and zlib built for musl stand in for libpng-dev
        const muslLibs = spec.linking === 'musl' && plan.libraries.length ? await muslLibsFor(t, plan) : undefined;
        if (muslLibs === null) return;
        const b = buildLikeDockerfile(dir, spec, muslLibs);
        assert.equal(b.status, 0, b.stderr);
        const bins = readdirSync(b.out).sort();
        assert.deepEqual(bins, spec.binaries.map((x) => x.name).sort());
        for (const name of bins) {
          const bin = join(b.out, name);
          const e = elf(bin);
          assert.equal(e.interp, EXPECTED_INTERP[spec.linking], `${name}: PT_INTERP`);
          if (spec.linking === 'static') assert.deepEqual(e.needed, []);
          else assert.ok(e.needed.some((n) => n.startsWith('libc.so')), `${name} needs libc: ${e.needed}`);
          for (const lib of plan.libraries) for (const so of lib.sonames) assert.ok(e.needed.includes(so), `${lib.name}: ${so} in DT_NEEDED ${e.needed}`);
          // no RUNPATH: the loader finds the libraries where the runtime image has them, never in a build tree
          assert.deepEqual(e.runpath, [], `${name}: RUNPATH/RPATH`);
          // build settings as the go command recorded them
          const m = run('go', ['version', '-m', bin]).stdout;
          assert.match(m, /\tbuild\t-trimpath=true\n/);
          assert.match(m, new RegExp(`\\tbuild\\tCGO_ENABLED=${plan.cgo.required ? 1 : 0}\\n`));
          assert.match(m, /\tbuild\tGOOS=linux\n/);
          const check = RUN_CHECK[name] ?? RUN_CHECK[ex];
          if (check && (spec.linking !== 'musl' || existsSync(EXPECTED_INTERP.musl))) {
            // the host's musl loader looks in /lib:/usr/local/lib:/usr/lib, where this host has no musl libpng
            const r = run(bin, check.args, muslLibs ? { env: { ...process.env, LD_LIBRARY_PATH: join(muslLibs.prefix, 'lib') } } : {});
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, check.out);
          }
          // a real run in the harness rootfs that stands in for the runtime image, as the Dockerfile's USER
          if (check && needTool('bwrap')) {
            const root = await ensureRootfs(standIn(spec));
            const rr = runInRootfs(root, bin, check.args, { uid: spec.user.uid, gid: spec.user.gid });
            const missing = plan.libraries.filter((l) => l.sonames.some((so) => rr.stderr.includes(so)));
            if (rr.exitCode !== 0 && missing.length) {
              // the stand-in holds libc only; the Dockerfile installs these libraries' runtime packages
              for (const l of missing) for (const p of spec.paradigm === 'alpine' ? l.alpine.runtime : l.debian.runtime) assert.ok(spec.runtimePackages.packages.includes(p), p);
              if (spec.linking !== 'musl') {
                // and with those libraries in place (the host's own Debian builds of them, as the runtime
                // package installs them) the binary really runs in the glibc stand-in
                const w = await glibcRootfsWithLibs(root, missing.flatMap((l) => l.sonames));
                try {
                  const yes = runInRootfs(w.root, bin, check.args, { uid: spec.user.uid, gid: spec.user.gid });
                  assert.equal(yes.exitCode, 0, `${name} in ${standIn(spec)} + ${w.copied.join(' ')}: ${yes.stderr}`);
                  assert.match(yes.stdout, check.out);
                } finally {
                  rmSync(w.dir, { recursive: true, force: true });
                }
              }
            } else {
              assert.equal(rr.exitCode, 0, `${name} in ${standIn(spec)}: ${rr.stderr}`);
              assert.match(rr.stdout, check.out);
            }
          }
          if (check && muslLibs && needTool('bwrap')) {
            // the musl rootfs without the libraries: musl's loader refuses, naming the first missing one
            const bare = await ensureRootfs('musl');
            const no = runInRootfs(bare, bin, check.args, { uid: spec.user.uid, gid: spec.user.gid });
            assert.equal(no.exitCode, 127, `${name} in musl without libpng: ${no.stdout} ${no.stderr}`);
            const firstMissing = plan.libraries.flatMap((l) => l.sonames)[0]!;
            assert.ok(no.stderr.startsWith(`Error loading shared library ${firstMissing}: No such file or directory (needed by /app)\n`), no.stderr);
            // with them in /usr/lib, as `apk add libpng` installs them (zlib's libz.so.1 is in the Alpine base)
            const w = await rootfsWithLibs(bare, muslLibs);
            try {
              const yes = runInRootfs(w.root, bin, check.args, { uid: spec.user.uid, gid: spec.user.gid });
              assert.equal(yes.exitCode, 0, `${name} in musl + ${muslLibs.describe}: ${yes.stderr}`);
              assert.match(yes.stdout, check.out);
              t.diagnostic(`musl rootfs + musl libpng/zlib: ${JSON.stringify(yes.stdout)}; without them: ${JSON.stringify(no.stderr.split('\n')[0])}`);
            } finally {
              rmSync(w.dir, { recursive: true, force: true });
            }
          }
          // gokiln inspect's verdict for the runtime image the Dockerfile uses
          const rt = inspectRuntimeName(spec.runtime);
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
                assert.equal(after?.verdict, 'runs', `${name} on ${rt} + ${spec.runtimePackages.packages.join(' ')}: ${after?.reason} ${after?.message}`);
              } finally {
                src.close();
              }
            } else {
              assert.equal(v?.verdict, 'runs', `${name} on ${rt}: ${v?.reason} ${v?.message}`);
            }
            assert.equal(ins.linking === 'static', spec.linking === 'static');
          }
        }
      });
    }
  }

  test('needs-newer-go: the builder tag satisfies go.mod, and the local Go 1.26 refuses it the way a too-old builder would', { skip: haveGo ? false : 'go not installed' }, () => {
    const dir = exampleDir('needs-newer-go');
    const { spec } = generateFiles(planFor('examples/needs-newer-go'), { paradigm: 'distroless', hasGoSum: false });
    assert.equal(spec.builder, 'golang:1.27-trixie');
    const b = buildLikeDockerfile(dir, spec);
    assert.notEqual(b.status, 0);
    assert.match(b.stderr, /go\.mod requires go >= 1\.27\.0 \(running go 1\.26\.\d+; GOTOOLCHAIN=local\)/);
  });

  test('needs-newer-go: with the Go 1.27 the builder image has (go.mod\'s toolchain, fetched through the Go module proxy), the build works and the binary runs on distroless/static', { skip: haveGo && haveReadelf ? false : 'go or readelf not installed' }, async () => {
    const dir = exampleDir('needs-newer-go');
    const plan = planFor('examples/needs-newer-go');
    const { spec } = generateFiles(plan, { paradigm: 'distroless', hasGoSum: false });
    const out = mkdtempSync(join(tmpdir(), 'gokiln-build-'));
    const env: NodeJS.ProcessEnv = { ...process.env, ...concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }), GOTOOLCHAIN: plan.go.toolchain! };
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
  });
});

describe('--offline', () => {
  // sqlite-cgo once: every vendored copy recompiles the SQLite amalgamation (its directory is new)
  for (const [ex, paradigms] of [['vendored', PARADIGMS], ['sqlite-cgo', ['distroless']]] as const) {
    for (const paradigm of paradigms) {
      test(`${ex} --offline --paradigm ${paradigm}: lints clean, and its check step and build work with GOPROXY=off from vendor/`, { skip: haveGo && haveReadelf ? false : 'go or readelf not installed' }, () => {
        const dir = copyExample(ex);
        if (!existsSync(join(dir, 'vendor'))) {
          // what init --offline does first; modules come from the local module cache, never the network
          const v = run('go', ['mod', 'vendor'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod' } });
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
        const b = buildLikeDockerfile(dir, spec);
        assert.equal(b.status, 0, b.stderr);
        assert.equal(elf(join(b.out, spec.binaries[0]!.name)).interp, EXPECTED_INTERP[spec.linking]);
      });
    }
  }
  test('a stale vendor/ makes the offline check step fail with "inconsistent vendoring"', { skip: haveGo ? false : 'go not installed' }, () => {
    const dir = copyExample('vendored');
    run('sh', ['-c', "sed -i 's/uuid v1.6.0/uuid v1.5.0/' go.mod"], { cwd: dir });
    const { spec } = generateFiles(planFor(dir), { paradigm: 'distroless', offline: true, hasGoSum: true });
    const env = { ...process.env, GOTOOLCHAIN: 'local', ...concreteGoEnv(spec.goBuild, { os: 'linux', arch: 'amd64' }) };
    const check = run(spec.checkStep![0]!, spec.checkStep!.slice(1), { cwd: dir, env });
    assert.notEqual(check.status, 0);
    assert.match(check.stderr, /inconsistent vendoring/);
  });
});
