import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { buildsReaching } from '../stage-graph.js';
import { runtimeStages } from '../rule-helpers.js';

export const GK023: Rule = {
  id: 'GK023',
  severity: 'error',
  title: 'A cgo-only dependency built with cgo off',
  explanation:
    'Some modules do their work in C: github.com/mattn/go-sqlite3 built with CGO_ENABLED=0 compiles to a stub that fails at run time with ' +
    '"Binary was compiled with \'CGO_ENABLED=0\', go-sqlite3 requires cgo to work. This is a stub". Reported when go.mod requires such a module.',
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
        const names = cgoMods.map((x) => x.r.path).join(', ');
        out.push({ line: inv.line, message: `go.mod requires ${names}, which needs cgo, but this build has ${inv.cgo.reason}: ${cgoMods[0]!.k!.note}` });
      }
    }
    return out;
  },
};
