/**
 * Reads a Go project directory into the facts a container plan needs. With Go available it asks
 * `go list -deps -json ./...` (the real build graph, with build constraints applied); without Go, or
 * when `go list` fails (a go.mod needing a newer Go under GOTOOLCHAIN=local, no network for modules),
 * it scans the .go files itself and says so. Calls that need files at run time (time.LoadLocation)
 * are always found by reading the main module's sources, since the package graph cannot show them.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GokilnError, fsError, notDirectoryError } from '../errors.js';
import { parseGoMod, type GoMod } from './gomod.js';
import { checkVendor, type VendorProblem } from './vendor.js';
import { analyzeGoSource, type GoFileFacts } from './gosource.js';

export interface MainPackage {
  importPath: string;
  /** `.` or `./cmd/name`, relative to the project directory, as `go build` takes it. */
  dir: string;
  /** The file name `go build` gives the binary: the last element of the import path. */
  binary: string;
}

export interface ProjectScan {
  dir: string;
  method: 'go-list' | 'source-scan';
  /** Why the source scan was used, or what `go list` reported; null when go list worked. */
  methodNote: string | null;
  goMod: GoMod;
  module: string | null;
  mainPackages: MainPackage[];
  /** Packages of the main module (not deps), import paths, sorted. */
  ownPackages: string[];
  /** Standard-library packages in the build graph, sorted. */
  stdPackages: string[];
  /** Non-standard module paths the build uses (other than the main module), sorted. */
  depModules: string[];
  cgo: {
    /** Main-module packages with `import "C"`. */
    own: Array<{ pkg: string; files: string[] }>;
    /** Dependency packages with `import "C"` (go list or vendor/ scan), or known cgo modules by import path. */
    deps: Array<{ pkg: string; module: string }>;
  };
  /** C libraries named by cgo directives anywhere in the graph the scan could see. */
  cLibraries: Array<{ name: string; via: 'pkg-config' | 'ldflags'; packages: string[] }>;
  /** Main-module files (relative paths) that call time.LoadLocation. */
  loadLocation: string[];
  embed: boolean;
  /**
   * `//go:embed` patterns of the main module's packages: the package directory (`.`, `./web`, as
   * `go build` takes it) and the pattern as written (`dist`, `static/*`, `all:web`). The files they match
   * must reach the build: a .dockerignore may never exclude them.
   */
  embedPatterns: Array<{ dir: string; pattern: string }>;
  vendor: { present: boolean; consistent: boolean | null; problems: VendorProblem[] };
  /** Third-party imports the source scan could not follow (no Go and no vendor/). */
  unresolvedImports: string[];
}

export interface ScanOptions {
  /** Path of the go command, or null to force the source scan. Default: `go` from PATH. */
  go?: string | null;
  env?: NodeJS.ProcessEnv;
}

interface GoListPackage {
  ImportPath: string;
  Name: string;
  Dir?: string;
  Standard?: boolean;
  DepOnly?: boolean;
  Module?: { Path: string; Main?: boolean; Version?: string };
  CgoFiles?: string[];
  CXXFiles?: string[];
  CgoPkgConfig?: string[];
  CgoLDFLAGS?: string[];
  EmbedPatterns?: string[];
  Error?: { Err: string };
}

export function readGoMod(dir: string): GoMod {
  const p = join(dir, 'go.mod');
  if (!existsSync(p)) throw new GokilnError('E_NOT_FOUND', `${p} not found: gokiln plans module-mode projects (run \`go mod init\`)`, { file: p });
  let text: string;
  try {
    text = readFileSync(p, 'utf8');
  } catch (e) {
    throw fsError(e, p);
  }
  return parseGoMod(text, p);
}

export function scanProject(dir: string, opts: ScanOptions = {}): ProjectScan {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) throw new GokilnError('E_NOT_FOUND', `${dir}: no such file or directory`, { file: dir });
  if (!st.isDirectory()) throw notDirectoryError(dir, 'a Go project directory (the one holding go.mod) is expected');
  const goMod = readGoMod(dir);
  const vendor = vendorState(dir, goMod);
  const own = scanSources(dir);
  const go = opts.go === undefined ? 'go' : opts.go;
  let listed: GoListPackage[] | null = null;
  let note: string | null = null;
  if (go !== null) {
    const r = goList(go, dir, opts.env ?? process.env);
    if ('packages' in r) listed = r.packages;
    else note = r.error;
  } else {
    note = 'go is not on PATH';
  }
  const base = {
    dir,
    goMod,
    module: goMod.module,
    vendor,
    loadLocation: own.files.filter((f) => f.facts.loadLocation).map((f) => f.rel).sort(),
  };
  return listed ? fromGoList(base, listed, own) : fromSources(base, own, note ?? 'source scan');
}

