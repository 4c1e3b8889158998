/**
 * `sizeBinaries`: the whole of `gokiln size` but the printing — one binary's bytes by package, module and
 * section, or two builds compared. An error about an input names that input, once, in its message and
 * `details.file`, so the one failure path reports which of the two files it was.
 */
import { GokilnError, isGokilnError, toErrorInfo } from '../errors.js';
import { sizeFile, type SizeResult } from '../analysis/size/analyze.js';
import { diffSize } from '../analysis/size/diff.js';
import type { SizeDiff } from '../analysis/size/types.js';

export interface SizeBinariesOptions {
  /** For a universal Mach-O: which slice (default 0). */
  slice?: number;
  /** Per package, how many of its largest symbols to keep (for the HTML treemap; default 0). Single binary only. */
  symbolsPerPackage?: number;
}

export type SizeRun = ({ kind: 'single' } & SizeResult) | { kind: 'diff'; diff: SizeDiff };

/** Sizes `binary`, or compares it with `newer` when given. */
export function sizeBinaries(binary: string, newer?: string, opts: SizeBinariesOptions = {}): SizeRun {
  const slice = opts.slice ?? 0;
  const a = aboutFile(binary, () =>
    sizeFile(binary, { slice, symbolsPerPackage: newer === undefined ? (opts.symbolsPerPackage ?? 0) : 0 }),
  );
  if (newer === undefined) return { kind: 'single', ...a };
  const b = aboutFile(newer, () => sizeFile(newer, { slice, symbolsPerPackage: 0 }));
  return { kind: 'diff', diff: diffSize(a.report, b.report) };
}

/** A typed error while reading `path` is about `path` (a usage error is about the command line, and stays as it is). */
function aboutFile<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isGokilnError(e) || e.code === 'E_USAGE') throw e;
    throw new GokilnError(e.code, toErrorInfo(e, path).message, { ...e.details, file: path });
  }
}
