/**
 * Which variable a binary's version lives in, from what the project already says: a `-X pkg.var=` in its
 * Makefile, GoReleaser, promu or CI files, checked against the sources (the variable must exist in a
 * package the binary links); else a package-level `version`/`Version` string in the command or in a
 * `version` package it imports; else `github.com/prometheus/common/version` when it is linked. With none,
 * the Dockerfile sets no -X and Go's own stamping (the module version, vcs.* with .git in the context) is
 * what `go version -m` shows.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GoPackage, PackageGraph } from '../gosrc/graph.js';
import { closure } from '../gosrc/graph.js';

export interface VersionStamp {
  /** the `-X` symbol: `main.Version`, `github.com/cloudflare/cfssl/cli/version.version` */
  symbol: string;
  /** where it was found: `Makefile:2`, `.promu.yml:11`, `cmd/api/main.go` */
  source: string;
}

/** A `-X` the project's build files set: the symbol and where. */
interface StampRef {
  pkg: string;
  name: string;
  source: string;
}

const BUILD_FILES =
  /^(GNUmakefile|Makefile|makefile|Makefile\..+|.+\.mk|\.goreleaser\.ya?ml|goreleaser\.ya?ml|\.promu\.ya?ml|\.promu-.+\.ya?ml|Taskfile\.ya?ml|\.gitlab-ci\.yml|build\.sh|magefile\.go)$/;

/** The `-X` assignments of the project's build files (root, .github/workflows, scripts/, build/). */
export function projectStampRefs(dir: string): StampRef[] {
  const files: string[] = [];
  const list = (rel: string, all: boolean) => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    for (const n of readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${n}` : n;
      try {
        if (!statSync(join(dir, r)).isFile()) continue;
      } catch {
        continue;
      }
      if (all ? /\.(ya?ml|sh|mk)$|^Makefile/.test(n) : BUILD_FILES.test(n)) files.push(r);
    }
  };
  list('', false);
  list('.github/workflows', true);
  list('scripts', true);
  list('build', true);
  const out: StampRef[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(join(dir, f), 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      // -X pkg.name=value, -X=pkg.name=value, -X 'pkg.name=value', -X "pkg.name=value"
      for (const m of lines[i]!.matchAll(/-X[=\s]+['"]?([\w./-]+)\.([A-Za-z_]\w*)=/g)) {
        out.push({ pkg: m[1]!, name: m[2]!, source: `${f}:${i + 1}` });
      }
    }
  }
  return out;
}

function declares(p: GoPackage | undefined, name: string): boolean {
  return Boolean(p?.files?.some((f) => f.stringVars.includes(name)));
}

/** `cmd/api/main.go: var Version`: the file declaring it. */
function declaredAt(p: GoPackage, name: string): string {
  return `${p.files!.find((f) => f.stringVars.includes(name))!.path}: var ${name}`;
}

/** The variable to stamp for a command, or null when the project has none. */
export function versionStamp(g: PackageGraph, mainImportPath: string, refs: StampRef[]): VersionStamp | null {
  const pkgs = closure(g, mainImportPath);
  const main = g.packages.get(mainImportPath);
  const linked = new Map(pkgs.map((p) => [p.importPath, p]));
  // what the project's build files set, where the variable is in a package the command links
  for (const r of refs) {
    if (r.pkg === 'main' && declares(main, r.name)) return { symbol: `main.${r.name}`, source: r.source };
    const p = linked.get(r.pkg);
    // a dependency's sources may not be on disk (no go list, not vendored): that it is linked is enough
    if (p && (declares(p, r.name) || !p.files)) return { symbol: `${r.pkg}.${r.name}`, source: r.source };
  }
  for (const name of ['version', 'Version']) {
    if (declares(main, name)) return { symbol: `main.${name}`, source: declaredAt(main!, name) };
  }
  for (const p of pkgs) {
    if (!p.main || p.name !== 'version') continue;
    for (const name of ['Version', 'version'])
      if (declares(p, name)) return { symbol: `${p.importPath}.${name}`, source: declaredAt(p, name) };
  }
  if (linked.has('github.com/prometheus/common/version'))
    return { symbol: 'github.com/prometheus/common/version.Version', source: 'github.com/prometheus/common/version is linked' };
  return null;
}
