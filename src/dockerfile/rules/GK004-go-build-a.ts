import type { Rule } from '../rule.js';

export const GK004: Rule = {
  id: 'GK004',
  severity: 'warning',
  title: '`go build -a` defeats the build cache',
  explanation:
    "`-a` forces every package, the standard library included, to be rebuilt, so neither Go's build cache nor a BuildKit cache mount helps. " +
    'It was once used to force static binaries; with CGO_ENABLED=0 that is the default. Use cache mounts for fast rebuilds instead.',
  fix: 'Drop -a; mount the caches: RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build …',
  check: ({ model }) =>
    model.stages.flatMap((st) =>
      st.goCommands
        .filter((g) => (g.sub === 'build' || g.sub === 'install') && g.flags.get('a') === true)
        .map((g) => ({ line: g.line, message: `go ${g.sub} -a rebuilds every package on every build` })),
    ),
};
