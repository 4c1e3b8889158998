/** What every command shares about output: colour decision, JSON printing, exit codes. */
import { createColors, type Colors } from '../report/style.js';

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

/** What a machine reader asked for on stdout, read from the raw arguments (errors can come before parsing). */
export function machineFormat(argv: readonly string[]): 'json' | 'sarif' | null {
  let format: 'json' | 'sarif' | null = null;
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
