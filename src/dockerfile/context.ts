/**
 * Reads the build context next to a Dockerfile: go.mod, whether vendor/modules.txt exists, and the Go
 * sources through the Go-source model (bounded: at most MAX_FILES non-test files, 8 directories deep).
 * The only file-system code of the linter besides the CLI; problems become notes, never exceptions.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseGoMod } from '../project/gomod.js';
import { isGokilnError } from '../errors.js';
import type { BuildContext, DepPackage } from './model.js';
import { scannedFrom } from './sources.js';
import { readModuleSources, type GoSources } from '../gosrc/sources.js';
import { compiledFiles, isStdImport } from '../gosrc/graph.js';
import { linuxTarget } from '../gosrc/target.js';

const MAX_FILES = 2000;

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
  const src = readModuleSources(dir, { maxFiles: MAX_FILES, maxDepth: 8, modulePath: context.goMod?.module ?? undefined });
  if (Object.keys(src.packages).length) context.sources = scannedFrom(src);
  if (context.hasVendor && context.sources?.imports)
    context.vendored = readVendored(src, Object.keys(context.sources.imports), context.goMod?.module ?? undefined);
  return { context, notes };
}

const MAX_VENDORED = 5000;

/** The vendored packages the module's imports reach, transitively, each with its imports and cgo use on linux. */
function readVendored(src: GoSources, roots: string[], modulePath: string | undefined): Record<string, DepPackage> {
  const out: Record<string, DepPackage> = {};
  const t = linuxTarget(null);
  const queue = roots.filter((p) => !isStdImport(p, modulePath));
  const seen = new Set(queue);
  while (queue.length && Object.keys(out).length < MAX_VENDORED) {
    const pkg = src.vendored(queue.shift()!);
    if (!pkg) continue; // not vendored: whoever asks cannot tell what it links
    const ip = pkg.dir.slice('vendor/'.length);
    const dep: DepPackage = { imports: [] };
    const imports = new Set<string>();
    for (const f of compiledFiles(pkg, t)) {
      if (f.cgo) dep.cgoFile ??= f.path;
      f.imports.forEach((i) => imports.add(i));
    }
    dep.imports = [...imports].sort();
    out[ip] = dep;
    for (const imp of dep.imports) {
      if (!seen.has(imp) && !isStdImport(imp, modulePath)) {
        seen.add(imp);
        queue.push(imp);
      }
    }
  }
  return out;
}
