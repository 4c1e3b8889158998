import { accessSync, constants, lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GokilnError } from '../errors.js';

/**
 * Why `path` cannot be written, before anything is touched: the typed error writeFileAtomic would end
 * in, or null when the write can go ahead.
 * - the target is a directory (E_IS_DIRECTORY, also with `force`: a file never replaces a directory);
 * - the target exists, also as a symbolic link whose target is missing (E_EXISTS, unless `force`);
 * - a parent path component that exists is not a directory, or the nearest existing one is not
 *   writable (E_IO naming the target and the component in the way).
 */
export function checkWritable(path: string, opts: { force?: boolean } = {}): GokilnError | null {
  try {
    return whyNotWritable(path, opts);
  } catch (e) {
    return new GokilnError('E_IO', `cannot write ${path}: ${(e as Error).message}`, { file: path });
  }
}

/** lstat/stat that say "not there" (undefined) for a missing entry and for a path through a file (ENOTDIR). */
function entry(path: string, follow: boolean) {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function whyNotWritable(path: string, opts: { force?: boolean }): GokilnError | null {
  const own = entry(path, false);
  if (own) {
    if (own.isDirectory() || (own.isSymbolicLink() && entry(path, true)?.isDirectory())) {
      return new GokilnError('E_IS_DIRECTORY', `${path} is a directory; gokiln writes a file there and never replaces a directory`, {
        file: path,
      });
    }
    if (!opts.force) return new GokilnError('E_EXISTS', `${path} exists; pass --force to overwrite it`, { file: path });
  }
  // the nearest ancestor that exists must be a directory (following links) that we can create entries in
  let anc = resolve(dirname(path));
  for (;;) {
    if (entry(anc, false)) break;
    const up = dirname(anc);
    if (up === anc) break;
    anc = up;
  }
  const st = entry(anc, true);
  if (!st) return new GokilnError('E_IO', `cannot write ${path}: ${anc} is a symbolic link to nothing`, { file: path });
  if (!st.isDirectory()) return new GokilnError('E_IO', `cannot write ${path}: ${anc} is not a directory`, { file: path });
  try {
    accessSync(anc, constants.W_OK | constants.X_OK);
  } catch {
    return new GokilnError('E_IO', `cannot write ${path}: ${anc} is not writable`, { file: path });
  }
  return null;
}

/**
 * Writes a file so that readers never see half of it: the bytes go to a temporary name in the same
 * directory and are renamed into place. An existing file (also a dangling symbolic link) is kept unless
 * `force` is set (E_EXISTS); a directory is never replaced (E_IS_DIRECTORY). Any failure, including
 * creating the parent directories, is a typed E_IO naming `path`; no temporary file is left behind.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { force?: boolean; mode?: number } = {}): void {
  const problem = checkWritable(path, opts);
  if (problem) throw problem;
  const dir = dirname(path);
  let tmp: string | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    tmp = join(dir, `.gokiln-tmp-${basename(path)}-${randomBytes(4).toString('hex')}`);
    writeFileSync(tmp, data, { mode: opts.mode ?? 0o644, flag: 'wx' });
    renameSync(tmp, path);
    tmp = null;
  } catch (e) {
    if (tmp) rmSync(tmp, { force: true });
    if (e instanceof GokilnError) throw e;
    const err = e as NodeJS.ErrnoException;
    const why =
      err.syscall === 'mkdir' && err.code === 'EEXIST'
        ? `${err.path ?? dir} is not a directory`
        : err.code === 'ENOTDIR'
          ? `a component of ${dir} is not a directory`
          : err.message;
    throw new GokilnError('E_IO', `cannot write ${path}: ${why}`, { file: path });
  }
}
