/**
 * Reads the build context next to a Dockerfile: go.mod, whether vendor/modules.txt exists, and the Go
 * sources (bounded: at most MAX_FILES non-test files, skipping vendor, testdata, dot directories and nested
 * modules).
 * The only file-system code of the linter besides the CLI; problems become notes, never exceptions.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseGoMod } from '../project/gomod.js';
import { isGokilnError } from '../errors.js';
import type { BuildContext, DepPackage } from './model.js';
import { builtOnLinux, goImports, scanGoSources } from './sources.js';
import { isStdImport } from './cgo-linkage.js';

const MAX_FILES = 2000;
const SKIP_DIRS = new Set(['vendor', 'testdata', 'node_modules']);

export interface LoadedContext {
  context: BuildContext;
  /** why a part could not be read (a malformed go.mod…) */
  notes: { file: string; line: number; message: string }[];
}

export function loadBuildContext(dir: string): LoadedContext {
  const context: BuildContext = {};
  const notes: LoadedContext['notes'] = [];
  const modPath = join(dir, 'go.mod');
  if (existsSync(modPath)) {
    try {
      context.goMod = parseGoMod(readFileSync(modPath, 'utf8'), modPath);
    } catch (e) {
      notes.push({ file: modPath, line: isGokilnError(e) ? (e.details.line ?? 1) : 1, message: (e as Error).message });
    }
    context.hasVendor = existsSync(join(dir, 'vendor', 'modules.txt'));
  }
  const files: { path: string; text: string }[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 8 || files.length >= MAX_FILES) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (files.length >= MAX_FILES) return;
      const p = join(d, name);
      if (name.endsWith('.go') && !name.endsWith('_test.go')) {
        try {
          files.push({ path: relative(dir, p), text: readFileSync(p, 'utf8') });
        } catch {
          // unreadable source: the facts come from the others
        }
        continue;
      }
      if (name.startsWith('.') || name.startsWith('_') || SKIP_DIRS.has(name)) continue;
      try {
        // a directory with its own go.mod is another module, built on its own: its sources say nothing
        // about the program this context's go.mod builds
        if (statSync(p).isDirectory() && !existsSync(join(p, 'go.mod'))) walk(p, depth + 1);
      } catch {
        // vanished or unreadable entry
      }
    }
  };
  walk(dir, 0);
  if (files.length) context.sources = scanGoSources(files);
  if (context.hasVendor && context.sources?.imports) context.vendored = readVendored(dir, Object.keys(context.sources.imports), context.goMod?.module ?? undefined);
  return { context, notes };
}

const MAX_VENDORED = 5000;

/** The vendored packages the module's imports reach, transitively, each with its own imports and cgo use. */
function readVendored(dir: string, roots: string[], modulePath: string | undefined): Record<string, DepPackage> {
  const out: Record<string, DepPackage> = {};
  const queue = roots.filter((p) => !isStdImport(p, modulePath));
  const seen = new Set(queue);
  while (queue.length && Object.keys(out).length < MAX_VENDORED) {
    const pkg = queue.shift()!;
    const pdir = join(dir, 'vendor', ...pkg.split('/'));
    let names: string[];
    try {
      names = readdirSync(pdir).sort();
    } catch {
      continue; // not vendored: whoever asks cannot tell what it links
    }
    const dep: DepPackage = { imports: [] };
    const imports = new Set<string>();
    let goFiles = 0;
    for (const name of names) {
      if (!name.endsWith('.go') || name.endsWith('_test.go')) continue;
      let text: string;
      try {
        text = readFileSync(join(pdir, name), 'utf8');
      } catch {
        continue;
      }
      goFiles++;
      if (!builtOnLinux(name, text)) continue;
      for (const imp of goImports(text)) {
        if (imp === 'C') dep.cgoFile ??= `vendor/${pkg}/${name}`;
        else imports.add(imp);
      }
    }
    if (!goFiles) continue;
    dep.imports = [...imports].sort();
    out[pkg] = dep;
    for (const imp of dep.imports) {
      if (!seen.has(imp) && !isStdImport(imp, modulePath)) {
        seen.add(imp);
        queue.push(imp);
      }
    }
  }
  return out;
}
