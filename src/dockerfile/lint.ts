/**
 * Lints one Dockerfile's text: model → rules → pragmas → config. Pure: the caller reads files and the
 * build context (see context.ts) and passes the day of the run. Never throws on bad input: a file that
 * cannot be understood becomes a GK000 finding with its line.
 */
import { buildModel, type BuildContext } from './model.js';
import { DEFAULT_CONFIG, type LintConfig } from './config.js';
import type { LintKnowledge } from './knowledge-port.js';
import { defaultKnowledge } from './knowledge-adapter.js';
import { RULES } from './registry.js';
import type { Rule } from './rule.js';
import { isSilenced, readPragmas } from './pragmas.js';
import type { Finding } from './types.js';

export interface LintOptions {
  /** the name findings carry (a path, or `-` for standard input) */
  file: string;
  buildArgs?: Record<string, string>;
  context?: BuildContext;
  config?: LintConfig;
  /** `YYYY-MM-DD`; defaults to the current UTC day */
  today?: string;
  knowledge?: LintKnowledge;
  rules?: readonly Rule[];
}

export function lintDockerfile(text: string, opts: LintOptions): Finding[] {
  const config = opts.config ?? DEFAULT_CONFIG;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const knowledge = opts.knowledge ?? defaultKnowledge;
  const rules = opts.rules ?? RULES;
  const file = opts.file;

  const binary = looksBinary(text);
  if (binary) return [inputFinding(file, 1, 1, binary)];
  const tooLarge = exceedsLimits(text);
  if (tooLarge) return [inputFinding(file, 1, 1, tooLarge)];

  let model;
  try {
    const mopts: Parameters<typeof buildModel>[1] = { knowledge };
    if (opts.buildArgs) mopts.buildArgs = opts.buildArgs;
    if (opts.context) mopts.context = opts.context;
    model = buildModel(text, mopts);
  } catch (e) {
    return [inputFinding(file, 1, 1, `could not parse the Dockerfile: ${(e as Error)?.message ?? String(e)}`)];
  }
  const pragmas = readPragmas(model.lines, model.spans);

  const out: Finding[] = [];
  for (const rule of rules) {
    if (config.ignore.includes(rule.id) || config.severity[rule.id] === 'off') continue;
    let raw;
    try {
      raw = rule.check({ model, config, knowledge, today });
    } catch (e) {
      // a bug in one rule must not hide the others' findings; it is reported, not swallowed
      out.push(inputFinding(file, 1, 1, `internal error in rule ${rule.id}: ${(e as Error)?.message ?? String(e)}`));
      continue;
    }
    for (const r of raw) {
      if (isSilenced(pragmas, rule.id, r.line)) continue;
      const override = config.severity[rule.id];
      out.push({
        file,
        line: r.line + 1,
        column: (r.column ?? 0) + 1,
        rule: rule.id,
        severity: override && override !== 'off' ? override : (r.severity ?? rule.severity),
        message: r.message,
        fix: r.fix ?? rule.fix,
      });
    }
  }
  return sortFindings(out);
}

export function sortFindings(fs: Finding[]): Finding[] {
  return fs.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

function inputFinding(file: string, line: number, column: number, message: string): Finding {
  return {
    file,
    line,
    column,
    rule: 'GK000',
    severity: 'error',
    message,
    fix: 'Check that the path is a Dockerfile (text, instructions Docker knows).',
  };
}

/**
 * The largest Dockerfile lint reads. Real ones run to a few hundred lines; the stage graph and the rules
 * that follow COPY --from edges cost more than linear time in the number of stages, so a generated file of
 * 150,000 lines is refused in one linear pass instead of being half-read for minutes.
 */
export const LINT_LIMITS = { lines: 10_000, bytes: 1024 * 1024 } as const;

function exceedsLimits(text: string): string | undefined {
  if (text.length > LINT_LIMITS.bytes)
    return `too large to lint: ${text.length.toLocaleString('en-US')} characters (the limit is ${LINT_LIMITS.bytes.toLocaleString('en-US')}); split it or lint the generator's template`;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++lines > LINT_LIMITS.lines)
      return `too large to lint: more than ${LINT_LIMITS.lines.toLocaleString('en-US')} lines; split it or lint the generator's template`;
  }
  return undefined;
}

/** A NUL byte or mostly undecodable text: not a Dockerfile. */
function looksBinary(text: string): string | undefined {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return 'binary file (contains NUL bytes), not a Dockerfile';
  let bad = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0xfffd) bad++;
  if (head.length > 0 && bad / head.length > 0.1) return 'binary file (not UTF-8 text), not a Dockerfile';
  return undefined;
}
