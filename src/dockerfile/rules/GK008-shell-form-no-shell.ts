import type { Rule } from '../rule.js';
import { imageLabel, ownLine } from '../rule-helpers.js';
import { intendedWords } from '../steps.js';
import type { CommandStep } from '../model.js';

export const GK008: Rule = {
  id: 'GK008',
  severity: 'error',
  title: 'Shell-form ENTRYPOINT, CMD or HEALTHCHECK in an image without a shell',
  explanation:
    'Shell form (`ENTRYPOINT /app`) runs `/bin/sh -c "/app"`. scratch and distroless images have no /bin/sh (distroless :debug has ' +
    'busybox only under /busybox), so the container fails to start or the health check always fails. Exec form must be valid JSON: ' +
    'an array that does not parse (`CMD ["/app", `, single quotes, a trailing comma) is silently run in shell form.',
  fix: 'Use exec form, a JSON array of double-quoted strings: ENTRYPOINT ["/app"], HEALTHCHECK CMD ["/app", "health"].',
  check: ({ model }) =>
    model.stages.flatMap((st) => {
      if (st.image.shell !== false || st.shellInstruction !== undefined) return [];
      return st.commands
        .filter((c) => c.shellForm && ownLine(st, c.line))
        .map((c) =>
          c.jsonError !== undefined
            ? {
                line: c.line,
                message: `${c.keyword}'s JSON array does not parse (${c.jsonError}), so Docker runs it in shell form, with /bin/sh, which ${imageLabel(st)} does not have`,
                fix: `write valid JSON (double quotes, commas between strings, a closing ]): ${keyword(c)} ${JSON.stringify(intendedWords(c.text) ?? ['/app'])}`,
              }
            : {
                line: c.line,
                message: `shell-form ${c.keyword} needs /bin/sh, which ${imageLabel(st)} does not have`,
                fix: `${keyword(c)} ${JSON.stringify(c.text.trim().split(/\s+/))}`,
              },
        );
    }),
};

function keyword(c: CommandStep): string {
  return c.keyword === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : c.keyword;
}
