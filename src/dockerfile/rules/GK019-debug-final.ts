import type { Rule } from '../rule.js';
import { imageLabel } from '../rule-helpers.js';

export const GK019: Rule = {
  id: 'GK019',
  severity: 'warning',
  title: 'A `:debug` image as the final stage',
  explanation:
    'distroless :debug tags add a busybox shell under /busybox for troubleshooting. Shipped to production it brings back the shell and ' +
    'tools the distroless image exists to leave out.',
  fix: 'Use the tag without debug (or :nonroot) for the final stage; keep a separate debug target if needed.',
  check: ({ model }) => {
    const st = model.final;
    if (!st?.base || !(st.image.debug === true || /(^|-)debug(-|$)/.test(st.base.tag ?? ''))) return [];
    return [{ line: st.baseLine, message: `the final image is based on ${imageLabel(st)}, a debug image with a busybox shell` }];
  },
};
