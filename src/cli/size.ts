/** `gokiln size BINARY [NEW]`: flags → sizeBinaries() → text, JSON or the HTML treemap page. */
import type { Command } from 'commander';
import { GokilnError } from '../errors.js';
import { sizeBinaries } from '../tasks/size.js';
import { writeFileAtomic } from '../io/write-file.js';
import { sizeDiffText, sizeText, type SizeBy } from '../report/size-text.js';
import { sizeDiffJson, sizeJson } from '../report/size-json.js';
import { sizeHtml } from '../report/html/size-html.js';
import { colors, withFailures } from './output.js';

interface SizeFlags {
  by: string;
  top: string;
  json?: boolean;
  html?: string;
  force?: boolean;
  slice: string;
}

export function registerSize(program: Command, setExit: (code: number) => void): void {
  program
    .command('size')
    .description('where every byte of a binary goes: sections, Go packages and modules (also when stripped); with two files, what changed')
    .argument('<binary>', 'ELF, Mach-O or PE file (OLD when NEW is given)')
    .argument('[new]', 'a second build to compare with the first')
    .option('--by <what>', 'package, module or section', 'package')
    .option('--top <n>', 'rows to list', '20')
    .option('--json', 'JSON output (schemas/size.schema.json)')
    .option('--html <file>', 'write a self-contained treemap page (single binary only)')
    .option('--force', 'overwrite the --html file if it exists')
    .option('--slice <n>', 'universal Mach-O: which slice to size', '0')
    .action(
      withFailures(setExit, (binary: string, neu: string | undefined, flags: SizeFlags) => {
        const by = parseBy(flags.by);
        const top = parseCount(flags.top, '--top');
        const slice = parseCount(flags.slice, '--slice');
        if (neu !== undefined && flags.html) throw new GokilnError('E_USAGE', '--html takes a single binary, not OLD NEW');
        // per-symbol detail is only drawn in the HTML page
        const run = sizeBinaries(binary, neu, { slice, symbolsPerPackage: flags.html ? 40 : 0 });
        let out: string;
        let html: string | undefined;
        if (run.kind === 'single') {
          if (flags.html) html = sizeHtml(run.report, run.detail);
          out = flags.json ? sizeJson(run.report) : sizeText(run.report, { by, top }, colors());
        } else out = flags.json ? sizeDiffJson(run.diff) : sizeDiffText(run.diff, { by, top }, colors());
        // Everything is computed before anything is written, so a failure leaves no partial file. A write
        // error is about the page, not the binary: it is reported with the page's path.
        if (flags.html && html !== undefined) writeFileAtomic(flags.html, html, { force: Boolean(flags.force) });
        process.stdout.write(out);
        // said on stderr, so the text or JSON on stdout stays what it was
        if (flags.html && html !== undefined)
          process.stderr.write(`wrote ${flags.html} (${Buffer.byteLength(html)} bytes): open it in a browser\n`);
      }),
    );
}

function parseBy(v: string): SizeBy {
  if (v === 'package' || v === 'module' || v === 'section') return v;
  throw new GokilnError('E_USAGE', `--by must be package, module or section, not "${v}"`);
}

function parseCount(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new GokilnError('E_USAGE', `${flag} must be a whole number, not "${v}"`);
  return n;
}
