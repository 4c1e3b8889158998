/** `gokiln plan [DIR]`: reads the project and recommends a container paradigm, with reasons and alternatives. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { scanProject } from '../project/scan.js';
import { buildPlan } from '../project/plan.js';
import { planText } from '../report/plan-text.js';
import { which } from '../doctor/environment.js';
import { colors, toJson } from './output.js';

export function registerPlan(program: Command, _setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('read go.mod and the packages; report binaries, cgo, C libraries, runtime needs and the recommended paradigm')
    .argument('[dir]', 'project directory', '.')
    .option('--json', 'machine-readable output (schemas/plan.schema.json)')
    .option('--no-go', 'do not run go list; scan the sources only')
    .option('--binary <name>', 'plan only this command (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--all-binaries', 'plan every command, examples, tests and tools included')
    .action((dir: string, flags: { json?: boolean; go: boolean; binary?: string[]; allBinaries?: boolean }) => {
      const abs = resolve(dir);
      const go = flags.go ? which('go', process.env) : null;
      const plan = buildPlan(scanProject(abs, { go }), { select: { binaries: flags.binary, all: Boolean(flags.allBinaries) } });
      plan.dir = dir;
      process.stdout.write(flags.json ? toJson(plan) : planText(plan, colors()));
    });
}
