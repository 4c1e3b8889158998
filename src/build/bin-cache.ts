/**
 * Where `go build -o` writes a binary. The go command does not link again when the output file is already
 * there with the build ID it would give (its up-to-date check), and linking is most of a warm build: for
 * hello-service, `go build -o` into a new directory took ~400 ms, into the same file again ~90 ms. So
 * with the cache on, each project, package, platform and cgo setting has a directory of its own under
 * `gokiln/binaries/`, and the binary is then hard-linked (or copied) into the build's private directory: a
 * later build replacing the cached file (the go command renames a new file into place) cannot change the
 * bytes this build goes on to read. Without the cache: the private directory, a link every time.
 * The 16 most recently used directories are kept.
 *
 * One build at a time per directory: when the cache is on another file system than the go command's work
 * directory, it copies the new binary into place instead of renaming it, so a second build of the same
 * package could read a half-written file. A build takes the directory with an exclusive `mkdir` of `.in-use`;
 * a build that finds it taken goes without the cache (its own private output, linked afresh). A mark older
 * than 30 minutes is a build that died, and is taken over.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Platform } from '../image/oci.js';

const KEEP = 16;
const IN_USE = '.in-use';
/** a build holding a directory longer than this has died (a cold cgo build of a large program takes minutes) */
const STALE_MS = 30 * 60 * 1000;

export interface BinaryPlace {
  /** where go build writes */
  out: string;
  /** after go build: the private copy the build reads (and the directory is free again) */
  settle(): void;
  /** frees the directory without settling (a failed build); harmless after settle */
  release(): void;
}

const uncached = (privatePath: string): BinaryPlace => ({ out: privatePath, settle: () => undefined, release: () => undefined });

/** Whether a live build holds `dir`: its mark is there and younger than STALE_MS. */
function heldByLiveBuild(dir: string): boolean {
  const since = statSync(join(dir, IN_USE), { throwIfNoEntry: false })?.mtimeMs;
  return since !== undefined && Date.now() - since < STALE_MS;
}

/** Takes `dir` for this build: false when another live build holds it. */
function take(dir: string): boolean {
  const mark = join(dir, IN_USE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(mark);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (heldByLiveBuild(dir)) return false;
      rmSync(mark, { recursive: true, force: true });
    }
  }
  return false;
}

export function binaryPlace(
  cacheRoot: string | null,
  key: { dir: string; pkg: string; platform: Platform; cgo: boolean },
  privatePath: string,
): BinaryPlace {
  mkdirSync(dirname(privatePath), { recursive: true });
  if (cacheRoot === null) return uncached(privatePath);
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
    if (!take(dir)) return uncached(privatePath);
  } catch {
    // no cache directory: link as if there were no cache
    return uncached(privatePath);
  }
  const out = join(dir, privatePath.split('/').at(-1)!);
  let held = true;
  const release = (): void => {
    if (held) rmSync(join(dir, IN_USE), { recursive: true, force: true });
    held = false;
  };
  return {
    out,
    settle: () => {
      try {
        linkSync(out, privatePath);
      } catch {
        copyFileSync(out, privatePath);
      } finally {
        release();
      }
    },
    release,
  };
}

/** Keeps the KEEP most recently used directories, and any a live build holds. */
function prune(root: string): void {
  const dirs = readdirSync(root)
    .map((n) => ({ n, t: statSync(join(root, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of dirs.slice(KEEP)) if (!heldByLiveBuild(join(root, n))) rmSync(join(root, n), { recursive: true, force: true });
}
