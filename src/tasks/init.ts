/**
 * `initProject` and `diffInit`: the whole of `gokiln init` but the printing. Every refusal (the paradigm, the
 * plan, the output path, every target file) comes before the first side effect; with `offline`, `go mod
 * vendor` runs only once the files are known to be writable, then the module is planned again from vendor/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GokilnError } from '../errors.js';
import { which } from '../doctor/environment.js';
import { scanProject } from '../project/scan.js';
import { buildPlan, PARADIGMS, type Paradigm, type Plan } from '../project/plan.js';
import { localReplaces } from '../project/replaces.js';
import { goErrorLine } from '../project/go-output.js';
import { checkTargets, generateFiles, writeFiles, type InitResult } from '../generate/init.js';
import { diffDockerfile, type DiffItem } from '../generate/diff.js';
import { lintDockerfile } from '../dockerfile/lint.js';
import { loadBuildContext } from '../dockerfile/context.js';
import { resolvePins, type Pins } from '../generate/pin.js';
import type { DigestResolution } from '../image/registry/resolve-digest.js';

export interface InitProjectOptions {
  /** alpine, ubuntu or distroless for every binary (default: each binary's own recommendation). */
  paradigm?: string;
  /** Build only these commands (default: all but examples, tests and tools). */
  binaries?: string[];
  /** Every command, examples, tests and tools included. */
  allBinaries?: boolean;
  /** Where the Dockerfile goes, relative to the project; its ignore file beside it as `<path>.dockerignore`. */
  output?: string;
  /** Build from vendor/ (running `go mod vendor` when it is missing), GOFLAGS=-mod=vendor, GOPROXY=off. */
  offline?: boolean;
  /** Also Kubernetes manifests (k8s/), with the debug overlay. */
  k8s?: boolean;
  /** Also internal/admin/admin.go (pprof and expvar on localhost:6060). */
  pprof?: boolean;
  /** Overwrite existing files. */
  force?: boolean;
  /** Decide the files, write nothing (and run no `go mod vendor`). */
  dryRun?: boolean;
  /** Resolve each FROM image to its digest through the registry (mirrors from registries.conf) and write name:tag@sha256:…. */
  pinDigests?: boolean;
  /** The environment for registry credentials and registries.conf (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The go command: a path, null for none (sources only), undefined for `go` on PATH. */
  go?: string | null;
}

export interface InitRun extends InitResult {
  plan: Plan;
  /** The paradigm asked for; undefined when each binary got its own recommendation. */
  paradigm: Paradigm | undefined;
  /** Paths written, relative to the project (none on a dry run). */
  written: string[];
  dryRun: boolean;
  /** With pinDigests: each image resolved, where from. */
  pins?: DigestResolution[];
}

export interface InitDiff {
  /** The project's Dockerfile compared, relative to the project. */
  file: string;
  items: DiffItem[];
}

/** Everything checkable from the options alone; throws E_USAGE. */
function checkOptions(opts: InitProjectOptions): void {
  if (opts.paradigm !== undefined && !PARADIGMS.includes(opts.paradigm as Paradigm)) {
    throw new GokilnError('E_USAGE', `--paradigm must be one of ${PARADIGMS.join(', ')}`);
  }
  const out = opts.output;
  if (out !== undefined && (out === '' || out.startsWith('/') || out.split(/[\\/]/).includes('..'))) {
    throw new GokilnError(
      'E_USAGE',
      '--output must be a path inside the project, relative to it (the Dockerfile builds with the project as its context)',
    );
  }
}

/** The plan and the files for it, decided as data (reads the project, writes nothing). */
function generate(
  abs: string,
  go: string | null,
  opts: InitProjectOptions,
  pins?: Pins,
): InitResult & { plan: Plan; paradigm: Paradigm | undefined } {
  const scan = scanProject(abs, { go });
  const plan = buildPlan(scan, { select: { binaries: opts.binaries, all: Boolean(opts.allBinaries) } });
  const paradigm = opts.paradigm as Paradigm | undefined;
  const out = generateFiles(plan, {
    paradigm,
    output: opts.output,
    offline: Boolean(opts.offline),
    k8s: Boolean(opts.k8s),
    pprof: Boolean(opts.pprof),
    hasGoSum: existsSync(join(abs, 'go.sum')),
    replaces: localReplaces(scan.goMod, scan.depModules),
    pins,
  });
  return { plan, paradigm, ...out };
}

const goOf = (opts: InitProjectOptions): string | null => (opts.go === undefined ? which('go', process.env) : opts.go);

/**
 * Plans the project in `dir` and writes its Dockerfile, ignore file and what else was asked for (or only
 * decides them, dryRun). With pinDigests every base image is resolved before anything is written, so an
 * image that cannot be resolved leaves the project as it was.
 */
export async function initProject(dir: string, opts: InitProjectOptions = {}): Promise<InitRun> {
  checkOptions(opts);
  const abs = resolve(dir);
  const go = goOf(opts);
  const dryRun = Boolean(opts.dryRun);
  let pins: Pins | undefined;
  let resolved: DigestResolution[] = [];
  let g = generate(abs, go, opts);
  const pin = async () => {
    const r = await resolvePins(g.specs, { env: opts.env ?? process.env }, pins);
    pins = r.pins;
    resolved = [...resolved, ...r.resolved];
    g = generate(abs, go, opts, pins);
  };
  if (!dryRun) checkTargets(abs, g.files, Boolean(opts.force));
  if (opts.pinDigests) await pin();
  if (opts.offline && !existsSync(join(abs, 'vendor', 'modules.txt')) && !dryRun) {
    if (!go) throw new GokilnError('E_USAGE', '--offline needs vendor/: run `go mod vendor` (go is not on PATH here)');
    const r = spawnSync(go, ['mod', 'vendor'], { cwd: abs, encoding: 'utf8', timeout: 300_000 });
    // one line, as every error: go's first line that is not progress, then all it said, collapsed
    if (r.status !== 0)
      throw new GokilnError(
        'E_IO',
        `${abs}: go mod vendor failed: ${goErrorLine(r.stderr || r.error?.message || '', `exit ${r.status}`)}`,
        {
          file: abs,
        },
      );
    // the vendored modules are now readable: plan again from them (and pin a base image that changed)
    g = generate(abs, go, opts, pins);
    if (opts.pinDigests) await pin();
  }
  const written = dryRun ? [] : writeFiles(abs, g.files, Boolean(opts.force));
  return { ...g, written, dryRun, pins: opts.pinDigests ? resolved : undefined };
}

/** `init --diff`: what gokiln would change in the project's own Dockerfile, and why. Writes nothing. */
export function diffInit(dir: string, opts: InitProjectOptions = {}): InitDiff {
  checkOptions(opts);
  if (opts.pinDigests) throw new GokilnError('E_USAGE', '--diff writes no Dockerfile: leave --pin-digests out');
  const abs = resolve(dir);
  const g = generate(abs, goOf(opts), opts);
  const file = opts.output ?? 'Dockerfile';
  const own = join(abs, file);
  if (!existsSync(own))
    throw new GokilnError('E_NOT_FOUND', `${own} not found: --diff compares the project's Dockerfile with gokiln's`, { file: own });
  let text: string;
  try {
    text = readFileSync(own, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'E_IS_DIRECTORY' : 'E_IO';
    throw new GokilnError(code, `cannot read ${own}: ${(e as Error).message}`, { file: own });
  }
  const findings = lintDockerfile(text, { file: own, context: loadBuildContext(abs).context });
  return { file, items: diffDockerfile(text, g.plan, g.specs, findings) };
}
