/**
 * `gokiln doctor`: is this machine ready to build this Go project? Each check is typed data with a
 * stable id and status (ok/warn/fail) and, when not ok, the fix for the user's OS and shell.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { detectMachine, goEnv, isDir, pathEntries, which, type GoEnv, type Machine } from './environment.js';
import { addToPath, installGo, installPackages, setEnv, unsetEnv } from './fixes.js';
import { compareGoVersions, goMinor, type GoMod } from '../project/gomod.js';
import { readGoMod, scanProject } from '../project/scan.js';
import { buildPlan, type Plan } from '../project/plan.js';
import { GokilnError, notDirectoryError } from '../errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  fix: string | null;
}
export interface DoctorReport {
  schema: 'gokiln/doctor@1';
  dir: string;
  os: Machine['os'];
  shell: Machine['shell'];
  go: { path: string | null; version: string | null };
  checks: Check[];
  summary: { ok: number; warn: number; fail: number };
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Contents of /etc/os-release, for tests. */
  osRelease?: string;
  /** A musl cgo build is wanted (alpine paradigm with cgo, or a musl-static build on this host). */
  musl?: boolean;
}

const ok = (id: string, message: string): Check => ({ id, status: 'ok', message, fix: null });
const warn = (id: string, message: string, fix: string | null): Check => ({ id, status: 'warn', message, fix });
const fail = (id: string, message: string, fix: string): Check => ({ id, status: 'fail', message, fix });

/**
 * A directory that does not exist (E_NOT_FOUND) or is a file (E_NOT_DIRECTORY) is bad input, as in plan and init, and so is
 * a malformed go.mod (E_PARSE with its line): both exit 2, not a doctor finding. A directory without
 * go.mod is fine: the toolchain is still checked, the project checks are skipped with a warning.
 */
export function runDoctor(dirArg: string, opts: DoctorOptions = {}): DoctorReport {
  const dir = resolve(dirArg);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) throw new GokilnError('E_NOT_FOUND', `${dir} not found: doctor checks a project directory`, { file: dir });
  if (!st.isDirectory()) throw notDirectoryError(dir, 'doctor checks a project directory (the one holding go.mod)');
  const m = detectMachine(opts.env ?? process.env, opts.platform ?? process.platform, opts.osRelease);
  const env = m.env;
  const checks: Check[] = [];

  // the project first: go.mod drives the version checks, the plan drives the cgo checks
  let mod: GoMod | null = null;
  const modPath = join(dir, 'go.mod');
  if (!existsSync(modPath)) {
    checks.push(warn('go-mod', `no go.mod in ${dir}: project checks skipped`, 'go mod init example.com/yourmodule'));
  } else {
    // a typed error (E_PARSE naming the file and line, E_IS_DIRECTORY, E_PERMISSION) ends the run: exit 2
    mod = readGoMod(dir);
    checks.push(
      ok('go-mod', `go.mod: module ${mod.module ?? '?'}, go ${mod.go ?? '(none)'}${mod.toolchain ? `, toolchain ${mod.toolchain}` : ''}`),
    );
  }
  let plan: Plan | null = null;
  if (mod) {
    try {
      // a source scan: fast, and it works without Go or with a Go too old for go.mod
      plan = buildPlan(scanProject(dir, { go: null, env }), { lenient: true });
    } catch {
      plan = null;
    }
  }

  const go = which('go', env);
  let ge: GoEnv | null = null;
  if (!go) {
    checks.push(fail('go-on-path', 'go is not on PATH', installGo(m, mod?.go ? goMinor(mod.go) : undefined)));
    const guesses = ['/usr/local/go/bin', join(homedir(), 'go', 'bin'), join(homedir(), 'sdk')].filter((d) => existsSync(join(d, 'go')));
    if (guesses.length)
      checks.push(
        warn(
          'go-installed-off-path',
          `a go binary exists in ${guesses.join(', ')} but that directory is not on PATH`,
          addToPath(m, guesses[0]!),
        ),
      );
  } else {
    const r = goEnv(go, env);
    if (!r.ok) {
      checks.push(fail('go-on-path', `${go} does not run: ${r.error.split('\n')[0]}`, installGo(m)));
    } else {
      ge = r.value;
      checks.push(ok('go-on-path', `${go} is ${ge.GOVERSION}`));
    }
  }

  if (ge) {
    checks.push(...versionChecks(ge, mod, m));
    checks.push(gorootCheck(ge, go!, env, m));
    checks.push(gopathCheck(ge, env, m));
    checks.push(go111moduleCheck(ge, m));
    checks.push(goflagsCheck(ge, dir));
    checks.push(...proxyChecks(ge, m, dir));
  }

  if (plan) {
    checks.push(...cgoChecks(plan, ge, env, m));
    if (opts.musl) checks.push(muslGccCheck(env, m));
    if (plan.vendor.present) {
      checks.push(
        plan.vendor.consistent
          ? ok('vendor', 'vendor/modules.txt agrees with go.mod')
          : fail(
              'vendor',
              `inconsistent vendoring: ${plan.vendor.problems
                .map((p) => p.message)
                .slice(0, 3)
                .join('; ')}`,
              'go mod vendor',
            ),
      );
    }
  } else if (opts.musl) {
    checks.push(muslGccCheck(env, m));
  }

  const summary = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) summary[c.status]++;
  return { schema: 'gokiln/doctor@1', dir, os: m.os, shell: m.shell, go: { path: go, version: ge?.GOVERSION ?? null }, checks, summary };
}

