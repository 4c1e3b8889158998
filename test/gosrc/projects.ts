/**
 * Real multi-binary Go projects at pinned versions, fetched from the Go module proxy (`go mod download
 * -json module@version` gives the source zip: no git) into the shared cache ~/.cache/gokiln, with their
 * dependencies in a module cache of gokiln's own. Module zips carry no vendor/ sources, so a project that
 * vendors in its repository (cfssl) gets `go mod vendor` run once, which rebuilds vendor/ from go.sum.
 * Each project is made once (a marker file ends the step); tests read it in place and copy it to write.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fixtureDir } from '../fixtures/paths.js';

export interface RealProject {
  name: string;
  module: string;
  version: string;
  /** the binaries a plain `go build` of the module's commands gives, the main one and those gokiln leaves out by default */
  main: string;
  excluded: string[];
}

/** Issue #15's three projects, pinned; cfssl v1.7 needs Go 1.27, so the last release building with Go 1.26 is taken. */
export const REAL_PROJECTS: RealProject[] = [
  { name: 'node_exporter', module: 'github.com/prometheus/node_exporter', version: 'v1.12.1', main: 'node_exporter', excluded: ['tools'] },
  {
    name: 'litestream',
    module: 'github.com/benbjohnson/litestream',
    version: 'v0.5.18',
    main: 'litestream',
    excluded: ['litestream-test'],
  },
  { name: 'cfssl', module: 'github.com/cloudflare/cfssl', version: 'v1.6.5', main: 'cfssl', excluded: ['maclient', 'maserver', 'example'] },
];

function cacheRoot(): string {
  return join(fixtureDir(), '..');
}

/** The environment every go command on these projects runs in: gokiln's module cache, the local Go only. */
export function projectGoEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOMODCACHE: join(cacheRoot(), 'gomodcache'),
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
  return env;
}

function go(args: string[], cwd: string): string {
  const r = spawnSync('go', args, { cwd, env: projectGoEnv(), encoding: 'utf8', timeout: 1_200_000, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} in ${cwd} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** The project's directory in the cache (read-only by convention), made on first use. */
export function realProjectDir(p: RealProject): string {
  const dir = join(cacheRoot(), 'projects', `${p.name}@${p.version}`);
  if (existsSync(join(dir, '.gokiln-ready'))) return dir;
  const tmp = mkdtempSync(join(cacheRoot(), 'projects-tmp-'));
  try {
    const info = JSON.parse(go(['mod', 'download', '-json', `${p.module}@${p.version}`], tmp)) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${p.module}@${p.version}: ${info.Error ?? 'no directory'}`);
    const work = join(tmp, 'src');
    cpSync(info.Dir, work, { recursive: true });
    makeWritable(work);
    // every dependency of the module's packages, for go list; `go mod vendor` where the repository vendors
    if (existsSync(join(work, 'vendor', 'modules.txt'))) go(['mod', 'vendor'], work);
    else go(['mod', 'download'], work);
    writeFileSync(join(work, '.gokiln-ready'), `${p.module}@${p.version}\n`);
    mkdirSync(join(cacheRoot(), 'projects'), { recursive: true });
    // another worktree may have made it meanwhile: theirs is as good
    if (!existsSync(join(dir, '.gokiln-ready'))) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(work, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** A writable copy of the project in a temporary directory (the caller removes it). */
export function copyRealProject(p: RealProject): string {
  const dst = mkdtempSync(join(tmpdir(), `gokiln-${p.name}-`));
  cpSync(realProjectDir(p), dst, { recursive: true });
  return dst;
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}