function vendorState(dir: string, goMod: GoMod): ProjectScan['vendor'] {
  const vdir = join(dir, 'vendor');
  if (!existsSync(vdir)) return { present: false, consistent: null, problems: [] };
  const mt = join(vdir, 'modules.txt');
  const problems = checkVendor(goMod, existsSync(mt) ? readFileSync(mt, 'utf8') : null);
  return { present: true, consistent: problems.length === 0, problems };
}

function goList(go: string, dir: string, env: NodeJS.ProcessEnv): { packages: GoListPackage[] } | { error: string } {
  // CGO_ENABLED=1 so files with import "C" are listed even where no C compiler is installed:
  // go list does not compile, and the plan must see cgo use to decide the paradigm.
  // GOTOOLCHAIN=local: reading a project must never download a Go toolchain; a go.mod needing a
  // newer Go falls back to the source scan instead (and doctor says what to install).
  const r = spawnSync(go, ['list', '-e', '-deps', '-json', './...'], {
    cwd: dir,
    env: { ...env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) return { error: `could not run ${go}: ${r.error.message}` };
  if (r.status !== 0) return { error: `go list failed: ${(r.stderr || '').trim().split('\n').slice(0, 3).join(' ')}` };
  const packages = parseJsonStream(r.stdout) as GoListPackage[];
  const broken = packages.filter((p) => p.Error && !p.Standard);
  if (broken.length && packages.every((p) => p.Error || p.Standard)) {
    return { error: `go list: ${broken[0]!.Error!.Err.split('\n')[0]}` };
  }
  return { packages };
}

/** `go list -json` prints concatenated JSON objects; split them at top-level braces. */
export function parseJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return out;
}

interface SourceFile {
  rel: string;
  dirRel: string;
  facts: GoFileFacts;
}
interface SourceScan {
  files: SourceFile[];
}

/** Reads every non-test .go file under `root`, skipping vendor/, testdata/, `_`/`.` dirs and nested modules. */
function scanSources(root: string): SourceScan {
  const files: SourceFile[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const p = join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (name.startsWith('.') || name.startsWith('_') || name === 'testdata' || name === 'vendor') continue;
        if (existsSync(join(p, 'go.mod'))) continue;
        walk(p);
      } else if (name.endsWith('.go') && !name.endsWith('_test.go')) {
        const rel = relative(root, p).split(sep).join('/');
        const dirRel = relative(root, d).split(sep).join('/');
        const facts = analyzeGoSource(readFileSync(p, 'utf8'));
        if (facts.buildConstraint && /\bignore\b/.test(facts.buildConstraint) && !/\|\|/.test(facts.buildConstraint)) continue;
        files.push({ rel, dirRel, facts });
      }
    }
  };
  walk(root);
  return { files };
}

type Base = Pick<ProjectScan, 'dir' | 'goMod' | 'module' | 'vendor' | 'loadLocation'>;

function addLib(libs: Map<string, { name: string; via: 'pkg-config' | 'ldflags'; packages: Set<string> }>, name: string, via: 'pkg-config' | 'ldflags', pkg: string) {
  const key = `${via}:${name}`;
  const cur = libs.get(key) ?? { name, via, packages: new Set<string>() };
  cur.packages.add(pkg);
  libs.set(key, cur);
}
function libList(libs: Map<string, { name: string; via: 'pkg-config' | 'ldflags'; packages: Set<string> }>): ProjectScan['cLibraries'] {
  return [...libs.values()].map((l) => ({ name: l.name, via: l.via, packages: [...l.packages].sort() })).sort((a, b) => (a.via + a.name).localeCompare(b.via + b.name));
}

