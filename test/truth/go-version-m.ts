/**
 * `go version -m FILE` as an independent truth for build info: the Go toolchain's own reader
 * (debug/buildinfo), parsed into plain data. Returns null when Go finds no build info.
 */
import { spawnSync } from 'node:child_process';

export interface GoVersionMInfo {
  goVersion: string;
  path: string | null;
  main: { path: string; version: string; sum: string | null } | null;
  deps: Array<{ path: string; version: string; sum: string | null; replace: { path: string; version: string; sum: string | null } | null }>;
  /** build settings with Go's quoting removed */
  settings: Record<string, string>;
}

export function goVersionM(file: string): GoVersionMInfo | null {
  const r = spawnSync('go', ['version', '-m', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return null;
  const lines = r.stdout.split('\n');
  const first = /: (go\S+)/.exec(lines.shift() ?? '');
  if (!first) return null;
  const info: GoVersionMInfo = { goVersion: first[1]!, path: null, main: null, deps: [], settings: {} };
  let last: { replace: GoVersionMInfo['deps'][number]['replace'] } | null = null;
  for (const line of lines) {
    if (!line.startsWith('\t')) continue;
    const [kind, ...cols] = line.slice(1).split('\t');
    const mod = { path: cols[0] ?? '', version: cols[1] ?? '', sum: cols[2] ?? null };
    if (kind === 'path') info.path = cols.join('\t');
    else if (kind === 'mod') {
      info.main = mod;
      last = { replace: null };
    } else if (kind === 'dep') {
      const d = { ...mod, replace: null };
      info.deps.push(d);
      last = d;
    } else if (kind === '=>' && last) last.replace = mod;
    else if (kind === 'build') {
      const text = cols.join('\t');
      const eq = text.indexOf('=');
      const key = unquote(text.slice(0, eq));
      info.settings[key] = unquote(text.slice(eq + 1));
    }
  }
  return info;
}

/** Go's strconv.Quote output back to the string (go version -m quotes values with spaces, quotes or `=`). */
function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  return JSON.parse(s.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
}
