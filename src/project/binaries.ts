/**
 * Which of a module's commands go into images, and which one is the module's main binary. Examples,
 * tests and development tools are left out by default, each with the reason; `--binary NAME` and
 * `--all-binaries` choose otherwise. The main binary is the one a plain `docker build` (no --target)
 * builds, so the generator makes its stage the last.
 */
import { GokilnError } from '../errors.js';
import type { MainPackage } from './scan.js';

export interface BinaryChoice {
  /** false: left out (see `excluded`) */
  selected: boolean;
  /** why it is left out by default, whether or not a flag took it back in; null for a program to ship */
  excluded: string | null;
  /** the module's main binary: the default image */
  main: boolean;
}

export interface SelectOptions {
  /** `--binary NAME` (repeatable): exactly these */
  binaries?: string[];
  /** `--all-binaries`: every command, examples and tools too */
  all?: boolean;
}

/** Why a command is not a program to ship, from its directory (`./examples/x`) and binary name. */
export function leaveOutReason(b: MainPackage): string | null {
  const parts = b.dir
    .replace(/^\.\/?/, '')
    .split('/')
    .filter(Boolean);
  for (const p of parts) {
    if (/^_?examples?$/.test(p)) return `an example (${b.dir})`;
    if (p === 'tools' || p === 'hack') return `a development tool (${b.dir})`;
    if (/^test/.test(p) || /^e2e$/.test(p)) return `a test program (${b.dir})`;
  }
  if (/[-_](test|tests|e2e)$/.test(b.binary)) return `a test command (${b.binary})`;
  return null;
}

/**
 * The main binary among the chosen ones: named like the module's last path element or the repository
 * (github.com/owner/repo), or the module's root package, or the only one; the first by directory otherwise.
 */
export function mainBinaryIndex(chosen: MainPackage[], module: string | null): { index: number; why: string } {
  if (!chosen.length) return { index: -1, why: 'no binary chosen' };
  const modName = module
    ? (module
        .split('/')
        .filter((s) => !/^v\d+$/.test(s))
        .pop() ?? '')
    : '';
  const repo = module && /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(module) ? (module.split('/')[2] ?? '') : '';
  const byName = (n: string) => chosen.findIndex((b) => n !== '' && b.binary === n);
  let i = byName(modName);
  if (i >= 0) return { index: i, why: `named like the module (${module})` };
  i = byName(repo);
  if (i >= 0) return { index: i, why: `named like the repository (${repo})` };
  i = chosen.findIndex((b) => b.dir === '.');
  if (i >= 0) return { index: i, why: "the module's root package" };
  if (chosen.length === 1) return { index: 0, why: 'the only binary' };
  return { index: 0, why: `none is named like the module; the first by directory (${chosen[0]!.dir}); choose with --binary` };
}

/** The choice for every command of the module, in its order. */
export function chooseBinaries(
  mains: MainPackage[],
  module: string | null,
  opts: SelectOptions = {},
): { choices: BinaryChoice[]; mainWhy: string } {
  const reasons = mains.map(leaveOutReason);
  let selected: boolean[];
  if (opts.binaries?.length) {
    const unknown = opts.binaries.filter((n) => !mains.some((m) => m.binary === n));
    if (unknown.length) {
      throw new GokilnError(
        'E_USAGE',
        `--binary ${unknown.join(', ')}: no such command in this module; its commands are ${mains.map((m) => m.binary).join(', ') || '(none)'}`,
      );
    }
    selected = mains.map((m) => opts.binaries!.includes(m.binary));
  } else if (opts.all) {
    selected = mains.map(() => true);
  } else {
    selected = reasons.map((r) => r === null);
    // a module whose every command looks like an example still has something to build: keep them all
    if (!selected.some(Boolean)) selected = mains.map(() => true);
  }
  const chosen = mains.filter((_, i) => selected[i]);
  const { index, why } = mainBinaryIndex(chosen, module);
  const mainPkg = chosen[index];
  return {
    choices: mains.map((m, i) => ({ selected: selected[i]!, excluded: reasons[i]!, main: m === mainPkg })),
    mainWhy: why,
  };
}
