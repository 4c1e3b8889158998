/**
 * Running as a non-root user, for permission tests. Tests run as root here and in CI, and root reads
 * a mode-000 file without complaint, so an EACCES test must drop to another uid. The fixture cache is
 * under /root (mode 700), unreachable for that user, so unreadableCopy() puts the file in /tmp.
 *
 *   const p = unreadableCopy();                                   // /tmp/gokiln-noperm-…/hello, mode 000
 *   const r = asNonRoot(process.execPath, ['dist/bin/gokiln.js', 'inspect', p]);
 *   // r.stderr names E_PERMISSION; the same call as root would succeed
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../fixtures/index.js';
import { scratchDir } from './scratch.js';

/** nobody/nogroup on Debian */
export const NOBODY = 65534;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** A copy of the static fixture with mode 000 in a fresh world-traversable directory under /tmp. */
export function unreadableCopy(from = 'static'): string {
  const dir = scratchDir('gokiln-noperm-');
  chmodSync(dir, 0o755);
  const p = join(dir, 'hello');
  copyFileSync(fixture(from), p);
  chmodSync(p, 0o000);
  return p;
}

export interface NonRootResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  spawnError?: string;
}

/**
 * Runs a command as uid/gid 65534 with no supplementary groups and no capabilities (setpriv from
 * util-linux); when the tests already run as non-root, runs it directly.
 */
export function asNonRoot(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): NonRootResult {
  const argv = isRoot()
    ? (['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', '--', cmd, ...args]] as const)
    : ([cmd, args] as const);
  const r = spawnSync(argv[0], [...argv[1]], {
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
  });
  if (r.error) return { exitCode: null, stdout: r.stdout ?? '', stderr: r.stderr ?? '', spawnError: r.error.message };
  return { exitCode: r.status, stdout: r.stdout, stderr: r.stderr };
}
