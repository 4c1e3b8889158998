/**
 * The Go sources of a module as read from disk or memory: every non-test `.go` file of each directory
 * (a package), unfiltered, and the vendored packages read on demand. Which files a build compiles is a
 * question for a target (target.ts), asked by the graph (graph.ts); this module only reads.
 * Bounded walks (files, depth) for lint, which reads any build context; plan reads the whole module.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readGoFile, type GoFile } from './file.js';

/** The non-test `.go` files of one directory. */
export interface SourcePackage {
  /** from the module root, `/`-separated, `` for the root; `vendor/<import path>` for a vendored package */
  dir: string;
  /** the first package clause among its files (`main` for a command) */
  name: string;
  files: GoFile[];
}

export interface GoSources {
  /** go.mod's module path, when known */
  modulePath: string | undefined;
  /** the module's own packages by directory (`` for the root) */
  packages: Record<string, SourcePackage>;
  /** `vendor/modules.txt` exists */
  hasVendor: boolean;
  /** a vendored package by import path, read on first use; undefined when it is not vendored */
  vendored(importPath: string): SourcePackage | undefined;
  /** files that could not be read (path from the root and why) */
  /** files and directories that could not be read, with the errno code (EACCES…) when there is one */
  unreadable: Array<{ path: string; message: string; errno?: string }>;
  /** the walk stopped at its bound: some packages were not read */
  truncated: boolean;
}

export interface ReadOptions {
  maxFiles?: number;
  maxDepth?: number;
  modulePath?: string;
}

/** Directory names the go command ignores for `./...`, plus node_modules which no Go project builds from. */
function skipDir(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name === 'testdata' || name === 'vendor' || name === 'node_modules';
}

/** Reads a module directory: every non-test .go file outside vendor/, testdata/, `_`/`.` dirs and nested modules. */
export function readModuleSources(root: string, opts: ReadOptions = {}): GoSources {
  const max = opts.maxFiles ?? Infinity;
  const maxDepth = opts.maxDepth ?? Infinity;
  const packages: Record<string, SourcePackage> = {};
  const unreadable: GoSources['unreadable'] = [];
  let count = 0;
  let truncated = false;
  const walk = (abs: string, rel: string, depth: number) => {
    if (depth > maxDepth) {
      truncated = true;
      return;
    }
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch (e) {
      if (rel !== '') unreadable.push({ path: rel, message: (e as Error).message, errno: (e as NodeJS.ErrnoException).code });
      return;
    }
    for (const name of names) {
      const p = join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (name.endsWith('.go')) {
        if (name.endsWith('_test.go')) continue;
        if (count >= max) {
          truncated = true;
          return;
        }
        let text: string;
        try {
          if (!statSync(p).isFile()) continue;
          text = readFileSync(p, 'utf8');
        } catch (e) {
          unreadable.push({ path: r, message: (e as Error).message, errno: (e as NodeJS.ErrnoException).code });
          continue;
        }
        count++;
        addFile(packages, rel, readGoFile(r, text));
        continue;
      }
      if (skipDir(name)) continue;
      try {
        // a directory with its own go.mod is another module: its packages are not this module's
        if (statSync(p).isDirectory() && !existsSync(join(p, 'go.mod'))) walk(p, r, depth + 1);
      } catch {
        // vanished entry
      }
    }
  };
  walk(root, '', 0);
  const hasVendor = existsSync(join(root, 'vendor', 'modules.txt'));
  const cache = new Map<string, SourcePackage | undefined>();
  return {
    modulePath: opts.modulePath,
    packages,
    hasVendor,
    unreadable,
    truncated,
    vendored(ip) {
      if (!hasVendor) return undefined;
      if (!cache.has(ip)) cache.set(ip, readVendored(root, ip));
      return cache.get(ip);
    },
  };
}

/** Sources given as text (tests, and lint's callers that hold files in memory); nothing is vendored. */
export function sourcesFromFiles(files: Array<{ path: string; text: string }>, modulePath?: string): GoSources {
  const packages: Record<string, SourcePackage> = {};
  for (const { path, text } of files) {
    const slash = path.lastIndexOf('/');
    if (!path.endsWith('.go') || path.endsWith('_test.go')) continue;
    addFile(packages, slash < 0 ? '' : path.slice(0, slash), readGoFile(path, text));
  }
  return { modulePath, packages, hasVendor: false, unreadable: [], truncated: false, vendored: () => undefined };
}

function addFile(packages: Record<string, SourcePackage>, dir: string, f: GoFile): void {
  const pkg = (packages[dir] ??= { dir, name: '', files: [] });
  pkg.files.push(f);
  // `package documentation` files and the like are rare; the first real clause names the package
  if (!pkg.name && f.packageName) pkg.name = f.packageName;
}

function readVendored(root: string, ip: string): SourcePackage | undefined {
  const abs = join(root, 'vendor', ...ip.split('/'));
  let names: string[];
  try {
    names = readdirSync(abs).sort();
  } catch {
    return undefined;
  }
  const pkg: SourcePackage = { dir: `vendor/${ip}`, name: '', files: [] };
  for (const name of names) {
    if (!name.endsWith('.go') || name.endsWith('_test.go')) continue;
    try {
      const f = readGoFile(`vendor/${ip}/${name}`, readFileSync(join(abs, name), 'utf8'));
      pkg.files.push(f);
      if (!pkg.name && f.packageName) pkg.name = f.packageName;
    } catch {
      // unreadable vendored file: the package is read from the others
    }
  }
  return pkg.files.length ? pkg : undefined;
}
