/**
 * `go version -m FILE` as an independent truth for build info: the Go toolchain's own reader
 * (debug/buildinfo). Two views of the same output:
 * - parseGoVersionM(text): the lines as Go wrote them (columns kept, build settings still quoted), for
 *   tests that compare gokiln's raw modinfo with Go's;
 * - goVersionM(file): plain data (quoting removed), null when Go finds no build info.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

/** `go version -m` text, line by line, as Go printed it. */
export interface GoVersionMLines {
  goVersion: string;
  path: string | null;
  mod: string[] | null;
  deps: Array<{ cols: string[]; replace: string[] | null }>;
  /** raw `build` lines: the text after `build\t`, still quoted as Go wrote it */
  build: string[];
}

/** Parses `go version -m FILE` text: first line `FILE: goX`, then tab-indented modinfo lines. */
export function parseGoVersionM(text: string): GoVersionMLines {
  const lines = text.split('\n');
  const first = lines.shift() ?? '';
  const m = /: (\S+)$/.exec(first);
  assert.ok(m, `unexpected first line ${first}`);
  const out: GoVersionMLines = { goVersion: m[1] as string, path: null, mod: null, deps: [], build: [] };
  let last: { replace: string[] | null } | null = null;
  const modHolder = { replace: null as string[] | null };
  for (const line of lines) {
    if (!line.startsWith('\t')) continue;
    const [kind, ...cols] = line.slice(1).split('\t');
    if (kind === 'path') out.path = cols.join('\t');
    else if (kind === 'mod') {
      out.mod = cols;
      last = modHolder;
    } else if (kind === 'dep') {
      const d = { cols, replace: null as string[] | null };
      out.deps.push(d);
      last = d;
    } else if (kind === '=>') {
      if (last) last.replace = cols;
    } else if (kind === 'build') out.build.push(cols.join('\t'));
  }
  return out;
}

export interface GoModule {
  path: string;
  version: string;
  sum: string | null;
}

export interface GoVersionMInfo {
  goVersion: string;
  path: string | null;
  main: GoModule | null;
  deps: Array<GoModule & { replace: GoModule | null }>;
  /** build settings with Go's quoting removed */
  settings: Record<string, string>;
}

/** Runs `go version -m FILE`; null when it fails (no build info, not a Go binary). */
export function goVersionMText(file: string): string | null {
  const r = spawnSync('go', ['version', '-m', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : null;
}

export function goVersionM(file: string): GoVersionMInfo | null {
  const text = goVersionMText(file);
  if (text === null) return null;
  const first = /: (go\S+)/.exec(text.slice(0, text.indexOf('\n') >>> 0));
  if (!first) return null;
  const lines = parseGoVersionM(text);
  const mod = (cols: string[]): GoModule => ({ path: cols[0] ?? '', version: cols[1] ?? '', sum: cols[2] ?? null });
  const settings: Record<string, string> = {};
  for (const text of lines.build) {
    const eq = text.indexOf('=');
    settings[unquote(text.slice(0, eq))] = unquote(text.slice(eq + 1));
  }
  return {
    goVersion: first[1]!,
    path: lines.path,
    main: lines.mod ? mod(lines.mod) : null,
    deps: lines.deps.map((d) => ({ ...mod(d.cols), replace: d.replace ? mod(d.replace) : null })),
    settings,
  };
}

/** Build settings of a Go binary, quoting removed ({} when it has no build info). */
export function goBuildSettings(file: string): Record<string, string> {
  return goVersionM(file)?.settings ?? {};
}

/** Module paths of the dependencies (`dep` lines), in Go's order. */
export function goDepPaths(file: string): string[] {
  return goVersionM(file)?.deps.map((d) => d.path) ?? [];
}

/** Go's strconv.Quote output back to the string (go version -m quotes values with spaces, quotes or `=`). */
function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
}
