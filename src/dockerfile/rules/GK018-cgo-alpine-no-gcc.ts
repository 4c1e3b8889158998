import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { imageLabel } from '../rule-helpers.js';

export const GK018: Rule = {
  id: 'GK018',
  severity: 'error',
  title: 'CGO_ENABLED=1 on an Alpine builder without gcc and musl-dev',
  explanation:
    'The golang Alpine images contain Go and ca-certificates only: no C compiler and no C headers. With CGO_ENABLED=1 the build stops with ' +
    '"cgo: C compiler "gcc" not found" (or missing headers without musl-dev).',
  fix: 'RUN apk add --no-cache gcc musl-dev (or build-base) before the build, or build with CGO_ENABLED=0.',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    for (const st of model.stages) {
      if (st.image.kind !== 'golang' || st.image.os?.distro !== 'alpine' || st.image.cgoToolchain === true) continue;
      const hasGcc = st.packages.has('gcc') || st.packages.has('build-base') || st.packages.has('clang');
      const hasHeaders = st.packages.has('musl-dev') || st.packages.has('build-base');
      if (hasGcc && hasHeaders) continue;
      for (const g of st.goCommands) {
        if (!(g.sub === 'build' || g.sub === 'install' || g.sub === 'test' || g.sub === 'run') || g.cgo.on !== true || !g.cgo.explicit) continue;
        const missing = [hasGcc ? '' : 'gcc', hasHeaders ? '' : 'musl-dev'].filter(Boolean).join(' and ');
        out.push({ line: g.line, message: `CGO_ENABLED=1 on ${imageLabel(st)}, which has no ${missing}`, fix: `RUN apk add --no-cache ${missing.replace(' and ', ' ')} before the build` });
      }
    }
    return out;
  },
};