function fromGoList(base: Base, pkgs: GoListPackage[], own: SourceScan): ProjectScan {
  const main = pkgs.filter((p) => p.Module?.Main && !p.Standard);
  const mainPackages: MainPackage[] = main
    .filter((p) => p.Name === 'main' && !p.DepOnly)
    .map((p) => toMain(base.dir, p.ImportPath, p.Dir ?? base.dir))
    .sort((a, b) => a.dir.localeCompare(b.dir));
  const libs = new Map();
  const cgoOwn: ProjectScan['cgo']['own'] = [];
  const cgoDeps: ProjectScan['cgo']['deps'] = [];
  for (const p of pkgs) {
    if (p.Standard || !p.CgoFiles?.length) continue;
    if (p.Module?.Main) cgoOwn.push({ pkg: p.ImportPath, files: [...p.CgoFiles].sort() });
    else cgoDeps.push({ pkg: p.ImportPath, module: p.Module?.Path ?? p.ImportPath });
    for (const n of p.CgoPkgConfig ?? []) if (!n.startsWith('-')) addLib(libs, n, 'pkg-config', p.ImportPath);
    // C++ sources link libstdc++ through cgo even without an explicit -lstdc++
    if (p.CXXFiles?.length) addLib(libs, 'stdc++', 'ldflags', p.ImportPath);
    for (const f of p.CgoLDFLAGS ?? []) {
      const m = /^-l(.+)$/.exec(f);
      if (m) addLib(libs, m[1]!, 'ldflags', p.ImportPath);
    }
  }
  const errors = pkgs.filter((p) => p.Error && !p.Standard).map((p) => `${p.ImportPath}: ${p.Error!.Err.split('\n')[0]}`);
  return {
    ...base,
    method: 'go-list',
    methodNote: errors.length ? `go list reported: ${errors.slice(0, 3).join('; ')}` : null,
    mainPackages,
    ownPackages: main.map((p) => p.ImportPath).sort(),
    stdPackages: pkgs.filter((p) => p.Standard).map((p) => p.ImportPath).sort(),
    depModules: [...new Set(pkgs.filter((p) => !p.Standard && p.Module && !p.Module.Main).map((p) => p.Module!.Path))].sort(),
    cgo: { own: cgoOwn.sort((a, b) => a.pkg.localeCompare(b.pkg)), deps: cgoDeps.sort((a, b) => a.pkg.localeCompare(b.pkg)) },
    cLibraries: libList(libs),
    embed: main.some((p) => (p.EmbedPatterns ?? []).length > 0) || own.files.some((f) => f.facts.embed),
    embedPatterns: sortEmbeds(main.flatMap((p) => (p.EmbedPatterns ?? []).map((pattern) => ({ dir: toMain(base.dir, p.ImportPath, p.Dir ?? base.dir).dir, pattern })))),
    unresolvedImports: [],
  };
}

function sortEmbeds(xs: Array<{ dir: string; pattern: string }>): Array<{ dir: string; pattern: string }> {
  const seen = new Map(xs.map((x) => [`${x.dir}\0${x.pattern}`, x]));
  return [...seen.values()].sort((a, b) => a.dir.localeCompare(b.dir) || a.pattern.localeCompare(b.pattern));
}

function toMain(root: string, importPath: string, dirAbs: string): MainPackage {
  const rel = relative(root, dirAbs).split(sep).join('/');
  return { importPath, dir: rel === '' ? '.' : `./${rel}`, binary: importPath.split('/').pop() ?? importPath };
}

function isStd(path: string): boolean {
  const first = path.split('/')[0]!;
  return !first.includes('.') && path !== 'C';
}

/**
 * Standard packages a source scan must add for what they pull in, so `net/http` alone still means
 * TLS and DNS. Read from the imports of each package in Go's src/ (go1.26).
 */
const STD_IMPLIES: Record<string, string[]> = {
  'net/http': ['crypto/tls', 'crypto/x509', 'net', 'net/url'],
  'net/http/pprof': ['net/http', 'runtime/pprof'],
  'expvar': ['net/http'],
  'net/smtp': ['crypto/tls', 'net'],
  'net/rpc': ['net/http', 'net'],
  'crypto/tls': ['crypto/x509', 'net'],
  'crypto/x509': [],
  'net/mail': [],
  'database/sql': [],
  'log/syslog': ['net'],
};

