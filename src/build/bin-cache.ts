/**
 * Where `go build -o` writes a binary. The go command does not link again when the output file is already
 * there with the build ID it would give (its up-to-date check), and linking is most of a warm build: for
 * hello-service, `go build -o` into a new directory took ~400 ms, into the same file again ~90 ms. So
 * with the cache on, each project, package, platform and cgo setting has a directory of its own under
 * `gokiln/binaries/`, and the binary is then hard-linked (or copied) into the build's private directory: a
 * later build replacing the cached file (the go command renames a new file into place) cannot change the
 * bytes this build goes on to read. Without the cache: the private directory, a link every time.
 * The 16 most recently used directories are kept.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Platform } from '../image/oci.js';

const KEEP = 16;

export interface BinaryPlace {
  /** where go build writes */
  out: string;
  /** after go build: the private copy the build reads */
  settle(): void;
}

export function binaryPlace(
  cacheRoot: string | null,
  key: { dir: string; pkg: string; platform: Platform; cgo: boolean },
  privatePath: string,
): BinaryPlace {
  mkdirSync(dirname(privatePath), { recursive: true });
  if (cacheRoot === null) return { out: privatePath, settle: () => undefined };
  const id = createHash('sha256')
    .update(JSON.stringify([key.dir, key.pkg, key.platform.os, key.platform.architecture, key.platform.variant ?? '', key.cgo]))
    .digest('hex')
    .slice(0, 24);
  const dir = join(cacheRoot, id);
  try {
    mkdirSync(dir, { recursive: true });
    const now = new Date();
    utimesSync(dir, now, now);
    prune(cacheRoot);
  } catch {
    // no cache directory: link as if there were no cache
    return { out: privatePath, settle: () => undefined };
  }
  const out = join(dir, privatePath.split('/').at(-1)!);
  return {
    out,
    settle: () => {
      try {
        linkSync(out, privatePath);
      } catch {
        copyFileSync(out, privatePath);
      }
    },
  };
}

function prune(root: string): void {
  const dirs = readdirSync(root)
    .map((n) => ({ n, t: statSync(join(root, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of dirs.slice(KEEP)) rmSync(join(root, n), { recursive: true, force: true });
}
