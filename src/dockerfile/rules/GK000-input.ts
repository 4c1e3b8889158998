import type { Rule } from '../rule.js';

/** Problems reading the Dockerfile itself; the model collects them, this rule reports them. */
export const GK000: Rule = {
  id: 'GK000',
  severity: 'error',
  title: 'The Dockerfile cannot be read as written',
  explanation:
    'A malformed or binary file, an unknown instruction, an instruction before the first FROM, or an ARG used in FROM that has no value. ' +
    'Docker refuses such a file or builds something other than intended; the other rules only see what could be understood.',
  fix: 'Correct the line, give the ARG a default before the first FROM, or pass --build-arg NAME=value.',
  check: ({ model }) => model.problems.map((p) => ({ line: p.line, column: p.column, message: p.message, ...(p.fix ? { fix: p.fix } : {}) })),
};
