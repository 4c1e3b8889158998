/**
 * Independent truths for the verdict tests: binary facts read with binutils (readelf), `file`, `go tool nm`
 * and `go version -m` — never with gokiln's own parsers or rules (needs come from this file's own rule
 * table over nm's function list, not from src/analysis/needs) — and a launcher that executes a program the way
 * runc does (a direct execve, printing `exec <path>: <errno text>`), so Docker's exact message can be
 * compared, not just bwrap's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Needs } from '../../src/analysis/types.js';
import type { BinaryFacts } from '../../src/analysis/verdict.js';
import { fixtureDir } from '../fixtures/paths.js';
import { sha256 } from '../fixtures/tools.js';
import { bwrapArgs, type RunOptions, type RunResult } from '../harness/rootfs.js';
import { goFuncNames } from '../truth/go-nm.js';
import { goBuildSettings } from '../truth/go-version-m.js';
import { fileBrief } from '../truth/file.js';
import { readelfInterpreter, readelfNeeded, readelfText, readelfVersionNeedsOf } from '../truth/readelf.js';

const MACHINE: Record<string, string> = {
  'Advanced Micro Devices X86-64': 'amd64',
  AArch64: 'arm64',
  ARM: 'arm',
  'Intel 80386': '386',
};

function magic(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

function glibcMax(needs: Array<{ file: string; versions: string[] }>): string | null {
  let best: number[] | null = null;
  for (const n of needs) {
    for (const v of n.versions) {
      const m = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(v);
      if (!m) continue;
      const parts = m[1]!.split('.').map(Number);
      if (!best || cmp(parts, best) > 0) best = parts;
    }
  }
  return best ? best.join('.') : null;
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Format facts with binutils and `file` only. */
export function formatFactsByTools(path: string): Omit<BinaryFacts, 'needs' | 'cgo'> {
  const m = magic(path);
  if (m[0] === 0x4d && m[1] === 0x5a) {
    const f = fileBrief(path);
    return {
      format: 'pe',
      os: 'windows',
      arch: /x86-64/.test(f) ? 'amd64' : /Aarch64|ARM64/i.test(f) ? 'arm64' : 'other',
      kind: 'executable',
      linking: 'dynamic',
      interpreter: null,
      libc: 'other',
      needed: [],
      glibcRequired: null,
      versionNeeds: [],
    };
  }
  const be = m.readUInt32BE(0);
  if (be === 0xcffaedfe || be === 0xcefaedfe || be === 0xcafebabe) {
    const f = fileBrief(path);
    return {
      format: 'macho',
      os: 'darwin',
      arch: /x86_64/.test(f) ? 'amd64' : 'arm64',
      kind: 'executable',
      linking: 'dynamic',
      interpreter: '/usr/lib/dyld',
      libc: 'other',
      needed: [],
      glibcRequired: null,
      versionNeeds: [],
    };
  }
  const h = readelfText(path, ['-h', '-W']);
  const machine = /Machine:\s+(.+)/.exec(h)?.[1]?.trim() ?? '';
  const abi = /OS\/ABI:\s+(.+)/.exec(h)?.[1]?.trim() ?? '';
  const type = /Type:\s+(\w+)/.exec(h)?.[1] ?? '';
  const interpreter = readelfInterpreter(readelfText(path, ['-l', '-W']));
  const d = readelfText(path, ['-d', '-W']);
  const needed = readelfNeeded(d);
  const pie = /\(FLAGS_1\).*\bPIE\b/.test(d);
  const kind: BinaryFacts['kind'] =
    type === 'EXEC'
      ? 'executable'
      : type === 'DYN'
        ? interpreter || pie
          ? 'executable'
          : 'shared-library'
        : type === 'REL'
          ? 'object'
          : 'other';
  const linking: BinaryFacts['linking'] =
    interpreter || (kind === 'shared-library' && needed.length) ? 'dynamic' : type === 'DYN' ? 'static-pie' : 'static';
  const libc: BinaryFacts['libc'] = interpreter
    ? interpreter.includes('ld-musl')
      ? 'musl'
      : interpreter.includes('ld-linux') || interpreter.includes('ld64.so')
        ? 'glibc'
        : 'other'
    : needed.includes('libc.so.6')
      ? 'glibc'
      : 'none';
  const versionNeeds = readelfVersionNeedsOf(path);
  return {
    format: 'elf',
    os: /FreeBSD/.test(abi) ? 'freebsd' : 'linux',
    arch: MACHINE[machine] ?? machine,
    kind,
    linking,
    interpreter,
    libc,
    needed,
    glibcRequired: glibcMax(versionNeeds),
    versionNeeds,
  };
}

export function packagesOfNames(names: string[]): string[] {
  const pkgs = new Set<string>();
  for (const n of names) {
    if (n.includes(':') || n.startsWith('_')) continue;
    const dot = n.indexOf('.', n.lastIndexOf('/') + 1);
    if (dot > 0) pkgs.add(n.slice(0, dot));
  }
  return [...pkgs].sort();
}

