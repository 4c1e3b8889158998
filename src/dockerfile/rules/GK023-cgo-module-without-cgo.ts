import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { buildsReaching } from '../stage-graph.js';
import { runtimeStages } from '../rule-helpers.js';
import type { BuildContext, GoInvocation } from '../model.js';
import { buildTargets } from '../cgo-linkage.js';
import type { ScannedSources } from '../sources.js';

/**
 * Every import path the packages of the build target reach through the module's own packages (and
 * vendor/), or undefined when the target or the sources are unknown.
 */
function targetImports(ctx: BuildContext, inv: GoInvocation): Set<string> | undefined {
  const src = ctx.sources as ScannedSources | undefined;
  if (!src?.packages) return undefined;
  const mod = ctx.goMod?.module ?? undefined;
  const t = buildTargets(src.packages, mod, inv);
  if ('unresolved' in t) return undefined;
  const imports = new Set<string>();
  const dirs = [...t.dirs];
  const seenDirs = new Set<string>();
  const vendorQueue: string[] = [];
  const note = (imp: string) => {
    if (imports.has(imp)) return;
    imports.add(imp);
    if (mod && (imp === mod || imp.startsWith(mod + '/'))) dirs.push(imp === mod ? '' : imp.slice(mod.length + 1));
    else if (ctx.vendored?.[imp]) vendorQueue.push(imp);
  };
  while (dirs.length || vendorQueue.length) {
    const d = dirs.pop();
    if (d !== undefined) {
      if (seenDirs.has(d)) continue;
      seenDirs.add(d);
      for (const f of src.packages[d]?.files ?? []) for (const imp of f.imports) note(imp);
      continue;
    }
    for (const imp of ctx.vendored?.[vendorQueue.pop()!]?.imports ?? []) note(imp);
  }
  return imports;
}

export const GK023: Rule = {
  id: 'GK023',
  severity: 'error',
  title: 'A cgo-only dependency built with cgo off',
  explanation:
    'Some modules do their work in C: github.com/mattn/go-sqlite3 built with CGO_ENABLED=0 compiles to a stub that fails at run time with ' +
    '"Binary was compiled with \'CGO_ENABLED=0\', go-sqlite3 requires cgo to work. This is a stub". With the build context gokiln ' +
    'follows the imports of the command being built (its package and the module packages and vendored ones it reaches): an error when ' +
    'they import such a module, nothing when only other commands of the module do. Without the sources it falls back to go.mod.',
  fix: 'Build with cgo on a matching runtime (CGO_ENABLED=1, debian or alpine with gcc musl-dev), or switch to a pure-Go module (modernc.org/sqlite).',
  check: ({ model, knowledge }) => {
    const mod = model.context.goMod;
    if (!mod) return [];
    const cgoMods = mod.require.map((r) => ({ r, k: knowledge.cgoOnlyModule(r.path) })).filter((x) => x.k !== undefined);
    if (!cgoMods.length) return [];
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    for (const rt of runtimeStages(model)) {
      for (const { inv } of buildsReaching(model, rt)) {
        if (inv.sub !== 'build' || inv.cgo.on !== false || seen.has(inv.line)) continue;
        seen.add(inv.line);
        // what the built command links, not what the module requires (litestream's cmd/litestream does not
        // import go-sqlite3 though go.mod requires it): follow the target's imports through the module
        const linked = targetImports(model.context, inv);
        const used =
          linked === undefined ? cgoMods : cgoMods.filter((x) => [...linked].some((i) => i === x.r.path || i.startsWith(x.r.path + '/')));
        if (linked !== undefined && used.length === 0) {
          // a direct requirement the target does not import is used by other packages; an indirect one may
          // still come in through a dependency gokiln cannot read
          const indirect = cgoMods.filter((x) => x.r.indirect);
          if (indirect.length === 0) continue;
          out.push({
            line: inv.line,
            severity: 'info',
            message: `go.mod requires ${indirect.map((x) => x.r.path).join(', ')} (indirect), which needs cgo, and this build has ${inv.cgo.reason}; the command's own packages do not import it, so it matters only if a dependency does`,
          });
          continue;
        }
        const names = used.map((x) => x.r.path).join(', ');
        const how = linked === undefined ? `go.mod requires ${names}` : `the command imports ${names}`;
        out.push({ line: inv.line, message: `${how}, which needs cgo, but this build has ${inv.cgo.reason}: ${used[0]!.k!.note}` });
      }
    }
    return out;
  },
};
