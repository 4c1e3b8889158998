/** `planProject`: the whole of `gokiln plan` but the printing — find go, scan the module, plan its binaries. */
import { resolve } from 'node:path';
import { which } from '../doctor/environment.js';
import { scanProject } from '../project/scan.js';
import { buildPlan, type Plan } from '../project/plan.js';
import { GokilnError } from '../errors.js';
import { planDebianPackages, type PlannedDebianPackages, type PlanPackagesOptions } from '../image/debian/plan-packages.js';
import { checkSuiteName } from '../image/debian/index.js';

export interface PlanProjectOptions {
  /**
   * The go command: a path, null to read the sources only (`--no-go`), or undefined for `go` on PATH
   * (none there: the sources only, and the plan says so).
   */
  go?: string | null;
  /** `--binary NAME` (repeatable): plan exactly these commands. */
  binaries?: string[];
  /** `--all-binaries`: every command, examples, tests and tools too. */
  allBinaries?: boolean;
  /** The day support windows are judged on (YYYY-MM-DD); default: today, UTC. */
  today?: string;
}

/** The plan of the Go module in `dir`; `plan.dir` is `dir` as given. Throws a GokilnError for a bad project. */
export function planProject(dir: string, opts: PlanProjectOptions = {}): Plan {
  const go = opts.go === undefined ? which('go', process.env) : opts.go;
  const plan = buildPlan(scanProject(resolve(dir), { go }), {
    select: { binaries: opts.binaries, all: Boolean(opts.allBinaries) },
    ...(opts.today === undefined ? {} : { today: opts.today }),
  });
  plan.dir = dir;
  return plan;
}

export interface PlanPackagesProjectOptions extends PlanProjectOptions {
  /** The Debian suite of the cgo binaries' packages (default: the builder's suite, as gokiln build). */
  suite?: string;
  /** Resolve the packages against the suite's signed indexes (network); default: offline, from knowledge. */
  resolve?: boolean;
  /** Take the packages from this lockfile (gokiln build --lockfile writes it). */
  lockfile?: string;
  /** With resolve: the Debian mirror (default: this machine's apt sources, else deb.debian.org). */
  mirror?: string;
}

/**
 * `gokiln plan` whole: the plan, and for each cgo binary that can take the glibc paradigm its Debian packages
 * with the reason for each (offline from knowledge, or resolved, or from a lockfile).
 */
export async function planProjectPackages(
  dir: string,
  opts: PlanPackagesProjectOptions = {},
): Promise<{ plan: Plan; debian: PlannedDebianPackages[] }> {
  checkSuiteName(opts.suite);
  if (opts.resolve && opts.lockfile)
    throw new GokilnError('E_USAGE', '--resolve and --lockfile are two sources of the package list: name one');
  if (opts.mirror && !opts.resolve) throw new GokilnError('E_USAGE', '--debian-mirror is read by --resolve');
  const plan = planProject(dir, opts);
  const o: PlanPackagesOptions = {
    ...(opts.suite ? { suite: opts.suite } : {}),
    ...(opts.resolve ? { resolve: true } : {}),
    ...(opts.lockfile ? { lockfile: resolve(opts.lockfile) } : {}),
    ...(opts.mirror ? { mirror: opts.mirror } : {}),
  };
  return { plan, debian: await planDebianPackages(plan, o) };
}
