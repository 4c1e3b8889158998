/**
 * Temporary directories that cannot outlive the test file that made them. node:test runs each test file in
 * a process of its own, so removing every directory made here when that process exits (passed, failed or
 * thrown) cleans up after a test that returned early or failed before its own `finally`.
 * `scripts/test.mjs` checks that nothing is left in the run's TMPDIR.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let hooked = false;

/** `mkdtempSync(join(tmpdir(), prefix))`, removed with its contents when the process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', removeScratchDirs);
  }
  return dir;
}

/** Removes every directory scratchDir made so far (also called at exit). */
export function removeScratchDirs(): void {
  for (const d of made) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // Go's module cache is read-only (a GOPATH made here): give the owner write access, then remove
      try {
        execFileSync('chmod', ['-R', 'u+rwX', d], { stdio: 'ignore' });
        rmSync(d, { recursive: true, force: true });
      } catch {
        // left behind: the run's TMPDIR check (scripts/test.mjs) names it
      }
    }
    made.delete(d);
  }
}
