/** What every command shares about output: colour decision, JSON printing, exit codes. */
import { fsError, isFsError, isGokilnError, type ErrorCode } from '../errors.js';
import { createColors, toJson, type Colors } from '../report/style.js';
import { VERSION } from '../version.js';

// reporters take these from report/style.ts; commands keep importing them from here
export { toJson, type Colors } from '../report/style.js';

/** Documented in README "Exit codes". */
export const EXIT = {
  OK: 0,
  /** The tool worked and found problems: a failing verdict, lint findings at the threshold, a failed check. */
  FINDINGS: 1,
  /** Bad input or usage: a file could not be read or parsed, a flag is wrong. */
  INPUT: 2,
  /** A bug in gokiln. */
  INTERNAL: 3,
} as const;

/** Colour only on a TTY and never with NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR wins. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

export function colors(enabled = useColor()): Colors {
  return createColors(enabled);
}

/**
 * The one form every command gives an error on stderr: `gokiln: E_CODE: message`, the message led by
 * the file it is about. Stable, so scripts can grep the code.
 */
export function errorLine(code: string, message: string, c: Colors = colors(useColor(process.stderr))): string {
  return `gokiln: ${c.red(code)}: ${message}\n`;
}

/** What a machine reader asked for on stdout: `--json`, `--format json` or `--format sarif`; null for a person. */
export type MachineFormat = 'json' | 'sarif' | null;

/** What a machine reader asked for on stdout, read from the raw arguments (errors can come before parsing). */
export function machineFormat(argv: readonly string[]): MachineFormat {
  let format: MachineFormat = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--json') format = 'json';
    const value = a === '--format' ? argv[i + 1] : a.startsWith('--format=') ? a.slice('--format='.length) : undefined;
    if (value === 'json' || value === 'sarif') format = value;
  }
  return format;
}

/** Progress on stderr for long work, only when stderr is a TTY (never pollutes --json or pipes). */
export function progress(msg: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${msg}`);
}
export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}

/** A command's result on stdout: JSON when asked for, else its reporter's text, coloured only on a terminal. */
export function printResult<T>(json: boolean | undefined, value: T, text: (value: T, c: Colors) => string): void {
  process.stdout.write(json ? toJson(value) : text(value, colors()));
}

/** A failure as every command reports it; `file` is the input it is about, when there is one. */
export interface Failure {
  code: ErrorCode;
  message: string;
  file?: string;
}

/**
 * What a machine reader gets on stdout for a run that failed: the one JSON error shape
 * (schemas/error.schema.json) or a SARIF log of a failed run; nothing for a person, who reads stderr.
 */
export async function failureDocument(f: Failure, format: MachineFormat): Promise<string> {
  if (format === 'json') return toJson({ error: { code: f.code, message: f.message, ...(f.file === undefined ? {} : { file: f.file }) } });
  // loaded only when wanted: a command's start-up does not pay for the SARIF writer
  if (format === 'sarif') return (await import('../report/lint-sarif.js')).lintSarifError(f.code, f.message, VERSION);
  return '';
}

/** The one way a failure is reported: its error line on stderr, and for a machine reader its document on stdout. */
export async function printFailure(f: Failure, format: MachineFormat): Promise<void> {
  process.stderr.write(errorLine(f.code, f.message));
  process.stdout.write(await failureDocument(f, format));
}

/**
 * A thrown error as a failure to report, or null for a bug (which main reports as an internal error with
 * its stack). A file-system error no library call typed (deep in a scan) still gets the one errno mapping.
 */
export function asFailure(e: unknown): Failure | null {
  const typed = isFsError(e) && !isGokilnError(e) ? fsError(e, e.path ?? '(unnamed path)') : e;
  return isGokilnError(typed) ? { code: typed.code, message: typed.message, file: typed.details.file } : null;
}

/**
 * A command's action with the one error path: a GokilnError it throws is printed by printFailure in the
 * format the arguments asked for, and the exit status is 2 (EXIT.INPUT); anything else goes up to main as a
 * bug. So a command registered on its own program (as a test does) reports exactly as `gokiln` does.
 */
export function withFailures<A extends unknown[]>(
  setExit: (code: number) => void,
  fn: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const failure = asFailure(e);
      if (failure === null) throw e;
      await printFailure(failure, machineFormat(process.argv));
      setExit(EXIT.INPUT);
    }
  };
}
