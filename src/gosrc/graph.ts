/**
 * The package graph of a module for one target: every package `./...` reaches (the module's own, the
 * standard library, dependencies), each with the files the target compiles, its imports, cgo files and
 * directives, and its transitive dependencies. Two ways to build it, one shape: from `go list -deps -json`
 * (the truth, golist.ts) or from the sources (this file), which must agree with it wherever the sources
 * are on disk (the module itself and vendor/); a dependency outside vendor/ without Go is `unresolved`.
 */
import type { GoFile } from './file.js';
import type { GoSources, SourcePackage } from './sources.js';
import { fileMatches, type Target } from './target.js';

export interface GoPackage {
  importPath: string;
  name: string;
  /** from the module root (`` for the root, `cmd/api`) for the main module's packages; `vendor/…` when vendored; null otherwise */
  dir: string | null;
  standard: boolean;
  /** the module providing it: the main module's path, a dependency's, null for the standard library */
  module: string | null;
  /** a package of the main module */
  main: boolean;
  /** names of the files the target compiles, cgo files included */
  goFiles: string[];
  /** names of the files with `import "C"` (only with cgo on) */
  cgoFiles: string[];
  imports: string[];
  /** transitive imports, sorted */
  deps: string[];
  /** `#cgo pkg-config:` names and `-l` libraries of `#cgo LDFLAGS:` */
  pkgConfig: string[];
  ldLibs: string[];
  /** C++ sources (libstdc++ at run time) */
  cxx: boolean;
  embedPatterns: string[];
  /** the sources of a dependency could not be read (no go list, not vendored) */
  unresolved?: boolean;
  error?: string;
  /** the compiled files' facts, for the packages whose sources were read */
  files?: GoFile[];
}

export interface PackageGraph {
  method: 'go-list' | 'source-scan';
  /** why the source reader was used, or what go list reported; null when go list read every package */
  note: string | null;
  target: Target;
  modulePath: string | null;
  packages: Map<string, GoPackage>;
  /** the main module's commands (package main), sorted by directory */
  mains: GoPackage[];
}

/** A standard-library import path: no dot in its first element, and not inside the module. */
export function isStdImport(path: string, modulePath: string | null | undefined): boolean {
  if (modulePath && (path === modulePath || path.startsWith(modulePath + '/'))) return false;
  return path !== 'C' && !(path.split('/')[0] ?? '').includes('.');
}

/**
 * Standard packages a source reading must add for what they import, so `net/http` alone still means TLS
 * and DNS: without Go the standard library's sources are not read. From each package's imports in Go's
 * src/ (go1.26), only the edges gokiln's questions (TLS, DNS, users, profiling) depend on.
 */
const STD_IMPLIES: Record<string, string[]> = {
  'net/http': ['crypto/tls', 'crypto/x509', 'net', 'net/url', 'net/textproto', 'mime/multipart'],
  'net/http/pprof': ['net/http', 'runtime/pprof'],
  expvar: ['net/http'],
  'net/smtp': ['crypto/tls', 'net', 'net/textproto'],
  'net/rpc': ['net/http', 'net'],
  'crypto/tls': ['crypto/x509', 'net'],
  'crypto/x509': ['net'],
  'net/mail': ['net'],
  'log/syslog': ['net'],
  'net/textproto': ['net'],
};

/** The files of a package a target compiles: a file whose answer depends on an unknown GOARCH is kept. */
export function compiledFiles(pkg: SourcePackage, t: Target): GoFile[] {
  return pkg.files.filter((f) => fileMatches(f.name, f.constraint, t) !== false);
}

/** The cgo directives of a file that hold for the target (`#cgo linux LDFLAGS:` on linux, not `#cgo darwin`). */
function directiveHolds(cond: string, t: Target): boolean {
  if (!cond) return true;
  // space-separated alternatives, comma-separated conjunctions, `!` negation (cmd/cgo's #cgo syntax)
  return cond.split(/\s+/).some((alt) =>
    alt.split(',').every((term) => {
      const neg = term.startsWith('!');
      const tag = neg ? term.slice(1) : term;
      const v = tag === t.goos || tag === t.goarch || (tag === 'cgo' && t.cgo) || tag === 'unix' || t.tags.includes(tag);
      return neg ? !v : v;
    }),
  );
}

function fromSourcePackage(pkg: SourcePackage, importPath: string, t: Target, main: boolean, module: string | null): GoPackage | null {
  const files = compiledFiles(pkg, t);
  // with cgo off, files with import "C" are not compiled (go/build treats them as excluded by the cgo tag)
  const built = t.cgo ? files : files.filter((f) => !f.cgo);
  if (!built.length) return null;
  const cgo = built.filter((f) => f.cgo);
  const pkgConfig = new Set<string>();
  const ldLibs = new Set<string>();
  for (const f of cgo) {
    for (const d of f.cgoDirectives) {
      if (!directiveHolds(d.cond, t)) continue;
      if (d.kind === 'pkg-config') d.args.filter((a) => !a.startsWith('-')).forEach((a) => pkgConfig.add(a));
      if (d.kind === 'LDFLAGS') for (const a of d.args) if (/^-l./.test(a)) ldLibs.add(a.slice(2));
    }
  }
  const imports = [...new Set(built.flatMap((f) => f.imports))].sort();
  return {
    importPath,
    name: built.find((f) => f.packageName)?.packageName ?? pkg.name,
    dir: pkg.dir,
    standard: false,
    module,
    main,
    goFiles: built.map((f) => f.name).sort(),
    cgoFiles: cgo.map((f) => f.name).sort(),
    imports,
    deps: [],
    pkgConfig: [...pkgConfig],
    ldLibs: [...ldLibs],
    cxx: false,
    embedPatterns: [...new Set(built.flatMap((f) => f.embedPatterns))].sort(),
    files: built,
  };
}

