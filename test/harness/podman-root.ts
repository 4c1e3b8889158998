/**
 * podman's storage flags for a test's own store. podman refuses a `--runroot` longer than 50 characters
 * ("the specified runroot is longer than 50 characters"), and a directory under the run's TMPDIR
 * (`/tmp/gokiln-test-run-XXXXXX/…`, scripts/test.mjs) is longer than that. So the run root goes directly
 * under /tmp with a short name, one per store (libpod records the run root in its database and refuses
 * another one for the same store later), and is removed when the test process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const runRoots = new Map<string, string>();
let hooked = false;

/** The short run root that belongs to the store at `root` (made on first use). */
export function shortRunRoot(root: string): string {
  let r = runRoots.get(root);
  if (!r) {
    r = mkdtempSync('/tmp/gkr-');
    runRoots.set(root, r);
    if (!hooked) {
      hooked = true;
      process.on('exit', () => {
        for (const d of runRoots.values()) rmSync(d, { recursive: true, force: true });
      });
    }
  }
  return r;
}

/** `--root DIR/root --runroot <short> --storage-driver vfs` for a store kept in `dir`. */
export function podmanStorage(dir: string, rootName = 'root'): string[] {
  return ['--root', join(dir, rootName), '--runroot', shortRunRoot(join(dir, rootName)), '--storage-driver', 'vfs'];
}
