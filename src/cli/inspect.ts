/** `gokiln inspect FILE...`: flags → inspectBinaries() → text or JSON; exit 1 when a runtime asked for fails. */
import type { Command } from 'commander';
import { GokilnError } from '../errors.js';
import { runtimeListing } from '../analysis/runtimes.js';
import { inspectBinaries } from '../tasks/inspect.js';
import { inspectText } from '../report/inspect-text.js';
import { runtimesText } from '../report/runtimes-text.js';
import { EXIT, colors, errorLine, printResult, progress, progressDone, toJson, withFailures } from './output.js';

interface InspectFlags {
  json?: boolean;
  runtime?: string[];
  pathInImage: string;
  listRuntimes?: boolean;
  verbose?: boolean;
  packages?: boolean;
  jobs?: number;
}

export function registerInspect(program: Command, setExit: (code: number) => void): void {
  program
    .command('inspect')
    .description('read Go (and other) binaries without running them: linking, libc, Go build info, needs, and where they will run')
    .argument('[files...]', 'ELF, Mach-O (also universal) or PE files')
    .option('--json', 'JSON output (schemas/inspect.schema.json)')
    .option(
      '-r, --runtime <names>',
      'judge only these runtimes, comma-separated or repeated (e.g. scratch,alpine:3.22 -r debian:bookworm); exit 1 if the binary fails on one',
      collectRuntimes,
    )
    .option('--path-in-image <path>', 'where the binary will live in the image, for predicted error messages', '/app')
    .option('--list-runtimes', 'list the runtimes gokiln knows and exit')
    .option('--packages', 'also list every Go package linked in (go.packages in --json)')
    .option('-j, --jobs <n>', 'threads to share many files between (default: one fewer than the CPUs)', parseJobs)
    .option('-v, --verbose', 'all build settings, dependencies and per-runtime lines')
    .action(
      withFailures(setExit, async (files: string[], opts: InspectFlags) => {
        // every runtime -r accepts, with its spellings (schemas/runtimes.schema.json)
        if (opts.listRuntimes) return printResult(opts.json, runtimeListing(), runtimesText);
        const showProgress = files.length > 3;
        const results = await inspectBinaries(files, {
          runtimes: opts.runtime,
          pathInImage: opts.pathInImage,
          packages: opts.packages === true,
          jobs: opts.jobs,
          onProgress: showProgress ? (done, total, f) => progress(`inspect ${done}/${total} ${f}`) : undefined,
        }).finally(() => showProgress && progressDone());
        if (opts.json) process.stdout.write(toJson(results));
        else process.stdout.write(inspectText(results, { colors: colors(), verbose: Boolean(opts.verbose) }));
        for (const r of results) {
          if ('error' in r) {
            process.stderr.write(errorLine(r.error.code, r.error.message));
            setExit(EXIT.INPUT);
          } else if (opts.runtime?.length && r.runtimes.some((v) => v.verdict === 'fails')) {
            setExit(EXIT.FINDINGS);
          }
        }
      }),
    );
}

/** `-r a,b -r c` → [a, b, c]: one value per flag, so the files after it are never taken for runtimes. */
function collectRuntimes(v: string, prev: string[] | undefined): string[] {
  const names = v.split(',').map((x) => x.trim());
  if (names.some((n) => n === ''))
    throw new GokilnError('E_USAGE', `--runtime wants runtime names separated by commas, not ${JSON.stringify(v)}`);
  return [...(prev ?? []), ...names];
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new GokilnError('E_USAGE', `--jobs wants a whole number of at least 1, not ${JSON.stringify(v)}`);
  return n;
}
