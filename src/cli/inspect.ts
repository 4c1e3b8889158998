import type { Command } from 'commander';
import { resolveRuntimes } from '../analysis/inspect.js';
import { inspectFiles } from '../analysis/inspect-many.js';
import { GokilnError } from '../errors.js';
import { runtimeListing } from '../analysis/runtimes.js';
import { inspectText } from '../report/inspect-text.js';
import { EXIT, colors, errorLine, progress, progressDone, toJson } from './output.js';

export function registerInspect(program: Command, setExit: (code: number) => void): void {
  program
    .command('inspect')
    .description('read Go (and other) binaries without running them: linking, libc, Go build info, needs, and where they will run')
    .argument('[files...]', 'ELF, Mach-O (also universal) or PE files')
    .option('--json', 'JSON output (schemas/inspect.schema.json)')
    .option('-r, --runtime <names>', 'judge only these runtimes, comma-separated or repeated (e.g. scratch,alpine:3.22 -r debian:bookworm); exit 1 if the binary fails on one', collectRuntimes)
    .option('--path-in-image <path>', 'where the binary will live in the image, for predicted error messages', '/app')
    .option('--list-runtimes', 'list the runtimes gokiln knows and exit')
    .option('--packages', 'also list every Go package linked in (go.packages in --json)')
    .option('-j, --jobs <n>', 'threads to share many files between (default: one fewer than the CPUs)', parseJobs)
    .option('-v, --verbose', 'all build settings, dependencies and per-runtime lines')
    .action(async (files: string[], opts: { json?: boolean; runtime?: string[]; pathInImage: string; listRuntimes?: boolean; verbose?: boolean; packages?: boolean; jobs?: number }) => {
      if (opts.listRuntimes) {
        // every runtime -r accepts, with its spellings (schemas/runtimes.schema.json); `*` marks the default set
        const list = runtimeListing();
        if (opts.json) process.stdout.write(toJson(list));
        else {
          const width = Math.max(...list.map((r) => r.name.length));
          const lines = list.map((r) => `${r.default ? '*' : ' '} ${r.name.padEnd(width)}  ${r.spellings.filter((x) => x !== r.name).join(', ')}`.trimEnd());
          process.stdout.write(`${lines.join('\n')}\n\n* judged when no --runtime is given; also accepted: a docker.io/library/ or gcr.io/ prefix, an @digest, a patch release (alpine:3.22.1)\n`);
        }
        return;
      }
      if (files.length === 0) throw new GokilnError('E_USAGE', 'inspect: give at least one file');
      // an image (oci:DIR, docker-archive:FILE, a root file system directory) is judged by verify's reader and
      // checks; loaded only when runtimes are named, as it brings the image reader (streams, zlib, crypto)
      const inImage = opts.runtime?.length ? await import('../verify/in-image.js') : null;
      const images = inImage ? (opts.runtime ?? []).filter(inImage.isImageArgument) : [];
      const names = (opts.runtime ?? []).filter((r) => !inImage?.isImageArgument(r));
      resolveRuntimes(names); // an unknown runtime name is a usage error before any work
      const showProgress = files.length > 3;
      const results = await inspectFiles(files, {
        runtimes: names,
        pathInImage: opts.pathInImage,
        packages: opts.packages === true,
        jobs: opts.jobs,
        onProgress: showProgress ? (done, total, f) => progress(`inspect ${done}/${total} ${f}`) : undefined,
      });
      if (showProgress) progressDone();
      if (inImage)
        for (const image of images) {
          const view = await inImage.openImageRuntime(image, opts.pathInImage);
          for (const r of results) if (!('error' in r)) r.runtimes.push(await inImage.judgeInImage(view, r.file, opts.pathInImage));
        }
      // only images asked for: the built-in runtimes are not listed
      if (images.length && names.length === 0) for (const r of results) if (!('error' in r)) r.runtimes = r.runtimes.filter((v) => images.includes(v.name));
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
    });
}

/** `-r a,b -r c` → [a, b, c]: one value per flag, so the files after it are never taken for runtimes. */
function collectRuntimes(v: string, prev: string[] | undefined): string[] {
  const names = v.split(',').map((x) => x.trim());
  if (names.some((n) => n === '')) throw new GokilnError('E_USAGE', `--runtime wants runtime names separated by commas, not ${JSON.stringify(v)}`);
  return [...(prev ?? []), ...names];
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new GokilnError('E_USAGE', `--jobs wants a whole number of at least 1, not ${JSON.stringify(v)}`);
  return n;
}