/** `--musl`: a musl cgo build was asked for, which needs the musl-gcc wrapper (with or without a project). */
function muslGccCheck(env: NodeJS.ProcessEnv, m: Machine): Check {
  const musl = which('musl-gcc', env);
  if (musl) return ok('musl-gcc', `musl-gcc at ${musl}`);
  return fail(
    'musl-gcc',
    'a musl cgo build was asked for but musl-gcc is not on PATH',
    installPackages(m, 'musl-gcc', { debian: ['musl-tools'], fedora: ['musl-gcc'], arch: ['musl'], alpine: ['gcc', 'musl-dev'] }),
  );
}

function versionChecks(ge: GoEnv, mod: GoMod | null, m: Machine): Check[] {
  const out: Check[] = [];
  const local = ge.GOVERSION.replace(/^go/, '').split(/\s|-|X:/)[0]!;
  const tc = (ge.GOTOOLCHAIN || 'auto').toLowerCase();
  const mode =
    tc === 'local' ? 'local' : tc.endsWith('+auto') || tc === 'auto' ? 'auto' : tc.endsWith('+path') || tc === 'path' ? 'path' : 'pinned';
  if (!mod?.go) {
    out.push(ok('go-version', `${ge.GOVERSION}; GOTOOLCHAIN=${ge.GOTOOLCHAIN || 'auto'}`));
    return out;
  }
  const need = mod.go;
  if (compareGoVersions(local, need) >= 0) {
    out.push(ok('go-version', `${ge.GOVERSION} satisfies go.mod's go ${need}`));
  } else if (mode === 'local' || mode === 'path') {
    out.push(
      fail(
        'go-version',
        `go: go.mod requires go >= ${need} (running go ${local}; GOTOOLCHAIN=${ge.GOTOOLCHAIN})`,
        `${installGo(m, goMinor(need))}; or let Go fetch it: ${setEnv(m, 'GOTOOLCHAIN', 'auto')} (needs the module proxy)`,
      ),
    );
  } else if (mode === 'auto') {
    const offline = ge.GOPROXY.split(/[,|]/)[0] === 'off';
    out.push(
      offline
        ? fail(
            'go-version',
            `go.mod requires go >= ${need}; GOTOOLCHAIN=auto would download go${need} but GOPROXY=off`,
            `${setEnv(m, 'GOPROXY', 'https://proxy.golang.org,direct')} or ${installGo(m, goMinor(need))}`,
          )
        : warn(
            'go-version',
            `go.mod requires go >= ${need}; ${ge.GOVERSION} will download go${mod.toolchain?.replace(/^go/, '') ?? need} (GOTOOLCHAIN=auto) from ${ge.GOPROXY.split(',')[0]} on first use`,
            installGo(m, goMinor(need)),
          ),
    );
  } else {
    out.push(warn('go-version', `GOTOOLCHAIN=${ge.GOTOOLCHAIN} pins a toolchain; go.mod requires go >= ${need}`, null));
  }
  if (mod.toolchain && mod.toolchain !== 'default') {
    const want = mod.toolchain.replace(/^go/, '');
    if (compareGoVersions(local, want) >= 0) {
      out.push(ok('go-toolchain', `toolchain ${mod.toolchain} is satisfied by ${ge.GOVERSION}`));
    } else if (mode === 'local' || mode === 'path') {
      out.push(
        warn(
          'go-toolchain',
          `go.mod suggests toolchain ${mod.toolchain}; GOTOOLCHAIN=${ge.GOTOOLCHAIN} ignores it and builds with ${ge.GOVERSION}${compareGoVersions(local, need) >= 0 ? ' (allowed: the go line is satisfied)' : ''}`,
          null,
        ),
      );
    } else {
      out.push(
        warn(
          'go-toolchain',
          `go.mod's toolchain ${mod.toolchain} is newer than ${ge.GOVERSION}: with GOTOOLCHAIN=${ge.GOTOOLCHAIN} the go command downloads it`,
          `${setEnv(m, 'GOTOOLCHAIN', 'local')} to build with the installed Go (when the go line allows it)`,
        ),
      );
    }
  }
  return out;
}

