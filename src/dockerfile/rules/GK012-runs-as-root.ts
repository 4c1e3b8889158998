import type { Rule } from '../rule.js';
import { imageLabel } from '../rule-helpers.js';

export const GK012: Rule = {
  id: 'GK012',
  severity: 'warning',
  title: 'The final image runs as root',
  explanation:
    'Without USER (or with USER root/0) the program runs as uid 0, so a compromise of it owns the container. distroless images run as ' +
    'root unless the :nonroot tag or a USER is used. A Go binary rarely needs root; ports below 1024 are the usual reason, and those can change.',
  fix: 'Add USER 65532:65532 (or USER nonroot on distroless), or use a :nonroot distroless tag; listen on a port >= 1024.',
  check: ({ model }) => {
    const st = model.final;
    if (!st) return [];
    const last = st.users[st.users.length - 1];
    if (last) {
      const u = last.value.split(':')[0]!.trim();
      if (u === 'root' || u === '0') return [{ line: last.line, message: `USER ${last.value} runs the program as root` }];
      return [];
    }
    const def = st.image.defaultUser;
    if (def !== undefined && def !== 'root' && def !== '0') return [];
    // the default user is not known (an image gokiln does not know, or a distroless tag it cannot read): no claim
    if (def === undefined) return [];
    const what =
      st.image.kind === 'distroless'
        ? `${imageLabel(st)} runs as root (use the :nonroot tag or USER nonroot)`
        : `${imageLabel(st)} has no USER, so the program runs as root`;
    return [{ line: st.line, message: what }];
  },
};
