/** `planProject`: the whole of `gokiln plan` but the printing — find go, scan the module, plan its binaries. */
import { resolve } from 'node:path';
import { which } from '../doctor/environment.js';
import { scanProject } from '../project/scan.js';
import { buildPlan, type Plan } from '../project/plan.js';

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
