/**
 * A Go project directory read into the facts a container plan needs: go.mod, vendor/, and the package
 * graph of the Go-source model (src/gosrc/) for a linux build with cgo on, module-wide and per command.
 * With Go available the graph is `go list`'s; without it, or when go list fails (a go.mod needing a newer
 * Go under GOTOOLCHAIN=local, no network for modules), it is the source reader's, and the scan says so.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GokilnError, fsError, notDirectoryError } from '../errors.js';
import { parseGoMod, type GoMod } from './gomod.js';
import { checkVendor, type VendorProblem } from './vendor.js';
import { loadGoModule, type GoModule } from '../gosrc/module.js';
import { closure, cgoUse, type CgoUse, type GoPackage } from '../gosrc/graph.js';
import { linuxTarget, type Target } from '../gosrc/target.js';

export interface MainPackage {
  importPath: string;
  /** `.` or `./cmd/name`, relative to the project directory, as `go build` takes it. */
  dir: string;
  /** The file name `go build` gives the binary: the last element of the import path. */
  binary: string;
}

/** What a set of packages (the whole module, or one command and its dependencies) needs. */
export interface PackageFacts {
  /** Standard-library packages in the set, sorted. */
  stdPackages: string[];
  /** Non-standard module paths the set uses (other than the main module), sorted. */
  depModules: string[];
  cgo: CgoUse;
  /** C libraries named by cgo directives in the set. */
  cLibraries: Array<{ name: string; via: 'pkg-config' | 'ldflags'; packages: string[] }>;
  /** Main-module files (relative paths) that call time.LoadLocation with a zone name. */
  loadLocation: string[];
  embed: boolean;
  /** Third-party imports whose sources could not be read (no Go and no vendor/). */
  unresolvedImports: string[];
}

/** One command of the module with what it, and only it, links. */
export interface BinaryScan extends MainPackage, PackageFacts {}

export interface ProjectScan extends PackageFacts {
  dir: string;
  method: 'go-list' | 'source-scan';
  /** Why the source reader was used, or what `go list` reported; null when go list worked. */
  methodNote: string | null;
  goMod: GoMod;
  module: string | null;
  mainPackages: MainPackage[];
  /** Each command with its own facts, in the order of mainPackages. */
  binaries: BinaryScan[];
  /** Packages of the main module (not deps), import paths, sorted. */
  ownPackages: string[];
  /**
   * `//go:embed` patterns of the main module's packages: the package directory (`.`, `./web`, as
   * `go build` takes it) and the pattern as written (`dist`, `static/*`, `all:web`). The files they match
   * must reach the build: a .dockerignore may never exclude them.
   */
  embedPatterns: Array<{ dir: string; pattern: string }>;
  vendor: { present: boolean; consistent: boolean | null; problems: VendorProblem[] };
  /** Files of the module that could not be read. */
  unreadable: Array<{ path: string; message: string; errno?: string }>;
  /** The model the scan was read from, for callers that ask more (doctor, init). */
  model: GoModule;
}

export interface ScanOptions {
  /** Path of the go command, or null to force the source reader. Default: `go` from PATH. */
  go?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Default: linux, this machine's GOARCH, cgo on. */
  target?: Target;
}

export function readGoMod(dir: string): GoMod {
  const p = join(dir, 'go.mod');
  if (!existsSync(p))
    throw new GokilnError('E_NOT_FOUND', `${p} not found: gokiln plans module-mode projects (run \`go mod init\`)`, { file: p });
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
  const model = loadGoModule(dir, {
    go: opts.go === undefined ? 'go' : opts.go,
    env: opts.env,
    target: opts.target ?? linuxTarget(),
    modulePath: goMod.module ?? undefined,
    requires: goMod.require.map((r) => r.path),
  });
  // a source file that cannot be read would silently change what is planned (a package, cgo, a main
  // package missing): every command stops on it with the one errno mapping, as on any other bad path
  const bad = model.sources.unreadable[0];
  if (bad) throw fsError(Object.assign(new Error(bad.message), { code: bad.errno }), join(dir, bad.path));
  const g = model.graph;
  const all = [...g.packages.values()];
  const own = all.filter((p) => p.main && !p.unresolved);
  const mainPackages = g.mains.map(toMain);
  return {
    dir,
    method: g.method,
    methodNote: g.note,
    goMod,
    module: goMod.module,
    mainPackages,
    binaries: g.mains.map((m) => ({ ...toMain(m), ...packageFacts(closure(g, m.importPath)) })),
    ownPackages: own.map((p) => p.importPath).sort(),
    ...packageFacts(all),
    embedPatterns: sortEmbeds(own.flatMap((p) => p.embedPatterns.map((pattern) => ({ dir: dotDir(p.dir), pattern })))),
    vendor: vendorState(dir, goMod),
    unreadable: model.sources.unreadable,
    model,
  };
}

