import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';

export const GK013: Rule = {
  id: 'GK013',
  severity: 'info',
  title: '`go mod download` / `go build` without BuildKit cache mounts',
  explanation:
    'Without cache mounts every change to the sources (or to go.mod) starts from an empty module cache and build cache. BuildKit cache ' +
    'mounts keep /go/pkg/mod and /root/.cache/go-build (or $GOMODCACHE and $GOCACHE) across builds without putting them in a layer.',
  fix: 'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build …',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      const reported = new Set<number>();
      for (const g of st.goCommands) {
        const isBuild = g.sub === 'build' || g.sub === 'install';
        if (!isBuild && g.sub !== 'mod download') continue;
        if (reported.has(g.run.line)) continue;
        const targets = g.run.mounts.filter((m) => m.type === 'cache').map((m) => (m.target ?? '').replace(/\/+$/, ''));
        const modCache = (g.env.GOMODCACHE || `${g.env.GOPATH || '/go'}/pkg/mod`).replace(/\/+$/, '');
        const buildCache = (g.env.GOCACHE || '/root/.cache/go-build').replace(/\/+$/, '');
        const missing: string[] = [];
        const vendored = g.flags.get('mod') === 'vendor' || /-mod=vendor/.test(g.env.GOFLAGS ?? '');
        if (!vendored && !targets.includes(modCache) && !targets.some((t) => modCache.startsWith(t + '/'))) missing.push(modCache);
        if (isBuild && !targets.includes(buildCache) && !targets.some((t) => buildCache.startsWith(t + '/'))) missing.push(buildCache);
        if (!missing.length) continue;
        reported.add(g.run.line);
        out.push({ line: g.run.line, message: `go ${g.sub} runs without a cache mount on ${missing.join(' and ')}` });
      }
    }
    return out;
  },
};
