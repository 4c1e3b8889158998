/** `gokiln plan [DIR]`: reads the project and recommends a container paradigm, with reasons and alternatives. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { scanProject } from '../project/scan.js';
import { buildPlan } from '../project/plan.js';
import { planText } from '../report/plan-text.js';
import { which } from '../doctor/environment.js';
import { planDebianPackages } from '../index.js';
import { GokilnError } from '../errors.js';
import { colors, toJson } from './output.js';

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

export function registerPlan(program: Command, _setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('read go.mod and the packages; report binaries, cgo, C libraries, runtime needs, the recommended paradigm and the Debian packages of each cgo binary')
    .argument('[dir]', 'project directory', '.')
    .option('--json', 'machine-readable output (schemas/plan.schema.json)')
    .option('--no-go', 'do not run go list; scan the sources only')
    .option('--binary <name>', 'plan only this command (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--all-binaries', 'plan every command, examples, tests and tools included')
    .option('--suite <name>', 'the Debian suite of the cgo binaries\' packages (bookworm, default, as gokiln build; or trixie)')
    .option('--resolve', 'resolve the Debian packages against the suite\'s signed indexes (network; default: offline, from knowledge)')
    .option('--lockfile <file>', 'take the Debian packages from this lockfile (gokiln build --lockfile writes it)')
    .option('--debian-mirror <url>', 'with --resolve: the Debian mirror (default: this machine\'s apt sources, else deb.debian.org)')
    .action(async (dir: string, flags: PlanFlags) => {
      if (flags.suite !== undefined && !/^[a-z][a-z0-9-]*$/.test(flags.suite)) throw new GokilnError('E_USAGE', `--suite ${flags.suite}: a Debian suite name such as bookworm or trixie`);
      if (flags.resolve && flags.lockfile) throw new GokilnError('E_USAGE', '--resolve and --lockfile are two sources of the package list: name one');
      if (flags.debianMirror && !flags.resolve) throw new GokilnError('E_USAGE', '--debian-mirror is read by --resolve');
      const abs = resolve(dir);
      const go = flags.go ? which('go', process.env) : null;
      const plan = buildPlan(scanProject(abs, { go }), { select: { binaries: flags.binary, all: Boolean(flags.allBinaries) } });
      plan.dir = dir;
      const debian = await planDebianPackages(plan, {
        ...(flags.suite ? { suite: flags.suite } : {}),
        ...(flags.resolve ? { resolve: true } : {}),
        ...(flags.lockfile ? { lockfile: resolve(flags.lockfile) } : {}),
        ...(flags.debianMirror ? { mirror: flags.debianMirror } : {}),
      });
      process.stdout.write(flags.json ? toJson({ ...plan, debian }) : planText(plan, colors(), debian));
    });
}
