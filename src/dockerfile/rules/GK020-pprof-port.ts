import type { Rule } from '../rule.js';

export const GK020: Rule = {
  id: 'GK020',
  severity: 'warning',
  title: 'Profiling port exposed by the production image',
  explanation:
    'Port 6060 is the conventional net/http/pprof and expvar port. Exposed, it publishes heap dumps, goroutine stacks and command lines and ' +
    'lets anyone start a CPU profile. Keep it on localhost or behind an admin network, not in EXPOSE.',
  fix: 'Remove EXPOSE 6060 and bind pprof to 127.0.0.1 (reach it with kubectl port-forward).',
  check: ({ model }) => {
    const st = model.final;
    if (!st) return [];
    const src = model.context.sources;
    const why = src?.importsPprof ? ' (the program imports net/http/pprof)' : src?.importsExpvar ? ' (the program imports expvar)' : '';
    return st.exposes
      .filter((e) => /^6060(\/tcp)?$/.test(e.port))
      .map((e) => ({ line: e.line, message: `EXPOSE ${e.port} publishes the pprof/expvar port${why}` }));
  },
};
