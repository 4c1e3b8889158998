/** `gokiln lint [PATH...]`: flags → lintPaths() → a reporter; the exit code by the threshold and the inputs. */
import type { Command } from 'commander';
import { GokilnError } from '../errors.js';
import { RULES } from '../dockerfile/registry.js';
import { lintPaths, type LintRun } from '../tasks/lint.js';
import { lintTty } from '../report/lint-tty.js';
import { lintJson } from '../report/lint-json.js';
import { lintSarif } from '../report/lint-sarif.js';
import { lintGithub } from '../report/lint-github.js';
import { lintRulesJson, lintRulesText } from '../report/lint-rules.js';
import { VERSION } from '../version.js';
import { EXIT, colors, errorLine, withFailures } from './output.js';

interface LintFlags {
  format?: string;
  json?: boolean;
  config?: string;
  failureThreshold?: string;
  buildArg: string[];
  listRules?: boolean;
  context?: string;
  today?: string;
}

const FORMATS = ['tty', 'json', 'sarif', 'github'];

export function registerLint(program: Command, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description(
      'lint Dockerfiles that build Go programs (directories are searched for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile; - reads stdin)',
    )
    .argument('[paths...]', 'Dockerfiles or directories', ['.'])
    .option('--format <format>', 'tty, json, sarif or github (default: tty)')
    .option('--json', 'the same as --format json')
    .option('--config <file>', 'config file (default: .gokiln.yaml in the current directory, if present)')
    .option(
      '--failure-threshold <severity>',
      'exit 1 when a finding is at least this severe: error, warning or info (default: error, or lint.failureThreshold)',
    )
    .option(
      '--build-arg <K=V>',
      'a build argument, as docker build takes it (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--context <dir>', "build context to read go.mod and Go sources from (default: each Dockerfile's directory)")
    .option('--today <YYYY-MM-DD>', 'the day end-of-support dates are compared with (default: today, UTC)')
    .option('--list-rules', 'print the rules and exit')
    .action(
      withFailures(setExit, (paths: string[], flags: LintFlags) => {
        const format = outputFormat(flags);
        if (flags.listRules) {
          process.stdout.write(format === 'json' ? lintRulesJson(RULES) : lintRulesText(RULES));
          return;
        }
        const run = lintPaths(paths, {
          configFile: flags.config,
          failureThreshold: flags.failureThreshold,
          buildArgs: flags.buildArg,
          context: flags.context,
          today: flags.today,
        });
        // each path that could not be read also gets the error line every command prints for it
        for (const e of run.errors) process.stderr.write(errorLine(e.code, e.message));
        process.stdout.write(render(format, run));
        if (run.failed) setExit(EXIT.FINDINGS);
        if (run.inputProblem) setExit(EXIT.INPUT);
      }),
    );
}

/** `--json` is `--format json`; both given must agree. An unknown format is an error before anything is printed. */
function outputFormat(flags: LintFlags): string {
  if (flags.json && flags.format !== undefined && flags.format !== 'json')
    throw new GokilnError('E_USAGE', `--json contradicts --format ${flags.format}`);
  const format = flags.format ?? (flags.json ? 'json' : 'tty');
  if (!FORMATS.includes(format)) throw new GokilnError('E_USAGE', `--format must be one of ${FORMATS.join(', ')}`);
  return format;
}

function render(format: string, run: LintRun): string {
  switch (format) {
    case 'json':
      return lintJson(run.findings);
    case 'sarif':
      return lintSarif(run.findings, RULES, VERSION);
    case 'github':
      return lintGithub(run.findings);
    default:
      return lintTty(run.findings, run.linted, colors(), run.unreadable);
  }
}
