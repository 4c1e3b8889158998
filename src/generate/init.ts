/**
 * `gokiln init`: the set of files for a plan and a paradigm, decided as data first (pure), then written
 * all-or-nothing: every target is checked before the first write, so a refusal (E_EXISTS) leaves the
 * project untouched, and each file is written atomically.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Paradigm, Plan } from '../project/plan.js';
import { planDockerfile, renderDockerfile, type DockerfileSpec } from './dockerfile.js';
import { renderDockerignore } from './dockerignore.js';
import { renderK8s } from './k8s.js';
import { renderPprofAdmin } from './pprof-admin.js';
import { writeFileAtomic } from '../io/write-file.js';
import { GokilnError } from '../errors.js';

export interface InitOptions {
  paradigm: Paradigm;
  offline?: boolean;
  k8s?: boolean;
  /** Write internal/admin/admin.go (also written with --k8s, whose debug overlay uses it). */
  pprof?: boolean;
  hasGoSum: boolean;
}

export interface GeneratedFile {
  /** Relative to the project directory, `/`-separated. */
  path: string;
  content: string;
}

export interface InitResult {
  spec: DockerfileSpec;
  files: GeneratedFile[];
}

/** Refuses a paradigm the plan found not viable (e.g. distroless for a binary linking libpng): its image would not run. */
export function generateFiles(plan: Plan, opts: InitOptions): InitResult {
  const alt = plan.alternatives.find((a) => a.paradigm === opts.paradigm);
  if (alt && !alt.viable) {
    throw new GokilnError('E_UNSUPPORTED', `--paradigm ${opts.paradigm} would not run this project: ${alt.caveats.join('; ')}; the plan recommends ${plan.recommended.paradigm}`);
  }
  const spec = planDockerfile(plan, { paradigm: opts.paradigm, offline: Boolean(opts.offline), hasGoSum: opts.hasGoSum });
  const files: GeneratedFile[] = [
    { path: 'Dockerfile', content: renderDockerfile(spec, plan) },
    { path: '.dockerignore', content: renderDockerignore({ keepVendor: Boolean(opts.offline) || plan.vendor.present, packageDirs: plan.packageDirs }) },
  ];
  if (opts.k8s) files.push(...renderK8s(plan, spec).files);
  if (opts.k8s || opts.pprof) files.push({ path: 'internal/admin/admin.go', content: renderPprofAdmin('admin') });
  return { spec, files };
}

/** Writes files under dir; refuses before writing anything if one exists and force is off. */
export function writeFiles(dir: string, files: GeneratedFile[], force: boolean): string[] {
  if (!force) {
    const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
    if (existing.length) {
      throw new GokilnError('E_EXISTS', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${dir}; pass --force to overwrite`, { file: join(dir, existing[0]!) });
    }
  }
  const written: string[] = [];
  for (const f of files) {
    writeFileAtomic(join(dir, ...f.path.split('/')), f.content, { force });
    written.push(f.path);
  }
  return written;
}
