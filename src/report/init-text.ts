/** What `gokiln init` prints: the files written and the next steps, a dry run's files, `--diff`, and their JSON. */
import { join } from 'node:path';
import type { InitDiff, InitRun } from '../tasks/init.js';
import type { DiffItem } from '../generate/diff.js';
import type { Colors } from './style.js';
import { toJson } from './style.js';

/** `dir` as the user gave it: every path printed is under it. */
export function initText(run: InitRun, dir: string, output: string | undefined, c: Colors): string {
  const { plan, paradigm, spec, specs, written } = run;
  const used = [...new Set(specs.map((x) => x.paradigm))].join(', ');
  const lines = [`${c.bold(`gokiln init: ${used}`)} (${paradigm ? '--paradigm' : "each binary's recommendation"})\n`];
  for (const w of written) lines.push(`  wrote ${join(dir, w)}\n`);
  for (const p of run.pins ?? []) lines.push(`  pinned ${p.ref}@${p.digest}${p.source === p.name ? '' : ` (read from ${p.source})`}\n`);
  // with --offline or a consistent vendor/, vendor/ carries a replacement from outside the project: that warning is answered
  for (const w of plan.warnings)
    if (!(spec.vendored && w.code === 'replace-outside-context')) lines.push(c.yellow(`warning: ${w.message}\n`));
  lines.push(
    c.dim(
      `${nextSteps(
        dir,
        specs.flatMap((x) => x.binaries),
        output,
      ).join('\n')}\n`,
    ),
  );
  return lines.join('');
}

/** `--dry-run`: every file init would write, under a header with its path. */
export function initDryRunText(run: InitRun, c: Colors): string {
  return run.files.map((f) => `${c.bold(`=== ${f.path}`)}\n${f.content}\n`).join('');
}

/** `--json` (schemas/init.schema.json): the files written, the paradigm and the build spec; a dry run adds the files. */
export function initJson(run: InitRun, dir: string): string {
  const { plan, paradigm, spec, specs, files, written, dryRun } = run;
  return toJson({
    schema: 'gokiln/init@1',
    dir,
    paradigm: paradigm ?? plan.recommended.paradigm,
    written,
    dryRun,
    spec,
    specs,
    files: dryRun ? files : undefined,
    pins: run.pins,
  });
}

/** `--diff`: one line per difference, `file:line: [kind rule] message`, then what gokiln does instead. */
export function initDiffText(diff: InitDiff, dir: string): string {
  return diffText(diff.items, join(dir, diff.file));
}

export function initDiffJson(diff: InitDiff, dir: string): string {
  return toJson({ schema: 'gokiln/init-diff@1', dir, file: join(dir, diff.file), items: diff.items });
}

function diffText(items: DiffItem[], file: string): string {
  if (!items.length) return `${file}: gokiln would change nothing\n`;
  return (
    items
      .map((i) => `${file}${i.line ? `:${i.line}` : ''}: [${i.kind}${i.rule ? ` ${i.rule}` : ''}] ${i.message}\n    gokiln: ${i.gokiln}`)
      .join('\n') + '\n'
  );
}

/**
 * What to run after init: lint, then one `docker build` per image. With several binaries each has its
 * own final stage, and `docker build` without --target builds only the last one, so every binary gets
 * its `--target <stage>`, tagged by that stage name.
 */
export function nextSteps(
  dir: string,
  binaries: ReadonlyArray<{ name: string; stage: string | null; main?: boolean }>,
  output?: string,
): string[] {
  const lint = `gokiln lint ${join(dir, output ?? 'Dockerfile')}`;
  const f = output ? ` -f ${join(dir, output)}` : '';
  // in the Dockerfile's order: the main binary's stage last
  const multi = binaries
    .filter((b) => b.stage !== null)
    .sort((x, y) => Number(Boolean(x.main)) - Number(Boolean(y.main)) || x.name.localeCompare(y.name));
  if (multi.length === 0) return [`next: ${lint} && docker build${f} -t ${binaries[0]?.name.toLowerCase() ?? 'app'} ${dir}`];
  return [`next: ${lint}`, ...multi.map((b) => `  docker build${f} --target ${b.stage} -t ${b.stage} ${dir}`)];
}
