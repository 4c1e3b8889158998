import type { Command } from 'commander';
import { inspectFile, resolveRuntimes } from '../analysis/inspect.js';
import { RUNTIMES } from '../analysis/runtimes.js';
import { inspectErrorText, inspectText } from '../report/inspect-text.js';
import { EXIT, colors, progress, progressDone, toJson, useColor } from './output.js';

export function registerInspect(program: Command, setExit: (code: number) => void): void {
  program
    .command('inspect')
    .description('read Go (and other) binaries without running them: linking, libc, Go build info, needs, and where they will run')
    .argument('[files...]', 'ELF, Mach-O (also universal) or PE files')
    .option('--json', 'JSON output (schemas/inspect.schema.json)')
    .option('-r, --runtime <name...>', 'judge only these runtimes (e.g. scratch alpine:3.22 debian:bookworm distroless/static-debian12); exit 1 if the binary fails on one')
    .option('--path-in-image <path>', 'where the binary will live in the image, for predicted error messages', '/app')
    .option('--list-runtimes', 'list the runtimes gokiln knows and exit')
    .option('--packages', 'also list every Go package linked in (go.packages in --json)')
    .option('-v, --verbose', 'all build settings, dependencies and per-runtime lines')
    .action((files: string[], opts: { json?: boolean; runtime?: string[]; pathInImage: string; listRuntimes?: boolean; verbose?: boolean; packages?: boolean }) => {
      if (opts.listRuntimes) {
        const list = RUNTIMES.map((r) => r.name);
        process.stdout.write(opts.json ? toJson(list) : list.join('\n') + '\n');
        return;
      }
      if (files.length === 0) {
        process.stderr.write('gokiln inspect: give at least one file\n');
        setExit(EXIT.INPUT);
        return;
      }
      resolveRuntimes(opts.runtime); // an unknown runtime name is a usage error before any work
      const showProgress = files.length > 3;
      const results = files.map((f, i) => {
        if (showProgress) progress(`inspect ${i + 1}/${files.length} ${f}`);
        return inspectFile(f, { runtimes: opts.runtime, pathInImage: opts.pathInImage, packages: opts.packages === true });
      });
      if (showProgress) progressDone();
      if (opts.json) process.stdout.write(toJson(results));
      else process.stdout.write(inspectText(results, { colors: colors(), verbose: Boolean(opts.verbose) }));
      for (const r of results) {
        if ('error' in r) {
          process.stderr.write(inspectErrorText(r.error, colors(useColor(process.stderr))));
          setExit(EXIT.INPUT);
        } else if (opts.runtime?.length && r.runtimes.some((v) => v.verdict === 'fails')) {
          setExit(EXIT.FINDINGS);
        }
      }
    });
}
