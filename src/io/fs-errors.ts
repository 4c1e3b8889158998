/**
 * Reading helpers that report failures through the one errno mapping (fsError in errors.ts): a bad path
 * gives the same code and exit status in every command.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fsError, GokilnError, notDirectoryError } from '../errors.js';

export { codeForErrno, fsError, isFsError, notDirectoryError } from '../errors.js';

/** A whole text file, or a typed error saying why not (a directory in its place is E_IS_DIRECTORY). */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fsError(e, path);
  }
}

/**
 * Checks that `path` is a directory that may be listed: E_NOT_FOUND when missing, E_NOT_DIRECTORY for a
 * file (or anything else) in its place, E_PERMISSION when it may not be listed. `what` says what the
 * directory is for, appended to the message ("doctor checks a project directory").
 */
export function checkDirectory(path: string, what?: string): void {
  const tail = what ? `: ${what}` : '';
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const err = fsError(e, path);
    throw new GokilnError(err.code, `${err.message}${tail}`, err.details);
  }
  if (!isDir) throw notDirectoryError(path, what);
  try {
    readdirSync(path);
  } catch (e) {
    const err = fsError(e, path);
    throw new GokilnError(err.code, `${err.message}${tail}`, err.details);
  }
}
