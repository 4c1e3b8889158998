import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';

/** Problems reading the Dockerfile itself; the model collects them, this rule reports them. */
export const GK000: Rule = {
  id: 'GK000',
  severity: 'error',
  title: 'The Dockerfile cannot be read as written',
  explanation:
    'A malformed or binary file, an unknown instruction, an instruction before the first FROM, or an ARG used in FROM that no ARG ' +
    'declares: Docker refuses such a file or builds something other than intended; the other rules only see what could be understood. ' +
    'A FROM that takes its image from an ARG declared without a default (`ARG GO_IMAGE`, `FROM golang:${GO_IMAGE}`) is a normal, ' +
    'buildable Dockerfile whose Makefile or CI passes --build-arg: lint says once, as info, which stages it could not resolve and ' +
    'therefore judged without knowing their base image, and lints everything else.',
  fix: 'Correct the line, or declare the ARG before the first FROM; to lint a parameterised base, pass --build-arg NAME=value.',
  check: ({ model }) => {
    const out: RawFinding[] = model.problems.map((p) => ({ line: p.line, column: p.column, message: p.message, ...(p.fix ? { fix: p.fix } : {}) }));
    const open = model.stages.filter((s) => s.unresolvedArgs?.length);
    if (open.length) {
      const args = [...new Set(open.flatMap((s) => s.unresolvedArgs!))];
      const stages = open.map((s) => `${s.name ?? `stage ${s.index}`} (FROM ${s.fromRaw}, line ${s.line + 1})`).join(', ');
      out.push({
        line: open[0]!.line,
        severity: 'info',
        message:
          `the base image of ${stages} comes from ${args.map((a) => `ARG ${a}`).join(', ')} without a default, set at build time: ` +
          'rules about base images (libc, shell, users, CA certificates, zoneinfo, support dates) were not applied to ' + (open.length === 1 ? 'it' : 'them'),
        fix: `pass ${args.map((a) => `--build-arg ${a}=…`).join(' ')} to lint them as built`,
      });
    }
    return out;
  },
};