function closeStd(pkgs: Set<string>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const p of [...pkgs]) for (const q of STD_IMPLIES[p] ?? []) if (!pkgs.has(q)) { pkgs.add(q); changed = true; }
  }
}

function fromSources(base: Base, own: SourceScan, note: string): ProjectScan {
  const module = base.module ?? '';
  const byDir = new Map<string, SourceFile[]>();
  for (const f of own.files) byDir.set(f.dirRel, [...(byDir.get(f.dirRel) ?? []), f]);
  const importPathOf = (dirRel: string) => (dirRel === '' ? module : `${module}/${dirRel}`);
  const mainPackages: MainPackage[] = [];
  const std = new Set<string>();
  const third = new Set<string>();
  const libs = new Map();
  const cgoOwn: ProjectScan['cgo']['own'] = [];
  for (const [dirRel, files] of byDir) {
    const ip = importPathOf(dirRel);
    if (files.some((f) => f.facts.packageName === 'main')) mainPackages.push(toMain(base.dir, ip, join(base.dir, dirRel)));
    const cgoFiles = files.filter((f) => f.facts.cgo);
    if (cgoFiles.length) cgoOwn.push({ pkg: ip, files: cgoFiles.map((f) => f.rel.split('/').pop()!).sort() });
    for (const f of files) {
      for (const n of f.facts.pkgConfig) addLib(libs, n, 'pkg-config', ip);
      for (const n of f.facts.ldLibs) addLib(libs, n, 'ldflags', ip);
      for (const i of f.facts.imports) {
        if (i === 'C') continue;
        if (isStd(i)) std.add(i);
        else if (i !== module && !i.startsWith(module + '/')) third.add(i);
      }
    }
  }
  const cgoDeps: ProjectScan['cgo']['deps'] = [];
  const unresolved: string[] = [];
  const depModules = new Set<string>();
  const requires = base.goMod.require.map((r) => r.path).sort((a, b) => b.length - a.length);
  const moduleOf = (ip: string) => requires.find((r) => ip === r || ip.startsWith(r + '/')) ?? ip;
  // with vendor/, follow third-party imports into the vendored sources, transitively
  const seen = new Set<string>();
  const queue = [...third];
  while (queue.length) {
    const ip = queue.shift()!;
    if (seen.has(ip)) continue;
    seen.add(ip);
    depModules.add(moduleOf(ip));
    const vdir = join(base.dir, 'vendor', ...ip.split('/'));
    if (!base.vendor.present || !existsSync(vdir)) {
      unresolved.push(ip);
      continue;
    }
    for (const name of readdirSync(vdir).sort()) {
      if (!name.endsWith('.go') || name.endsWith('_test.go')) continue;
      const facts = analyzeGoSource(readFileSync(join(vdir, name), 'utf8'));
      if (facts.cgo && !cgoDeps.some((d) => d.pkg === ip)) cgoDeps.push({ pkg: ip, module: moduleOf(ip) });
      for (const n of facts.pkgConfig) addLib(libs, n, 'pkg-config', ip);
      for (const n of facts.ldLibs) addLib(libs, n, 'ldflags', ip);
      for (const i of facts.imports) {
        if (i === 'C') continue;
        if (isStd(i)) std.add(i);
        else if (!seen.has(i)) queue.push(i);
      }
    }
  }
  closeStd(std);
  return {
    ...base,
    method: 'source-scan',
    methodNote: note,
    mainPackages: mainPackages.sort((a, b) => a.dir.localeCompare(b.dir)),
    ownPackages: [...byDir.keys()].map(importPathOf).sort(),
    stdPackages: [...std].sort(),
    depModules: [...depModules].sort(),
    cgo: { own: cgoOwn.sort((a, b) => a.pkg.localeCompare(b.pkg)), deps: cgoDeps.sort((a, b) => a.pkg.localeCompare(b.pkg)) },
    cLibraries: libList(libs),
    embed: own.files.some((f) => f.facts.embed) || std.has('embed'),
    embedPatterns: sortEmbeds(own.files.flatMap((f) => f.facts.embedPatterns.map((pattern) => ({ dir: f.dirRel === '' ? '.' : `./${f.dirRel}`, pattern })))),
    unresolvedImports: unresolved.sort(),
  };
}
