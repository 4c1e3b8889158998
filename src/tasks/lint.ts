/**
 * `lintPaths`: the whole of `gokiln lint` but the printing. Finds the Dockerfiles under the paths, reads the
 * config, loads each build context once (go.mod, Go sources, prebuilt binaries judged with inspect's reader),
 * lints every file and says whether the run failed. Never prints: paths that could not be read come back as
 * GK000 findings with their typed errors; bad options throw a GokilnError before anything is read.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GokilnError, isGokilnError } from '../errors.js';
import { checkDirectory } from '../io/fs-errors.js';
import { isCalendarDay } from '../knowledge/eol.js';
import { copiedBinaryJudge, type CopiedBinaryJudge } from '../analysis/copied-binary.js';
import { lintDockerfile, sortFindings, type LintOptions } from '../dockerfile/lint.js';
import type { LintConfig } from '../dockerfile/config.js';
import { loadLintConfig } from '../dockerfile/config-file.js';
import { loadBuildContext, type LoadedContext } from '../dockerfile/context.js';
import { discoverDockerfiles, displayPath, readProblem } from '../dockerfile/discover.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../dockerfile/types.js';

export interface LintPathsOptions {
  /** The config itself; when absent, `configFile` is read, else `.gokiln.yaml`/`.gokiln.yml` in the working directory. */
  config?: LintConfig;
  configFile?: string;
  /** The least severe finding that fails the run: `error`, `warning` or `info` (default: the config's, else `error`). */
  failureThreshold?: string;
  /** Build arguments, as a record or as `docker build --build-arg` takes them (`NAME=value`). */
  buildArgs?: Readonly<Record<string, string>> | readonly string[];
  /** The build context of every Dockerfile (default: each Dockerfile's own directory; the working directory for `-`). */
  context?: string;
  /** `YYYY-MM-DD`, the day support dates are compared with (default: today, UTC). */
  today?: string;
  /** Reads the Dockerfile given as `-` (default: standard input). */
  stdin?: () => string;
}

export interface LintRun {
  /** Every finding, sorted by file, line, column, rule; a path that could not be linted is a GK000 error. */
  findings: Finding[];
  /** Files linted. */
  linted: number;
  /** Paths given or found that gave nothing to lint. */
  unreadable: number;
  /** The file-system errors behind unreadable paths, in the order met (the CLI prints one error line each). */
  errors: GokilnError[];
  threshold: Severity;
  /** A finding is at least as severe as the threshold. */
  failed: boolean;
  /** Some input could not be read or understood (a GK000 finding): the CLI exits 2. */
  inputProblem: boolean;
}

/** Checks every option before the first file is read; throws E_USAGE (or the config's own error). */
function resolveOptions(opts: LintPathsOptions) {
  const config = opts.config ?? loadLintConfig(opts.configFile);
  const threshold = opts.failureThreshold ?? config.failureThreshold ?? 'error';
  if (!(threshold in SEVERITY_RANK)) throw new GokilnError('E_USAGE', '--failure-threshold must be error, warning or info');
  const buildArgs = parseBuildArgs(opts.buildArgs ?? []);
  if (opts.today !== undefined && !isCalendarDay(opts.today))
    throw new GokilnError('E_USAGE', `--today wants a real day as YYYY-MM-DD, got ${JSON.stringify(opts.today)}`);
  if (opts.context !== undefined) checkContextDir(opts.context);
  return { config, threshold: threshold as Severity, buildArgs };
}

/** `NAME=value` strings (docker's form) or a record → a record; a string without a name is E_USAGE. */
export function parseBuildArgs(args: Readonly<Record<string, string>> | readonly string[]): Record<string, string> {
  if (!Array.isArray(args)) return { ...(args as Readonly<Record<string, string>>) };
  const out: Record<string, string> = {};
  for (const kv of args as readonly string[]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new GokilnError('E_USAGE', `--build-arg wants NAME=value, got ${JSON.stringify(kv)}`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

/** `--context` names the build context for every Dockerfile: it must be a readable directory. */
function checkContextDir(dir: string): void {
  try {
    checkDirectory(dir);
  } catch (e) {
    if (!isGokilnError(e)) throw e;
    throw new GokilnError(e.code, `--context ${e.message} (the build context is the directory docker build is given)`, e.details);
  }
}

/**
 * Lints the Dockerfiles at `paths` (files, directories searched, `-` for standard input; none: the working
 * directory). Findings name paths relative to the working directory when inside it.
 */
export function lintPaths(paths: readonly string[], opts: LintPathsOptions = {}): LintRun {
  const { config, threshold, buildArgs } = resolveOptions(opts);
  const readStdin = opts.stdin ?? (() => readFileSync(0, 'utf8'));
  const findings: Finding[] = [];
  const errors: GokilnError[] = [];
  const contexts = new Map<string, LoadedContext>();
  const judges = new Map<string, CopiedBinaryJudge>();
  let linted = 0;
  let unreadable = 0;
  const { targets, problems } = discoverDockerfiles(paths.length ? paths : ['.']);
  for (const p of problems) {
    unreadable++;
    findings.push(p.finding);
    if (p.error) errors.push(p.error);
  }
  for (const target of targets) {
    const display = target === '-' ? '-' : displayPath(target);
    let text: string;
    try {
      text = target === '-' ? readStdin() : readFileSync(target, 'utf8');
    } catch (e) {
      unreadable++;
      const p = readProblem(display, e);
      findings.push(p.finding);
      errors.push(p.error!);
      continue;
    }
    linted++;
    const ctxDir = opts.context ?? (target === '-' ? process.cwd() : dirname(target));
    const known = contexts.get(ctxDir);
    const loaded = known ?? loadBuildContext(ctxDir);
    contexts.set(ctxDir, loaded);
    // a go.mod problem is reported once per context, not once per Dockerfile in it
    for (const n of known ? [] : loaded.notes)
      findings.push({
        file: displayPath(n.file),
        line: n.line,
        column: 1,
        rule: 'GK000',
        severity: 'error',
        message: n.message,
        fix: 'Fix go.mod so the go command can read it.',
      });
    // prebuilt binaries the Dockerfile copies from the context are read with inspect's reader and judged
    const judgeCopied = judges.get(ctxDir) ?? copiedBinaryJudge(ctxDir, opts.today ? new Date(`${opts.today}T00:00:00Z`) : undefined);
    judges.set(ctxDir, judgeCopied);
    const lintOpts: LintOptions = { file: display, buildArgs, context: { ...loaded.context, judgeCopied }, config };
    if (opts.today) lintOpts.today = opts.today;
    findings.push(...lintDockerfile(text, lintOpts));
  }
  const sorted = sortFindings(findings);
  const failed = sorted.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
  // a path that could not be read, or a Dockerfile or go.mod that could not be understood
  const inputProblem = sorted.some((f) => f.rule === 'GK000');
  return { findings: sorted, linted, unreadable, errors, threshold, failed, inputProblem };
}
