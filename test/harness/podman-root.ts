/**
 * podman's storage flags for a test's own store. podman refuses a `--runroot` longer than 50 characters
 * ("the specified runroot is longer than 50 characters"), and a directory under the run's TMPDIR
 * (`/tmp/gokiln-test-run-XXXXXX/…`, scripts/test.mjs) is longer than that. So the run root goes directly
 * under /tmp with a short name, one per store (libpod records the run root in its database and refuses
 * another one for the same store later), and is removed when the test process exits.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The limits every build and run on this host is given: without them runc fails raising the default rlimits
 * the sandbox forbids (see test/harness/engine.ts).
 */
export const ULIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'] as const;

/** `podman run` flags that work here: runc (crun refuses the hybrid cgroups), the limits, no network. */
export const RUN_FLAGS = ['--runtime', 'runc', ...ULIMITS, '--network', 'none'];

const runRoots = new Map<string, string>();
let hooked = false;

function removeAtExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const d of runRoots.values()) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // podman's cleanup may still be writing (ENOTEMPTY)
  });
}

/** The short run root that belongs to the store at `root` (made on first use). */
export function shortRunRoot(root: string): string {
  let r = runRoots.get(root);
  if (!r) {
    r = mkdtempSync('/tmp/gkr-');
    runRoots.set(root, r);
    removeAtExit();
  }
  return r;
}

/** `--root DIR/root --runroot <short> --storage-driver vfs` for a store kept in `dir`. */
export function podmanStorage(dir: string, rootName = 'root'): string[] {
  return ['--root', join(dir, rootName), '--runroot', shortRunRoot(join(dir, rootName)), '--storage-driver', 'vfs'];
}

/**
 * A new directory whose whole path is lowercase: podman also reads `oci:PATH` as an image reference, which
 * must be lowercase, and the run's TMPDIR (`gokiln-test-run-XXXXXX`, mixed case) is not. Under TMPDIR when
 * that path is lowercase, else directly under /tmp; removed when the test process exits.
 */
export function lowercaseDir(prefix: string): string {
  const parent = tmpdir() === tmpdir().toLowerCase() ? tmpdir() : '/tmp';
  const dir = join(parent, `${prefix}${randomBytes(6).toString('hex')}`);
  mkdirSync(dir);
  runRoots.set(`lowercase:${dir}`, dir);
  removeAtExit();
  return dir;
}