/**
 * What a Go program will look for at run time, from the functions `go tool nm` lists (T/t symbols) and
 * the build settings of `go version -m`, by a rule table written here from the Go sources' behaviour:
 *
 *   caCerts         crypto/x509 loads the system roots lazily through loadSystemRoots/systemRootsPool;
 *                   the linker keeps them only when a chain can be verified without an explicit pool
 *   tzdata          time.LoadLocation (named zones; the unexported helpers are linked by every program
 *                   that formats a time, so they say nothing)
 *   tzdataEmbedded  time/tzdata linked (its init registers the embedded zip), or -tags timetzdata
 *   osUser          any os/user function
 *   pprof / expvar  any net/http/pprof / expvar function (their init registers handlers on
 *                   http.DefaultServeMux)
 *   plugin          any plugin function
 *   dns             the pure-Go resolver (net.(*Resolver).goLookup*, net.(*Resolver).lookupIPAddr) or,
 *                   with cgo, the cgo one (net._C2func_getaddrinfo, net.cgoLookup*); which one runs:
 *                   net/conf.go forces Go with -tags netgo or without cgo, cgo with -tags netcgo, and
 *                   decides at run time when both are compiled in
 *
 * cgo is on when CGO_ENABLED=1 is recorded, or (no setting recorded) when runtime/cgo is linked.
 */
export function needsByRules(funcNames: readonly string[], settings: Record<string, string>): Needs {
  const names = new Set(funcNames);
  const any = (...prefixes: string[]) => funcNames.some((n) => prefixes.some((p) => n.startsWith(p)));
  const tags = new Set((settings['-tags'] ?? '').split(/[,\s]+/).filter(Boolean));
  const cgo = settings['CGO_ENABLED'] !== undefined ? settings['CGO_ENABLED'] === '1' : any('runtime/cgo.');
  const goResolver = any('net.(*Resolver).goLookup', 'net.(*Resolver).lookupIPAddr');
  const cgoResolver = cgo && any('net._C2func_getaddrinfo', 'net.cgoLookup');
  const dns = goResolver || cgoResolver;
  let dnsResolver: Needs['dnsResolver'] = null;
  if (dns) {
    if (tags.has('netgo') || !cgo || !cgoResolver) dnsResolver = 'go';
    else if (tags.has('netcgo') || !goResolver) dnsResolver = 'cgo';
    else dnsResolver = 'both';
  }
  return {
    caCerts: names.has('crypto/x509.loadSystemRoots') || names.has('crypto/x509.systemRootsPool'),
    tzdata: names.has('time.LoadLocation'),
    tzdataEmbedded: any('time/tzdata.') || tags.has('timetzdata'),
    osUser: any('os/user.'),
    dns,
    dnsResolver,
    pprof: any('net/http/pprof.'),
    expvar: any('expvar.'),
    plugin: any('plugin.'),
  };
}

/**
 * Needs of the Go binary at `path` by needsByRules, with function names from `needsFrom` (an unstripped
 * twin of a stripped binary); `funcCount` is how many functions nm listed (0: nothing to judge from).
 */
export function needsByTools(path: string, needsFrom = path): { needs: Needs; funcCount: number } {
  const names = goFuncNames(needsFrom);
  return { needs: needsByRules(names, goBuildSettings(path)), funcCount: names.length };
}

/** All the facts a verdict needs, from tools; `needsFrom` names an unstripped twin for stripped binaries. */
export function factsByTools(path: string, needsFrom = path): BinaryFacts {
  const base = formatFactsByTools(path);
  const settings = goBuildSettings(path);
  const cgo = settings['CGO_ENABLED'] === '1' ? true : settings['CGO_ENABLED'] === '0' ? false : null;
  return { ...base, cgo, needs: needsByRules(goFuncNames(needsFrom), settings) };
}

const EXECER_SRC = `// Starts a program the way runc does: one execve, and on failure the error as runc prints it.
package main

import (
	"fmt"
	"os"
	"syscall"
)

func main() {
	err := syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "exec %s: %v\\n", os.Args[1], err)
	os.Exit(255)
}
`;

let execer: string | null = null;

/** A static Go launcher (built once into the fixture cache) that does what runc does. */
export function runcLikeLauncher(): string {
  if (execer) return execer;
  const dir = join(fixtureDir(), `know-execer-${sha256(EXECER_SRC).slice(0, 12)}`);
  const bin = join(dir, 'execer');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.go'), EXECER_SRC);
    execFileSync('go', ['build', '-o', bin, 'main.go'], {
      cwd: dir,
      env: { ...process.env, CGO_ENABLED: '0', GO111MODULE: 'off' },
      stdio: 'pipe',
    });
  }
  execer = bin;
  return bin;
}

/** Runs /app in the rootfs through the runc-like launcher (mounted on the fresh /tmp). */
export function runLikeDocker(root: string, binary: string, args: string[], opts: RunOptions = {}): RunResult {
  const a = bwrapArgs(root, binary, [], opts);
  a.pop(); // the trailing /app: the launcher goes first
  a.push('--ro-bind', runcLikeLauncher(), '/tmp/.gk-exec', '/tmp/.gk-exec', '/app', ...args);
  const r = spawnSync('bwrap', a, { encoding: 'utf8', timeout: opts.timeoutMs ?? 20_000 });
  return { exitCode: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Shared objects present in a rootfs' library directories, by file name. */
export function rootfsSonames(root: string): string[] {
  const out = new Set<string>();
  for (const d of ['lib', 'lib64', 'usr/lib', 'lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-musl']) {
    const p = join(root, d);
    if (!existsSync(p) || !statSync(p).isDirectory()) continue;
    for (const f of readdirSync(p)) if (/\.so(\.|$)/.test(f)) out.add(f);
  }
  return [...out].sort();
}
