/** The result of `gokiln verify` (schemas/verify.schema.json): plain data, stable key order. */

export type CheckId =
  | 'command'
  | 'binary-exists'
  | 'binary-regular'
  | 'binary-executable'
  | 'binary-platform'
  | 'interpreter'
  | 'libraries'
  | 'symbol-versions'
  | 'user'
  | 'shell'
  | 'ca-certs'
  | 'zoneinfo'
  | 'not-root'
  | 'tmp';

export interface Check {
  id: CheckId;
  ok: boolean;
  /** an error makes the verdict `fails`; a warning is worth knowing but the program starts */
  severity: 'error' | 'warning';
  /** what was found, or the exact message the user would see at run time when not ok */
  message: string;
  /** what to change; null when ok */
  fix: string | null;
}

export interface RunReport {
  /** null when the program was killed (timeout) or could not be started */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** still running at the timeout: killed, and counted as started */
  timedOut: boolean;
  /** --timeout, in seconds */
  timeoutSeconds: number;
  /** how it ran: `bubblewrap`, `bubblewrap + qemu-aarch64-static 7.2.22` (emulator started explicitly) or `bubblewrap + qemu-aarch64 (binfmt_misc)` */
  runner: string;
  /** the static verdict agreed with the run (runs ⇔ exit code 0 and no start failure) */
  predicted: boolean;
}

export interface VerifyResult {
  image: string;
  platform: string;
  /** the path in the image that is checked (the entrypoint's binary, or --binary) */
  binary: string | null;
  verdict: 'runs' | 'fails';
  checks: Check[];
  /** notes on how the check was made (another architecture: static only, …) */
  notes: string[];
  run?: RunReport;
}