export function packageFacts(pkgs: GoPackage[]): PackageFacts {
  const libs = new Map<string, { name: string; via: 'pkg-config' | 'ldflags'; packages: Set<string> }>();
  const addLib = (name: string, via: 'pkg-config' | 'ldflags', pkg: string) => {
    const cur = libs.get(`${via}:${name}`) ?? { name, via, packages: new Set<string>() };
    cur.packages.add(pkg);
    libs.set(`${via}:${name}`, cur);
  };
  for (const p of pkgs) {
    if (p.standard || !p.cgoFiles.length) continue;
    p.pkgConfig.forEach((n) => addLib(n, 'pkg-config', p.importPath));
    p.ldLibs.forEach((n) => addLib(n, 'ldflags', p.importPath));
    // C++ sources link libstdc++ through cgo even without an explicit -lstdc++
    if (p.cxx) addLib('stdc++', 'ldflags', p.importPath);
  }
  const std = pkgs.filter((p) => p.standard).map((p) => p.importPath);
  return {
    stdPackages: [...new Set(std)].sort(),
    depModules: [...new Set(pkgs.filter((p) => !p.standard && !p.main && p.module).map((p) => p.module!))].sort(),
    cgo: cgoUse(pkgs),
    cLibraries: [...libs.values()]
      .map((l) => ({ name: l.name, via: l.via, packages: [...l.packages].sort() }))
      .sort((a, b) => (a.via + a.name).localeCompare(b.via + b.name)),
    loadLocation: pkgs.flatMap((p) => (p.main ? (p.files ?? []).filter((f) => f.loadLocation).map((f) => f.path) : [])).sort(),
    embed: pkgs.some((p) => p.embedPatterns.length > 0) || std.includes('embed'),
    unresolvedImports: pkgs
      .filter((p) => p.unresolved && !p.main)
      .map((p) => p.importPath)
      .sort(),
  };
}

function vendorState(dir: string, goMod: GoMod): ProjectScan['vendor'] {
  const vdir = join(dir, 'vendor');
  if (!existsSync(vdir)) return { present: false, consistent: null, problems: [] };
  const mt = join(vdir, 'modules.txt');
  const problems = checkVendor(goMod, existsSync(mt) ? readFileSync(mt, 'utf8') : null);
  return { present: true, consistent: problems.length === 0, problems };
}

function dotDir(dir: string | null): string {
  return !dir ? '.' : `./${dir}`;
}

function toMain(p: GoPackage): MainPackage {
  return { importPath: p.importPath, dir: dotDir(p.dir), binary: binaryName(p.importPath) };
}

/** The name `go build` gives a command: its import path's last element, or the one before a major-version suffix (`/v2`). */
export function binaryName(importPath: string): string {
  const parts = importPath.split('/');
  const last = parts.pop() ?? importPath;
  return /^v[2-9]\d*$|^v1\d+$/.test(last) && parts.length ? parts.pop()! : last;
}

function sortEmbeds(xs: Array<{ dir: string; pattern: string }>): Array<{ dir: string; pattern: string }> {
  const seen = new Map(xs.map((x) => [`${x.dir}\0${x.pattern}`, x]));
  return [...seen.values()].sort((a, b) => a.dir.localeCompare(b.dir) || a.pattern.localeCompare(b.pattern));
}
