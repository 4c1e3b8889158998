/** One error type for everything gokiln reports as a user-facing failure; `code` is stable and documented. */
export type ErrorCode =
  | 'E_NOT_FOUND' // path does not exist
  | 'E_IS_DIRECTORY' // a directory where a file was expected
  | 'E_NOT_DIRECTORY' // a file where a directory was expected (also a file inside a path: ENOTDIR)
  | 'E_PERMISSION' // cannot be opened for reading (EACCES/EPERM)
  | 'E_IO' // any other read error
  | 'E_EMPTY' // zero-length file
  | 'E_NOT_BINARY' // not ELF, Mach-O or PE (a script, text, an archive…)
  | 'E_TRUNCATED' // a header or table points past the end of the file
  | 'E_CORRUPT' // a structure is internally inconsistent
  | 'E_UNSUPPORTED' // a valid file of a kind gokiln does not handle (e.g. a Go version too old)
  | 'E_NOT_GO' // a Go-only analysis on a non-Go binary
  | 'E_USAGE' // bad command-line arguments
  | 'E_EXISTS' // refusing to overwrite without --force
  | 'E_PARSE' // malformed text input (Dockerfile, YAML, go.mod)
  | 'E_BUILD' // the Go compiler (or another build step gokiln runs) failed; its own message is kept
  | 'E_NETWORK' // a registry or mirror could not be reached (refused, DNS, TLS, timeout)
  | 'E_AUTH' // a registry refused the credentials (401/403); the password is never printed
  | 'E_REGISTRY' // a registry answered with an error gokiln cannot work around (after retries)
  | 'E_DIGEST' // content does not match the digest or checksum it was named by
  | 'E_PLATFORM' // an image or binary is not for the platform asked for (the ones it has are named)
  | 'E_UNSAFE'; // an image entry would escape its root (`..`, absolute or symlinked paths) or exceed limits

export class GokilnError extends Error {
  override readonly name = 'GokilnError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { file?: string; offset?: number; line?: number } = {},
  ) {
    super(message);
  }
}

export function isGokilnError(e: unknown): e is GokilnError {
  return e instanceof GokilnError;
}

/**
 * An error about one file as reported data: its code, and its message led by the path (once). A stray
 * runtime error (a parser bug) is reported as E_CORRUPT, so it does not take the other files down.
 */
export function toErrorInfo(e: unknown, path: string): { code: GokilnError['code']; message: string } {
  if (isGokilnError(e)) {
    const msg = e.message.startsWith(path) ? e.message : `${path}: ${e.message}`;
    return { code: e.code, message: msg };
  }
  return { code: 'E_CORRUPT', message: `${path}: ${(e as Error)?.message ?? String(e)}` };
}

/**
 * Runs a parser step and turns any stray runtime error (RangeError from a DataView, a TypeError from
 * a malformed table) into a typed E_CORRUPT, so no raw exception ever reaches the user.
 */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GokilnError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new GokilnError('E_CORRUPT', `${what}: ${msg}`);
  }
}

/*
 * The one translation from a file-system error (Node's errno codes) to gokiln's codes, used by every command,
 * so one bad path gives one code and one exit status whichever command meets it:
 *   ENOENT → E_NOT_FOUND; ENOTDIR → E_NOT_DIRECTORY (a file where a directory was expected, also inside a
 *   path); EISDIR → E_IS_DIRECTORY; EACCES, EPERM → E_PERMISSION; anything else → E_IO with the system's words.
 * Pure (no node:fs here): src/io/fs-errors.ts has the reading helpers built on it.
 */
const BY_ERRNO: Record<string, ErrorCode> = {
  ENOENT: 'E_NOT_FOUND',
  ENOTDIR: 'E_NOT_DIRECTORY',
  EISDIR: 'E_IS_DIRECTORY',
  EACCES: 'E_PERMISSION',
  EPERM: 'E_PERMISSION',
};

const WORDS: Partial<Record<ErrorCode, string>> = {
  E_NOT_FOUND: 'no such file or directory',
  E_NOT_DIRECTORY: 'not a directory (a file stands where a directory is expected)',
  E_IS_DIRECTORY: 'is a directory, not a file',
  E_PERMISSION: 'permission denied',
};

/** True for an error thrown by node:fs (it carries an errno code such as 'ENOENT' and the syscall). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!)
  );
}

/** The gokiln code for an errno code ('EACCES' → 'E_PERMISSION'); E_IO for any other. */
export function codeForErrno(errno: string | undefined): ErrorCode {
  return (errno !== undefined && BY_ERRNO[errno]) || 'E_IO';
}

/**
 * A typed error for a failed file-system call on `path`: `path: <what went wrong>`, the path once.
 * A GokilnError passes through unchanged.
 */
export function fsError(e: unknown, path: string): GokilnError {
  if (e instanceof GokilnError) return e;
  const errno = (e as NodeJS.ErrnoException)?.code;
  const code = codeForErrno(errno);
  const why = WORDS[code] ?? (e as Error)?.message ?? String(e);
  return new GokilnError(code, `${path}: ${why}`, { file: path });
}

/** The error for a file (or anything else) where a directory was expected; `what` says what it is for. */
export function notDirectoryError(path: string, what?: string): GokilnError {
  return new GokilnError('E_NOT_DIRECTORY', `${path}: ${WORDS.E_NOT_DIRECTORY}${what ? `: ${what}` : ''}`, { file: path });
}
