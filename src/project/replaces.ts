/**
 * go.mod `replace` directives that point at a local directory, judged against the build context: the
 * project directory is what `docker build DIR` sends, so a replacement outside it (`../lib`, an absolute
 * path) is not there when the Dockerfile's `go mod download` and `go build` run.
 */
import { posix } from 'node:path';
import type { GoMod } from './gomod.js';

export interface LocalReplace {
  /** The module replaced (`example.com/lib`) and the version the replace is limited to, if any. */
  module: string;
  version: string | null;
  /** The replacement path as go.mod writes it (`../lib`, `./lib`). */
  path: string;
  line: number;
  /**
   * The replacement directory relative to the project, `/`-separated without a leading `./` (`lib`,
   * `third_party/x`; `.` for the project itself), or null when it lies outside the project directory
   * (`..`-relative or absolute): then it is not in the build context.
   */
  dir: string | null;
}

/** A path go.mod may write for a local replacement that is absolute (Unix, or a Windows drive or UNC path). */
function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/**
 * Local-directory replacements the build uses. A replace of a module that is neither required in go.mod
 * nor among `used` (module paths the package graph reads) is inert: the go command never opens its
 * directory, so it cannot break the build and is left out.
 */
export function localReplaces(goMod: GoMod, used: readonly string[] = []): LocalReplace[] {
  const needed = new Set([...goMod.require.map((r) => r.path), ...used]);
  const out: LocalReplace[] = [];
  for (const r of goMod.replace) {
    if (r.new.version !== null) continue;
    if (!needed.has(r.old.path)) continue;
    let dir: string | null = null;
    if (!isAbsolute(r.new.path)) {
      const n = posix.normalize(r.new.path.replace(/\\/g, '/')).replace(/\/+$/, '');
      dir = n === '..' || n.startsWith('../') ? null : n === '' ? '.' : n;
    }
    out.push({ module: r.old.path, version: r.old.version, path: r.new.path, line: r.line, dir });
  }
  return out;
}

/** The replacements that are not in the build context. */
export function replacesOutsideContext(goMod: GoMod, used: readonly string[] = []): LocalReplace[] {
  return localReplaces(goMod, used).filter((r) => r.dir === null);
}

/** `replace example.com/lib => ../lib` as go.mod spells it (with the version when the replace names one). */
export function replaceText(r: LocalReplace): string {
  return `replace ${r.module}${r.version ? ` ${r.version}` : ''} => ${r.path}`;
}

/**
 * The one-line account of a replacement outside the build context and the ways out, used by plan's
 * warning and init's refusal alike, led by the go.mod line (`DIR/go.mod:7`).
 */
export function outsideContextMessage(r: LocalReplace, modFile: string, dir: string): string {
  return (
    `${modFile}:${r.line}: ${replaceText(r)} points outside ${dir}, the build context, so the Dockerfile's go mod download and go build cannot read it; ` +
    'vendor it (gokiln init --offline: go mod vendor copies it into vendor/), build with the parent directory as the context ' +
    '(a Dockerfile that copies both modules), or use a go.work in a directory holding both'
  );
}
