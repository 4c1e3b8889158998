/** `gokiln plan [DIR]`: reads the project and recommends a container paradigm, with reasons and alternatives. */
import type { Command } from 'commander';
import { planProjectPackages } from '../tasks/plan.js';
import { planText } from '../report/plan-text.js';
import { printResult, withFailures } from './output.js';

interface PlanFlags {
  json?: boolean;
  go: boolean;
  binary?: string[];
  allBinaries?: boolean;
  suite?: string;
  resolve?: boolean;
  lockfile?: string;
  debianMirror?: string;
}

export function registerPlan(program: Command, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description(
      'read go.mod and the packages; report binaries, cgo, C libraries, runtime needs, the recommended paradigm and the Debian packages of each cgo binary',
    )
    .argument('[dir]', 'project directory', '.')
    .option('--json', 'machine-readable output (schemas/plan.schema.json)')
    .option('--no-go', 'do not run go list; scan the sources only')
    .option('--binary <name>', 'plan only this command (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--all-binaries', 'plan every command, examples, tests and tools included')
    .option(
      '--suite <name>',
      "the Debian suite of the cgo binaries' packages (default: the builder's, trixie for Go 1.26, as gokiln build; or bookworm)",
    )
    .option('--resolve', "resolve the Debian packages against the suite's signed indexes (network; default: offline, from knowledge)")
    .option('--lockfile <file>', 'take the Debian packages from this lockfile (gokiln build --lockfile writes it)')
    .option('--debian-mirror <url>', "with --resolve: the Debian mirror (default: this machine's apt sources, else deb.debian.org)")
    .action(
      withFailures(setExit, async (dir: string, flags: PlanFlags) => {
        const { plan, debian } = await planProjectPackages(dir, {
          go: flags.go ? undefined : null,
          binaries: flags.binary,
          allBinaries: flags.allBinaries,
          suite: flags.suite,
          resolve: flags.resolve,
          lockfile: flags.lockfile,
          mirror: flags.debianMirror,
        });
        printResult(flags.json, { ...plan, debian }, (v, c) => planText(plan, c, v.debian));
      }),
    );
}
