/**
 * `gokiln init`: the set of files for a plan and a paradigm, decided as data first (pure), then written
 * all-or-nothing: every target is checked before the first write, so a refusal (E_EXISTS) leaves the
 * project untouched, and each file is written atomically.
 */
import { join } from 'node:path';
import type { Paradigm, Plan } from '../project/plan.js';
import { planDockerfiles, renderDockerfile, type DockerfileSpec } from './dockerfile.js';
import { renderDockerignore } from './dockerignore.js';
import { renderK8s } from './k8s.js';
import { renderPprofAdmin } from './pprof-admin.js';
import { checkWritable, writeFileAtomic } from '../io/write-file.js';
import { GokilnError } from '../errors.js';
import { outsideContextMessage, type LocalReplace } from '../project/replaces.js';
import type { Pins } from './pin.js';
import { aptNames, debianPlanBinaries, knowledgePackages, predictedNeeds } from '../image/debian/plan-packages.js';

export interface InitOptions {
  /** One paradigm for every binary; undefined: each binary's own recommendation. */
  paradigm?: Paradigm;
  /**
   * Where the Dockerfile goes, relative to the project (`Dockerfile` by default). Elsewhere, its ignore
   * file is `<path>.dockerignore` beside it, which BuildKit reads for that Dockerfile instead of the
   * context's .dockerignore, so the project's own files stay untouched.
   */
  output?: string;
  offline?: boolean;
  k8s?: boolean;
  /**
   * Write internal/admin/admin.go, the only file init adds to the user's source tree, so only when asked
   * (--pprof). The --k8s debug overlay port-forwards to it and says how to add it when it is missing.
   */
  pprof?: boolean;
  hasGoSum: boolean;
  /**
   * go.mod's local-directory replacements the build uses (project/replaces.ts). One inside the project
   * has its go.mod copied before `go mod download`, which reads it; one outside it is not in the build
   * context, so only --offline (vendor/ carries it) can build: without it, init refuses.
   */
  replaces?: LocalReplace[];
  /** base image → digest, from resolvePins (pin.ts): the Dockerfile's FROM lines name `name:tag@sha256:…` */
  pins?: Pins;
  /**
   * By binary name, the Debian packages of a cgo binary's runtime stage (ubuntu paradigm): what
   * `planDebianPackages` resolved (a lockfile, the suite's indexes). Without it, the same list from knowledge.
   */
  aptPackages?: Record<string, string[]>;
}

export interface GeneratedFile {
  /** Relative to the project directory, `/`-separated. */
  path: string;
  content: string;
}

export interface InitResult {
  /** The main binary's group (the only one when all binaries share a builder and a runtime). */
  spec: DockerfileSpec;
  /** Every group: builder and runtime stages, the binaries they build. */
  specs: DockerfileSpec[];
  files: GeneratedFile[];
}

