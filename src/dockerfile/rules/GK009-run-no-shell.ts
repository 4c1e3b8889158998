import type { Rule } from '../rule.js';
import { imageLabel } from '../rule-helpers.js';

export const GK009: Rule = {
  id: 'GK009',
  severity: 'error',
  title: 'RUN in a stage without a shell',
  explanation:
    'A shell-form RUN executes `/bin/sh -c`, which scratch and distroless images do not have; the build stops with ' +
    '"/bin/sh: no such file or directory". Prepare files in a builder stage and COPY them in.',
  fix: 'Move the step to a builder stage and COPY --from the result, or use an image with a shell.',
  check: ({ model }) =>
    model.stages.flatMap((st) => {
      if (st.image.shell !== false || st.shellInstruction !== undefined) return [];
      return st.runs
        .filter((r) => !r.execForm)
        .map((r) => ({ line: r.line, message: `RUN needs /bin/sh, which ${imageLabel(st)} does not have` }));
    }),
};
