import type { Rule } from '../rule.js';
import { imageLabel, ownLine } from '../rule-helpers.js';

export const GK008: Rule = {
  id: 'GK008',
  severity: 'error',
  title: 'Shell-form ENTRYPOINT, CMD or HEALTHCHECK in an image without a shell',
  explanation:
    'Shell form (`ENTRYPOINT /app`) runs `/bin/sh -c "/app"`. scratch and distroless images have no /bin/sh (distroless :debug has ' +
    'busybox only under /busybox), so the container fails to start or the health check always fails.',
  fix: 'Use exec form: ENTRYPOINT ["/app"], HEALTHCHECK CMD ["/app", "health"].',
  check: ({ model }) =>
    model.stages.flatMap((st) => {
      if (st.image.shell !== false || st.shellInstruction !== undefined) return [];
      return st.commands
        .filter((c) => c.shellForm && ownLine(st, c.line))
        .map((c) => ({
          line: c.line,
          message: `shell-form ${c.keyword} needs /bin/sh, which ${imageLabel(st)} does not have`,
          fix: `${c.keyword === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : c.keyword} ${JSON.stringify(c.text.trim().split(/\s+/))}`,
        }));
    }),
};