/** Refuses a paradigm the plan found not viable (e.g. distroless for a binary linking libpng): its image would not run. */
export function generateFiles(plan: Plan, opts: InitOptions): InitResult {
  const alt = plan.alternatives.find((a) => a.paradigm === opts.paradigm);
  if (opts.paradigm && alt && !alt.viable) {
    throw new GokilnError(
      'E_UNSUPPORTED',
      `--paradigm ${opts.paradigm} would not run this project: ${alt.caveats.join('; ')}; the plan recommends ${plan.recommended.paradigm}`,
    );
  }
  const cannot = plan.binaries.filter((b) => b.selected && opts.paradigm && !b.viable.includes(opts.paradigm));
  if (cannot.length) {
    throw new GokilnError(
      'E_UNSUPPORTED',
      `--paradigm ${opts.paradigm} would not run ${cannot.map((b) => `${b.binary} (${b.paradigm} recommended)`).join(', ')}; leave --paradigm out to give each binary its own`,
    );
  }
  const replaces = opts.replaces ?? [];
  const outside = replaces.filter((r) => r.dir === null);
  // a consistent vendor/ carries the replacement's sources: the build reads them from there
  const vendorConsistent = plan.vendor.present && plan.vendor.consistent === true;
  if (outside.length && !opts.offline && !vendorConsistent) {
    const mod = join(plan.dir, 'go.mod');
    throw new GokilnError('E_UNSUPPORTED', outside.map((r) => outsideContextMessage(r, mod, plan.dir)).join('; '), { file: mod });
  }
  const replaceDirs = [...new Set(replaces.map((r) => r.dir).filter((d): d is string => d !== null && d !== '.'))].sort();
  const aptPackages = { ...knowledgeAptPackages(plan), ...opts.aptPackages };
  const specs = planDockerfiles(plan, {
    paradigm: opts.paradigm,
    offline: Boolean(opts.offline),
    hasGoSum: opts.hasGoSum,
    replaceDirs,
    aptPackages,
  });
  const dockerfile = opts.output ?? 'Dockerfile';
  const files: GeneratedFile[] = [
    { path: dockerfile, content: renderDockerfile(specs, plan, { k8s: opts.k8s, ...(opts.pins ? { pins: opts.pins } : {}) }) },
    {
      path: dockerfile === 'Dockerfile' ? '.dockerignore' : `${dockerfile}.dockerignore`,
      content: renderDockerignore({
        keepVendor: Boolean(opts.offline) || plan.vendor.present,
        packageDirs: [...plan.packageDirs, ...replaceDirs],
        embedPatterns: plan.embedPatterns,
      }),
    },
  ];
  if (opts.k8s) files.push(...renderK8s(plan, specs).files);
  if (opts.pprof) files.push({ path: 'internal/admin/admin.go', content: renderPprofAdmin('admin') });
  return { spec: specs[0]!, specs, files };
}

/**
 * The runtime packages of each cgo binary on the Dockerfile's Debian suite (the builder's): the package list
 * the daemonless build resolves (plan-packages.ts), from knowledge, minus libc6 and base-files, which the slim
 * image has. A suite the knowledge does not cover keeps the libraries' own runtime packages.
 */
function knowledgeAptPackages(plan: Plan): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const suite = plan.images.debian.suite;
  if (suite !== 'bookworm' && suite !== 'trixie') return out;
  // the package names are the same on every architecture; amd64 only names the loader
  for (const b of debianPlanBinaries(plan)) out[b.binary] = aptNames(knowledgePackages(b, predictedNeeds(plan, b, 'amd64'), suite));
  return out;
}

/**
 * Every reason the files cannot be written, found before the first write: a target that is a directory
 * (E_IS_DIRECTORY) or whose parent cannot be created because a path component is a file (E_IO) -- neither
 * is cured by --force, so they are reported first -- then the targets that exist (E_EXISTS without force;
 * a dangling symbolic link counts as existing). Touches nothing.
 */
export function checkTargets(dir: string, files: GeneratedFile[], force: boolean): void {
  const problems = files.map((f) => ({ f, e: checkWritable(join(dir, ...f.path.split('/')), { force }) }));
  const hard = problems.find((p) => p.e && p.e.code !== 'E_EXISTS');
  if (hard) throw hard.e!;
  const existing = problems.filter((p) => p.e?.code === 'E_EXISTS').map((p) => p.f.path);
  if (existing.length) {
    throw new GokilnError(
      'E_EXISTS',
      `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${dir}; pass --force to overwrite`,
      { file: join(dir, existing[0]!) },
    );
  }
}

/** Writes files under dir; refuses before writing anything if one cannot be written or exists and force is off. */
export function writeFiles(dir: string, files: GeneratedFile[], force: boolean): string[] {
  checkTargets(dir, files, force);
  const written: string[] = [];
  for (const f of files) {
    writeFileAtomic(join(dir, ...f.path.split('/')), f.content, { force });
    written.push(f.path);
  }
  return written;
}