function gorootCheck(ge: GoEnv, go: string, env: NodeJS.ProcessEnv, m: Machine): Check {
  if (!ge.GOROOT || !isDir(ge.GOROOT)) return fail('goroot', `GOROOT ${ge.GOROOT || '(empty)'} is not a directory`, unsetEnv(m, 'GOROOT'));
  if (!existsSync(join(ge.GOROOT, 'src', 'runtime')))
    return fail('goroot', `GOROOT ${ge.GOROOT} has no src/runtime: not a Go installation`, unsetEnv(m, 'GOROOT'));
  if (env.GOROOT && resolve(env.GOROOT) !== resolve(ge.GOROOT))
    return warn('goroot', `GOROOT is set to ${env.GOROOT} but ${go} reports ${ge.GOROOT}`, unsetEnv(m, 'GOROOT'));
  if (env.GOROOT)
    return warn(
      'goroot',
      `GOROOT is set explicitly (${env.GOROOT}); the go command finds its own root, and a stale GOROOT breaks upgrades`,
      unsetEnv(m, 'GOROOT'),
    );
  return ok('goroot', `GOROOT ${ge.GOROOT}`);
}

function gopathCheck(ge: GoEnv, env: NodeJS.ProcessEnv, m: Machine): Check {
  if (!ge.GOPATH) return fail('gopath', 'GOPATH is empty (no home directory?)', setEnv(m, 'GOPATH', '$HOME/go'));
  const bin = join(ge.GOPATH.split(delimiter)[0]!, 'bin');
  const onPath = pathEntries(env).some((p) => resolve(p) === resolve(bin));
  return onPath
    ? ok('gopath', `GOPATH ${ge.GOPATH}; ${bin} is on PATH`)
    : warn('gopath', `${bin} is not on PATH: tools installed with go install are not found`, addToPath(m, bin));
}

function go111moduleCheck(ge: GoEnv, m: Machine): Check {
  const v = ge.GO111MODULE;
  if (v === 'off')
    return fail('go111module', 'GO111MODULE=off: GOPATH mode, go.mod is ignored', `${unsetEnv(m, 'GO111MODULE')}; go env -u GO111MODULE`);
  if (v === 'auto') return warn('go111module', 'GO111MODULE=auto: module mode only where a go.mod is found', 'go env -u GO111MODULE');
  return ok('go111module', v ? `GO111MODULE=${v}` : 'GO111MODULE unset (module mode)');
}

function goflagsCheck(ge: GoEnv, dir: string): Check {
  const f = ge.GOFLAGS.trim();
  if (!f) return ok('goflags', 'GOFLAGS is empty');
  if (/-mod=vendor/.test(f) && !isDir(join(dir, 'vendor')))
    return fail('goflags', `GOFLAGS=${f} forces -mod=vendor but there is no vendor/`, 'go mod vendor, or go env -u GOFLAGS');
  if (/-mod=mod/.test(f))
    return warn('goflags', `GOFLAGS=${f}: -mod=mod lets builds rewrite go.mod`, 'go env -w GOFLAGS= (or remove -mod=mod)');
  return ok('goflags', `GOFLAGS=${f} (applies to every go command, also inside gokiln's checks)`);
}

function proxyChecks(ge: GoEnv, m: Machine, dir: string): Check[] {
  const out: Check[] = [];
  const proxies = ge.GOPROXY.split(/[,|]/).filter(Boolean);
  const vendored = existsSync(join(dir, 'vendor', 'modules.txt'));
  if (proxies[0] === 'off') {
    out.push(
      vendored
        ? ok('goproxy', 'GOPROXY=off with vendor/: builds use only vendored modules')
        : warn(
            'goproxy',
            'GOPROXY=off: any module missing from the module cache fails to download',
            `${setEnv(m, 'GOPROXY', 'https://proxy.golang.org,direct')} or go mod vendor`,
          ),
    );
  } else if (proxies.length === 1 && proxies[0] === 'direct') {
    out.push(
      warn(
        'goproxy',
        'GOPROXY=direct: every module is fetched from its VCS (needs git/hg and access to each host; slower, no proxy cache)',
        setEnv(m, 'GOPROXY', 'https://proxy.golang.org,direct'),
      ),
    );
  } else {
    out.push(ok('goproxy', `GOPROXY=${ge.GOPROXY}`));
  }
  if (ge.GOSUMDB === 'off')
    out.push(
      warn(
        'gosumdb',
        'GOSUMDB=off: downloaded modules are not checked against the checksum database',
        `go env -u GOSUMDB (use GOPRIVATE/GONOSUMDB for private modules only)`,
      ),
    );
  else out.push(ok('gosumdb', `GOSUMDB=${ge.GOSUMDB || 'sum.golang.org'}`));
  if (ge.GOPRIVATE) {
    out.push(
      ok(
        'goprivate',
        `GOPRIVATE=${ge.GOPRIVATE}: those modules bypass the proxy and checksum database and are fetched directly (git credentials needed)`,
      ),
    );
  }
  return out;
}

