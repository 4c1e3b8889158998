/**
 * Running the independent truth tools (readelf, file, objdump, go, …) from tests, and the one rule for a
 * tool that is not installed: when CI=true a missing tool FAILS the test (a skipped check is not a pass);
 * elsewhere the test skips.
 */
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { which } from '../fixtures/tools.js';

export { which };

export const IN_CI = process.env.CI === 'true';

/** The CI rule in one place: under CI a missing tool is an error; elsewhere this returns and the caller skips. */
export function failInCiIfMissing(what: string): void {
  if (IN_CI) throw new Error(`${what} is required in CI`);
}

/** Names in `names` that are not executables on PATH (empty when all are there). */
export function missingTools(names: string[]): string[] {
  return names.filter((n) => !which(n));
}

/**
 * Whether `tool` runs (`tool ...args`, `--version` by default). When it does not: fails under CI,
 * otherwise marks the test skipped and returns false (the caller returns).
 */
export function haveTool(t: TestContext, tool: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
    return true;
  } catch {
    failInCiIfMissing(tool);
    t.skip(`${tool} not installed`);
    return false;
  }
}

/** Like haveTool, but checks PATH only (nothing is run). */
export function haveOnPath(t: TestContext, tool: string): boolean {
  if (which(tool)) return true;
  failInCiIfMissing(tool);
  t.skip(`${tool} not installed`);
  return false;
}

export interface RunToolOptions {
  cwd?: string;
  /** added to the environment (which always has LC_ALL=C, so tool output is not localised) */
  env?: NodeJS.ProcessEnv;
}

/** Runs a tool and returns its stdout; throws (with the tool's stderr) when it fails. */
export function runTool(tool: string, args: string[], opts: RunToolOptions = {}): string {
  return execFileSync(tool, args, {
    encoding: 'utf8',
    cwd: opts.cwd,
    maxBuffer: 256 << 20,
    env: { ...process.env, LC_ALL: 'C', ...opts.env },
  });
}

/**
 * Runs a tool and returns its stdout, or null when the tool is not installed (under CI that throws
 * instead). With `allowFail`, a tool that runs but exits non-zero gives its stdout rather than throwing.
 */
export function runToolIfInstalled(cmd: string, args: string[], allowFail = false): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; status?: number };
    if (err.code === 'ENOENT') {
      failInCiIfMissing(cmd);
      return null;
    }
    if (allowFail) return err.stdout ?? '';
    throw e;
  }
}

/**
 * runToolIfInstalled for a test: when the tool is not installed, fails under CI (as runToolIfInstalled
 * does) and otherwise marks `t` skipped before returning null, so a comparison that could not run never
 * counts as a pass. The caller returns on null (or goes on with checks that need no tool: the test still
 * reports as skipped).
 */
export function runToolOrSkip(t: TestContext, cmd: string, args: string[], allowFail = false): string | null {
  const out = runToolIfInstalled(cmd, args, allowFail);
  if (out === null) t.skip(`${cmd} not installed`);
  return out;
}
