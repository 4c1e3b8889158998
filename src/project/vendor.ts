/**
 * vendor/modules.txt against go.mod: the same questions the go command asks before it reports
 * "inconsistent vendoring" (cmd/go/internal/modload/vendor.go), answered without running Go.
 */
import type { GoMod } from './gomod.js';
import { compareGoVersions } from './gomod.js';

export interface VendorModule {
  path: string;
  version: string | null;
  replacement: { path: string; version: string | null } | null;
  explicit: boolean;
  goVersion: string | null;
  packages: string[];
}

export type VendorProblemCode =
  'missing-in-vendor' | 'version-mismatch' | 'not-explicit' | 'not-required' | 'replace-mismatch' | 'no-modules-txt';
export interface VendorProblem {
  code: VendorProblemCode;
  module: string;
  message: string;
}

/** Parses `vendor/modules.txt`. Unknown lines are ignored, as the go command does. */
export function parseModulesTxt(text: string): VendorModule[] {
  const out: VendorModule[] = [];
  let cur: VendorModule | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('# ')) {
      const f = line.slice(2).trim().split(/\s+/);
      const arrow = f.indexOf('=>');
      const left = arrow < 0 ? f : f.slice(0, arrow);
      const right = arrow < 0 ? null : f.slice(arrow + 1);
      cur = {
        path: left[0] ?? '',
        version: left[1] ?? null,
        replacement: right ? { path: right[0] ?? '', version: right[1] ?? null } : null,
        explicit: false,
        goVersion: null,
        packages: [],
      };
      out.push(cur);
    } else if (line.startsWith('## ') && cur) {
      for (const part of line
        .slice(3)
        .split(';')
        .map((s) => s.trim())) {
        if (part === 'explicit') cur.explicit = true;
        else if (part.startsWith('go ')) cur.goVersion = part.slice(3).trim();
      }
    } else if (line && !line.startsWith('#') && cur) {
      cur.packages.push(line.trim());
    }
  }
  return out;
}

/**
 * The inconsistencies between go.mod and modules.txt. Since go 1.17 every requirement (direct or
 * indirect) must be listed `## explicit`; before, only direct ones. Replacements must agree both ways.
 */
export function checkVendor(mod: GoMod, modulesTxt: string | null): VendorProblem[] {
  if (modulesTxt === null) return [{ code: 'no-modules-txt', module: '', message: 'vendor/ exists but vendor/modules.txt is missing' }];
  const vendored = parseModulesTxt(modulesTxt);
  // `# path version [=> repl]` is the vendored module; `# path => repl` (no version) only records a
  // replace of all its versions, so it never hides the module's own line, wherever it stands
  const byPath = new Map<string, VendorModule>();
  for (const v of vendored) {
    if (v.version !== null) byPath.set(v.path, v);
    else if (v.replacement && !byPath.has(v.path)) byPath.set(v.path, v);
  }
  const problems: VendorProblem[] = [];
  const pre117 = mod.go !== null && compareGoVersions(mod.go, '1.17') < 0;
  for (const r of mod.require) {
    if (pre117 && r.indirect) continue;
    const v = byPath.get(r.path);
    if (!v) {
      problems.push({
        code: 'missing-in-vendor',
        module: r.path,
        message: `${r.path}@${r.version} is required in go.mod but not in vendor/modules.txt`,
      });
      continue;
    }
    if (v.version !== r.version) {
      problems.push({
        code: 'version-mismatch',
        module: r.path,
        message: `${r.path}: go.mod requires ${r.version}, vendor/modules.txt has ${v.version ?? 'no version'}`,
      });
    }
    if (!v.explicit) {
      problems.push({
        code: 'not-explicit',
        module: r.path,
        message: `${r.path}@${r.version} is required in go.mod but not marked as explicit in vendor/modules.txt`,
      });
    }
  }
  const required = new Set(mod.require.map((r) => r.path));
  for (const v of vendored) {
    if (v.explicit && !required.has(v.path)) {
      problems.push({
        code: 'not-required',
        module: v.path,
        message: `${v.path} is marked as explicit in vendor/modules.txt but not required in go.mod`,
      });
    }
  }
  const vendorRepl = new Map(vendored.filter((v) => v.replacement).map((v) => [`${v.path} ${v.version ?? ''}`, v.replacement!]));
  for (const r of mod.replace) {
    // a replacement only matters when the module is vendored at all
    const inVendor = vendored.find((v) => v.path === r.old.path && (r.old.version === null || v.version === r.old.version));
    if (!inVendor) continue;
    const got = inVendor.replacement;
    if (!got || got.path !== r.new.path || (got.version ?? null) !== r.new.version) {
      problems.push({
        code: 'replace-mismatch',
        module: r.old.path,
        message: `${r.old.path} is replaced in go.mod by ${r.new.path}${r.new.version ? ' ' + r.new.version : ''}, but vendor/modules.txt says ${got ? got.path + (got.version ? ' ' + got.version : '') : 'no replacement'}`,
      });
    }
  }
  for (const [key, repl] of vendorRepl) {
    const [path] = key.split(' ');
    if (!mod.replace.some((r) => r.old.path === path)) {
      problems.push({
        code: 'replace-mismatch',
        module: path!,
        message: `${path} is replaced in vendor/modules.txt by ${repl.path} but not in go.mod`,
      });
    }
  }
  return problems;
}