/**
 * The graph from the sources alone: the module's packages (`./...`), then their imports followed through
 * the module and vendor/. `requires` (go.mod's require paths) names the module of a dependency.
 */
export function graphFromSources(src: GoSources, t: Target, requires: string[], note: string): PackageGraph {
  const modulePath = src.modulePath ?? null;
  const packages = new Map<string, GoPackage>();
  const ipOf = (dir: string) => (dir === '' ? (modulePath ?? '.') : modulePath ? `${modulePath}/${dir}` : `./${dir}`);
  const byLength = [...requires].sort((a, b) => b.length - a.length);
  const moduleOf = (ip: string) => byLength.find((r) => ip === r || ip.startsWith(r + '/')) ?? ip;
  const queue: string[] = [];
  for (const dir of Object.keys(src.packages).sort()) {
    const p = fromSourcePackage(src.packages[dir]!, ipOf(dir), t, true, modulePath);
    if (p) {
      packages.set(p.importPath, p);
      queue.push(...p.imports);
    }
  }
  while (queue.length) {
    const ip = queue.shift()!;
    if (packages.has(ip)) continue;
    if (isStdImport(ip, modulePath)) {
      packages.set(ip, std(ip, STD_IMPLIES[ip] ?? []));
      queue.push(...(STD_IMPLIES[ip] ?? []));
      continue;
    }
    if (modulePath && (ip === modulePath || ip.startsWith(modulePath + '/'))) {
      // an own package the target compiles nothing of (all files for another OS): go list reports an error
      packages.set(ip, {
        ...std(ip, []),
        standard: false,
        module: modulePath,
        main: true,
        unresolved: true,
        error: 'build constraints exclude all Go files',
      });
      continue;
    }
    const v = src.vendored(ip);
    const p = v ? fromSourcePackage(v, ip, t, false, moduleOf(ip)) : null;
    if (p) {
      packages.set(ip, p);
      queue.push(...p.imports);
    } else {
      packages.set(ip, { ...std(ip, []), standard: false, module: moduleOf(ip), unresolved: true });
    }
  }
  closeDeps(packages);
  return { method: 'source-scan', note, target: t, modulePath, packages, mains: mainsOf(packages) };
}

function std(ip: string, imports: string[]): GoPackage {
  return {
    importPath: ip,
    name: ip.split('/').pop()!,
    dir: null,
    standard: true,
    module: null,
    main: false,
    goFiles: [],
    cgoFiles: [],
    imports,
    deps: [],
    pkgConfig: [],
    ldLibs: [],
    cxx: false,
    embedPatterns: [],
  };
}

/** Fills every package's `deps` (its transitive imports) from the `imports` edges. */
function closeDeps(packages: Map<string, GoPackage>): void {
  const memo = new Map<string, Set<string>>();
  const visit = (ip: string, stack: Set<string>): Set<string> => {
    const known = memo.get(ip);
    if (known) return known;
    const out = new Set<string>();
    if (stack.has(ip)) return out; // an import cycle (not valid Go; tolerated)
    stack.add(ip);
    for (const i of packages.get(ip)?.imports ?? []) {
      if (!packages.has(i)) continue;
      out.add(i);
      for (const d of visit(i, stack)) out.add(d);
    }
    stack.delete(ip);
    memo.set(ip, out);
    return out;
  };
  for (const [ip, p] of packages) p.deps = [...visit(ip, new Set())].sort();
}

export function mainsOf(packages: Map<string, GoPackage>): GoPackage[] {
  return [...packages.values()]
    .filter((p) => p.main && p.name === 'main' && !p.unresolved)
    .sort((a, b) => (a.dir ?? '').localeCompare(b.dir ?? ''));
}

/** A package and everything it imports, as packages of the graph. */
export function closure(g: PackageGraph, importPath: string): GoPackage[] {
  const p = g.packages.get(importPath);
  if (!p) return [];
  return [p, ...p.deps.map((d) => g.packages.get(d)!).filter(Boolean)];
}

/** What cgo a command links on the target: its own module's packages with `import "C"`, and dependencies'. */
export interface CgoUse {
  own: Array<{ pkg: string; files: string[] }>;
  deps: Array<{ pkg: string; module: string }>;
}

export function cgoUse(pkgs: GoPackage[]): CgoUse {
  const own: CgoUse['own'] = [];
  const deps: CgoUse['deps'] = [];
  for (const p of pkgs) {
    if (p.standard || !p.cgoFiles.length) continue;
    if (p.main) own.push({ pkg: p.importPath, files: [...p.cgoFiles] });
    else deps.push({ pkg: p.importPath, module: p.module ?? p.importPath });
  }
  own.sort((a, b) => a.pkg.localeCompare(b.pkg));
  deps.sort((a, b) => a.pkg.localeCompare(b.pkg));
  return { own, deps };
}
