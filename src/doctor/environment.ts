/**
 * The machine the doctor looks at: which OS and shell (for the wording of fixes), where executables
 * are on PATH, and what `go env` says. Everything comes from an explicit env so tests can run the
 * doctor in a controlled environment (a PATH without go, GO111MODULE=off…).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';

export type Shell = 'bash' | 'zsh' | 'fish' | 'sh' | 'powershell' | 'cmd';
export type OsFamily = 'debian' | 'alpine' | 'fedora' | 'arch' | 'suse' | 'linux' | 'darwin' | 'windows';

export interface Machine {
  env: NodeJS.ProcessEnv;
  os: OsFamily;
  shell: Shell;
}

export function detectMachine(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  osRelease?: string,
): Machine {
  return { env, os: detectOs(platform, osRelease), shell: detectShell(env, platform) };
}

export function detectOs(platform: NodeJS.Platform, osRelease?: string): OsFamily {
  if (platform === 'darwin') return 'darwin';
  if (platform === 'win32') return 'windows';
  let text = osRelease;
  if (text === undefined) {
    try {
      text = readFileSync('/etc/os-release', 'utf8');
    } catch {
      text = '';
    }
  }
  const ids = [...text.matchAll(/^(?:ID|ID_LIKE)="?([^"\n]+)"?$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'debian';
  if (ids.includes('alpine')) return 'alpine';
  if (ids.some((i) => i === 'fedora' || i === 'rhel' || i === 'centos')) return 'fedora';
  if (ids.includes('arch')) return 'arch';
  if (ids.some((i) => i.includes('suse'))) return 'suse';
  return 'linux';
}

export function detectShell(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Shell {
  const sh = (env.SHELL ?? '').split('/').pop() ?? '';
  if (sh === 'bash' || sh === 'zsh' || sh === 'fish' || sh === 'sh') return sh;
  if (platform === 'win32') return env.PSModulePath ? 'powershell' : 'cmd';
  return 'sh';
}

/** First executable named `name` on the env's PATH, like `command -v`. */
export function which(name: string, env: NodeJS.ProcessEnv): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of pathEntries(env)) {
    for (const ext of exts) {
      const p = join(dir, name + ext);
      try {
        if (statSync(p).isFile()) {
          accessSync(p, constants.X_OK);
          return p;
        }
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** The env's PATH (or Windows' Path) split into its non-empty directories. */
export function pathEntries(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
}

export interface GoEnv {
  GOVERSION: string;
  GOROOT: string;
  GOPATH: string;
  GOTOOLCHAIN: string;
  GOFLAGS: string;
  GO111MODULE: string;
  GOPROXY: string;
  GOSUMDB: string;
  GOPRIVATE: string;
  GONOSUMDB: string;
  GONOPROXY: string;
  CGO_ENABLED: string;
  CC: string;
  GOOS: string;
  GOARCH: string;
}
const GO_ENV_KEYS: Array<keyof GoEnv> = [
  'GOVERSION',
  'GOROOT',
  'GOPATH',
  'GOTOOLCHAIN',
  'GOFLAGS',
  'GO111MODULE',
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOSUMDB',
  'GONOPROXY',
  'CGO_ENABLED',
  'CC',
  'GOOS',
  'GOARCH',
];

/**
 * `go env -json` run outside the project: inside a module whose go line is newer than the toolchain,
 * `go env` itself would fail under GOTOOLCHAIN=local (or start a download under auto).
 */
export function goEnv(go: string, env: NodeJS.ProcessEnv): { ok: true; value: GoEnv } | { ok: false; error: string } {
  const r = spawnSync(go, ['env', '-json', ...GO_ENV_KEYS], { cwd: tmpdir(), env, encoding: 'utf8', timeout: 30_000 });
  if (r.error) return { ok: false, error: r.error.message };
  if (r.status !== 0) return { ok: false, error: (r.stderr || '').trim() };
  try {
    const j = JSON.parse(r.stdout) as Record<string, string>;
    const value = Object.fromEntries(GO_ENV_KEYS.map((k) => [k, j[k] ?? ''])) as unknown as GoEnv;
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: `go env -json printed something that is not JSON: ${(e as Error).message}` };
  }
}

export function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}
