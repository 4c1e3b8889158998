/**
 * Whether a binary is a Go program, and which Go built it, from the strongest evidence available:
 * build info, else a decodable pclntab holding runtime functions, else runtime symbols. The version comes
 * from build info, else from the runtime's own version string. Each reader's failure is kept as a
 * problem (a damaged part does not hide the rest).
 */
import { GokilnError } from '../../errors.js';
import type { BinaryImage } from '../binary.js';
import { readBuildInfo } from './buildinfo.js';
import { readPclntab } from './pclntab.js';
import { findRuntimeVersion } from './runtime-version.js';
import { readGoNameTable, type GoNameQuery } from './names.js';
import type { GoBuildInfo, GoIdentity, GoPclntab, PclntabVersion } from './types.js';

export interface GoProblem {
  /** The GokilnError code the part failed with (E_CORRUPT, E_TRUNCATED…). */
  code: string;
  /** Which reader failed: `buildinfo`, `pclntab`, `runtime-version`. */
  part: 'buildinfo' | 'pclntab' | 'runtime-version';
  message: string;
}

export interface GoIdentification {
  identity: GoIdentity;
  buildInfo: GoBuildInfo | null;
  pclntab: GoPclntab | null;
  /** With `pclntab: 'names'`: the function names and the table's header facts, without the full decode (`pclntab` is then null). */
  names: (GoNameQuery & { version: PclntabVersion; magic: number; section: string }) | null;
  problems: GoProblem[];
}

const RUNTIME_MARKERS = ['runtime.main', 'runtime.goexit', 'runtime.morestack', 'runtime.rt0_go'];

function attempt<T>(part: GoProblem['part'], problems: GoProblem[], fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof GokilnError)) throw e;
    problems.push({ code: e.code, part, message: e.message });
    return null;
  }
}

function hasRuntimeFuncs(p: GoPclntab): boolean {
  return p.funcs.some((f) => f.name === 'runtime.main' || f.name === 'runtime.goexit');
}

function hasRuntimeSymbols(img: BinaryImage): boolean {
  if (!img.hasSymbols) return false;
  return img.definedSymbols(RUNTIME_MARKERS).some((s) => s.kind === 'text');
}

/**
 * Identifies Go and reads its build info and pclntab once, for every analysis to share.
 * `options.pclntab = false` skips the function table when only the identity is wanted (it then counts as
 * evidence only through build info or symbols).
 */
export function identifyGo(img: BinaryImage, options: { pclntab?: boolean | 'names' } = {}): GoIdentification {
  const problems: GoProblem[] = [];
  const buildInfo = attempt('buildinfo', problems, () => readBuildInfo(img));
  let pclntab: GoPclntab | null = null;
  let names: GoIdentification['names'] = null;
  if (options.pclntab === 'names') {
    // the function names alone, without the pc tables the full decode reads
    names = attempt('pclntab', problems, () => readGoNameTable(img));
  } else if (options.pclntab !== false) {
    pclntab = attempt('pclntab', problems, () => readPclntab(img));
  }
  const evidence: GoIdentity['evidence'] = [];
  if (buildInfo) evidence.push('buildinfo');
  if ((pclntab && hasRuntimeFuncs(pclntab)) || (!pclntab && names && (names.has('runtime.main') || names.has('runtime.goexit'))))
    evidence.push('pclntab');
  if (evidence.length === 0 && attempt('runtime-version', problems, () => hasRuntimeSymbols(img))) evidence.push('runtime-symbols');

  let version: string | null = null;
  let versionSource: GoIdentity['versionSource'] = null;
  if (buildInfo) {
    version = buildInfo.goVersion;
    versionSource = 'buildinfo';
  } else if (evidence.length > 0) {
    const rv = attempt('runtime-version', problems, () => findRuntimeVersion(img));
    if (rv) {
      version = rv.version;
      versionSource = 'runtime-string';
      evidence.push('runtime-string');
    }
  }
  return {
    identity: { isGo: evidence.length > 0, evidence, version, versionSource },
    buildInfo,
    pclntab,
    names,
    problems,
  };
}