/** The commands the Go-source model found, which ones are built, and the main one. */
function binariesCheck(plan: Plan): Check {
  if (!plan.binaries.length) return warn('binaries', 'no main package: nothing to build into an image', null);
  const built = plan.binaries.filter((b) => b.selected).map((b) => `${b.binary}${b.main ? ' (main)' : ''}`);
  const left = plan.binaries.filter((b) => !b.selected).map((b) => `${b.binary} (${b.excluded ?? 'not chosen'})`);
  return ok('binaries', `builds ${built.join(', ')}${left.length ? `; leaves out ${left.join(', ')}` : ''}`);
}

function cgoChecks(plan: Plan, ge: GoEnv | null, env: NodeJS.ProcessEnv, m: Machine): Check[] {
  const out: Check[] = [binariesCheck(plan)];
  // per binary, for a linux build: a file for another OS or behind a build tag does not make a binary cgo
  const cgoBins = plan.binaries.filter((b) => b.selected && b.cgo.required);
  const pure = plan.binaries.filter((b) => b.selected && !b.cgo.required).map((b) => b.binary);
  // a library module (no command) is built as a whole: its packages decide
  const libraryCgo = !plan.binaries.length && plan.cgo.required;
  if (!cgoBins.length && !libraryCgo) {
    out.push(
      ok('cgo', `no binary links cgo for linux${pure.length ? ` (${pure.join(', ')})` : ''}: no C toolchain needed (CGO_ENABLED=0 builds)`),
    );
    return out;
  }
  const why = libraryCgo
    ? [...plan.cgo.deps.map((d) => d.module), ...plan.cgo.own.map((o) => o.pkg)].join(', ')
    : cgoBins.map((b) => `${b.binary}: ${[...b.cgo.deps.map((d) => d.module), ...b.cgo.own.map((o) => o.pkg)].join(', ')}`).join('; ');
  if (ge && ge.CGO_ENABLED === '0' && env.CGO_ENABLED === '0') {
    out.push(fail('cgo', `the project needs cgo (${why}) but CGO_ENABLED=0`, unsetEnv(m, 'CGO_ENABLED')));
  }
  const ccName = (ge?.CC || env.CC || 'gcc').split(/\s+/)[0]!;
  const cc = ccName.includes('/') ? (existsSync(ccName) ? ccName : null) : which(ccName, env);
  out.push(
    cc
      ? ok('c-compiler', `cgo is needed (${why}); C compiler ${cc}`)
      : fail(
          'c-compiler',
          `cgo is needed (${why}) but the C compiler ${ccName} is not on PATH; go build would turn cgo off and fail (or build a stub)`,
          installPackages(m, 'a C compiler', {
            debian: ['gcc', 'libc6-dev'],
            alpine: ['gcc', 'musl-dev'],
            fedora: ['gcc'],
            arch: ['gcc'],
            suse: ['gcc'],
          }),
        ),
  );
  const pcLibs = plan.libraries.filter((l) => l.via.includes('pkg-config'));
  if (pcLibs.length) {
    const pc = which('pkg-config', env) ?? which('pkgconf', env);
    if (!pc) {
      out.push(
        fail(
          'pkg-config',
          `#cgo pkg-config: ${pcLibs.flatMap((l) => l.refs).join(' ')} needs pkg-config, which is not on PATH`,
          installPackages(m, 'pkg-config', {
            debian: ['pkg-config'],
            alpine: ['pkgconf'],
            fedora: ['pkgconf-pkg-config'],
            arch: ['pkgconf'],
            darwin: ['pkg-config'],
          }),
        ),
      );
    } else {
      for (const l of pcLibs) {
        for (const ref of l.refs.filter((r) => !r.startsWith('-l') && !r.includes('/'))) {
          const r = spawnSync(pc, ['--exists', ref], { env, timeout: 10_000 });
          out.push(
            r.status === 0
              ? ok('pkg-config', `pkg-config finds ${ref}`)
              : fail(
                  'pkg-config',
                  `pkg-config cannot find ${ref} (${l.name} headers missing)`,
                  installPackages(m, l.name, { debian: l.debian.build, alpine: l.alpine.build }),
                ),
          );
        }
      }
    }
  }
  return out;
}
