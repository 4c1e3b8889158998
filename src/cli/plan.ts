/** `gokiln plan [DIR]`: reads the project and recommends a container paradigm, with reasons and alternatives. */
import type { Command } from 'commander';
import { planProject } from '../tasks/plan.js';
import { planText } from '../report/plan-text.js';
import { printResult, withFailures } from './output.js';

interface PlanFlags {
  json?: boolean;
  go: boolean;
  binary?: string[];
  allBinaries?: boolean;
}

export function registerPlan(program: Command, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('read go.mod and the packages; report binaries, cgo, C libraries, runtime needs and the recommended paradigm')
    .argument('[dir]', 'project directory', '.')
    .option('--json', 'machine-readable output (schemas/plan.schema.json)')
    .option('--no-go', 'do not run go list; scan the sources only')
    .option('--binary <name>', 'plan only this command (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--all-binaries', 'plan every command, examples, tests and tools included')
    .action(
      withFailures(setExit, (dir: string, flags: PlanFlags) => {
        const plan = planProject(dir, { go: flags.go ? undefined : null, binaries: flags.binary, allBinaries: flags.allBinaries });
        printResult(flags.json, plan, planText);
      }),
    );
}
