/**
 * The package graph from `go list -e -deps -json ./...`: the go command's own answer for a target (GOOS,
 * GOARCH, CGO_ENABLED, tags), so build constraints, cgo directives and module resolution are its, not a
 * reading of them. The main module's file facts (LoadLocation calls, TLS hints) still come from the source
 * reader, restricted to the files go list says are compiled.
 */
import { spawnSync } from 'node:child_process';
import { relative, sep } from 'node:path';
import type { GoSources } from './sources.js';
import { mainsOf, type GoPackage, type PackageGraph } from './graph.js';
import type { Target } from './target.js';

interface GoListJson {
  ImportPath: string;
  Name: string;
  Dir?: string;
  Standard?: boolean;
  Module?: { Path: string; Main?: boolean };
  GoFiles?: string[];
  CgoFiles?: string[];
  CXXFiles?: string[];
  Imports?: string[];
  Deps?: string[];
  CgoPkgConfig?: string[];
  CgoLDFLAGS?: string[];
  EmbedPatterns?: string[];
  Incomplete?: boolean;
  Error?: { Err: string };
}

/**
 * The fields read below. Naming them (`-json=A,B`, Go 1.19+; docs/knowledge.md "The go command") lets go list
 * skip what it would otherwise compute for every package, staleness above all: hello-service's listing took
 * 210 ms with every field, 85 ms with these. test/gosrc/golist-fields.test.ts checks the graph is the same.
 */
const LISTED_FIELDS = [
  'ImportPath',
  'Name',
  'Dir',
  'Standard',
  'Module',
  'GoFiles',
  'CgoFiles',
  'CXXFiles',
  'Imports',
  'Deps',
  'CgoPkgConfig',
  'CgoLDFLAGS',
  'EmbedPatterns',
  'Error',
] as const satisfies ReadonlyArray<keyof GoListJson>;

export interface GoListOptions {
  go: string;
  env?: NodeJS.ProcessEnv;
}

/** The go command's environment for a target; GOTOOLCHAIN=local: reading a project never downloads a toolchain. */
export function goListEnv(t: Target, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, CGO_ENABLED: t.cgo ? '1' : '0', GOOS: t.goos, GOTOOLCHAIN: 'local' };
  if (t.goarch) out.GOARCH = t.goarch;
  return out;
}

/**
 * Runs go list in `dir` and turns its answer into a graph, or says why it could not (go missing, a go.mod
 * needing a newer Go under GOTOOLCHAIN=local, modules not downloadable): the caller reads the sources instead.
 */
export function graphFromGoList(dir: string, t: Target, src: GoSources, opts: GoListOptions): { graph: PackageGraph } | { error: string } {
  const run = (json: string) => {
    const args = ['list', '-e', '-deps', json];
    if (t.tags.length) args.push(`-tags=${t.tags.join(',')}`);
    args.push('./...');
    // CGO_ENABLED=1 lists the files with import "C" even where no C compiler is installed: go list does not compile
    return spawnSync(opts.go, args, {
      cwd: dir,
      env: goListEnv(t, opts.env ?? process.env),
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      timeout: 300_000,
    });
  };
  let r = run(`-json=${LISTED_FIELDS.join(',')}`);
  // a Go before 1.19 knows only a bare -json (its flag error names it): ask again for every field
  if (!r.error && r.status !== 0 && /-json/.test(r.stderr ?? '')) r = run('-json');
  if (r.error) return { error: `could not run ${opts.go}: ${r.error.message}` };
  if (r.status !== 0) return { error: `go list failed: ${(r.stderr || '').trim().split('\n').slice(0, 3).join(' ')}` };
  const listed = parseJsonStream(r.stdout) as GoListJson[];
  const broken = listed.filter((p) => p.Error && !p.Standard);
  if (broken.length && listed.every((p) => p.Error || p.Standard)) return { error: `go list: ${broken[0]!.Error!.Err.split('\n')[0]}` };
  const modulePath = listed.find((p) => p.Module?.Main)?.Module?.Path ?? src.modulePath ?? null;
  const packages = new Map<string, GoPackage>();
  for (const j of listed) {
    const main = Boolean(j.Module?.Main) && !j.Standard;
    const rel = j.Dir ? relative(dir, j.Dir).split(sep).join('/') : null;
    const dirRel = main ? rel : rel !== null && rel.startsWith('vendor/') ? rel : null;
    const goFiles = [...(j.GoFiles ?? []), ...(j.CgoFiles ?? [])].sort();
    // a directory of the module whose every file is excluded for this target (`//go:build integration`) is
    // listed by go list (IgnoredGoFiles), but nothing of it is built: the source reader leaves it out, and so does the model
    if (main && !goFiles.length) continue;
    const p: GoPackage = {
      importPath: j.ImportPath,
      name: j.Name,
      dir: dirRel,
      standard: Boolean(j.Standard),
      module: j.Standard ? null : (j.Module?.Path ?? null),
      main,
      goFiles,
      cgoFiles: [...(j.CgoFiles ?? [])].sort(),
      imports: (j.Imports ?? []).filter((i) => i !== 'C'),
      deps: [...(j.Deps ?? [])].sort(),
      pkgConfig: (j.CgoPkgConfig ?? []).filter((n) => !n.startsWith('-')),
      ldLibs: (j.CgoLDFLAGS ?? []).filter((f) => /^-l./.test(f)).map((f) => f.slice(2)),
      cxx: Boolean(j.CXXFiles?.length),
      embedPatterns: [...(j.EmbedPatterns ?? [])].sort(),
    };
    if (j.Error) p.error = j.Error.Err.split('\n')[0]!;
    if (main && dirRel !== null) {
      const sp = src.packages[dirRel];
      if (sp) p.files = sp.files.filter((f) => goFiles.includes(f.name));
    }
    packages.set(p.importPath, p);
  }
  // go list -deps lists a package's dependencies without `Deps` for packages it could not load; `deps` stays as listed
  const errors = [...packages.values()].filter((p) => p.error && !p.standard).map((p) => `${p.importPath}: ${p.error}`);
  const graph: PackageGraph = {
    method: 'go-list',
    note: errors.length ? `go list reported: ${errors.slice(0, 3).join('; ')}` : null,
    target: t,
    modulePath,
    packages,
    mains: mainsOf(packages),
  };
  return { graph };
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
