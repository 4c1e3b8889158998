/**
 * A version for the main module when build info says `(devel)` (a plain `go build` in a checkout before
 * Go 1.24 stamped VCS tags, or a build without VCS info): taken from an `-X …version=V` linker flag, else
 * from the VCS stamp as a Go pseudo-version (`v0.0.0-20260101120000-abcdef123456`, `+dirty` when modified).
 */
import { goUnquote, quotedPrefixLength } from './strconv.js';
import type { GoBuildInfo } from './types.js';

export interface DerivedVersion {
  version: string;
  derivedFrom: 'buildinfo' | 'ldflags' | 'vcs';
}

/** Splits a flag string the way cmd/go's quoted.Split does: whitespace-separated, '…' or "…" quoting. */
export function splitFlags(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    if (i >= s.length) break;
    const q = s[i];
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1);
      if (end < 0) {
        out.push(s.slice(i + 1));
        break;
      }
      out.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < s.length && !/\s/.test(s[j] as string)) j++;
      out.push(s.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** The `-X importpath.name=value` assignments of an -ldflags string, in order. */
export function ldflagsDefinitions(ldflags: string): Array<{ symbol: string; value: string }> {
  const args = splitFlags(ldflags);
  const defs: Array<{ symbol: string; value: string }> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    let def: string | undefined;
    if (a === '-X' || a === '--X') def = args[++i];
    else if (a.startsWith('-X=')) def = a.slice(3);
    else if (a.startsWith('--X=')) def = a.slice(4);
    if (def === undefined) continue;
    const eq = def.indexOf('=');
    if (eq <= 0) continue;
    let value = def.slice(eq + 1);
    if ((value.startsWith('"') || value.startsWith('`')) && quotedPrefixLength(value) === value.length) {
      try {
        value = goUnquote(value);
      } catch {
        // keep the raw text: the linker would have used it as written
      }
    }
    defs.push({ symbol: def.slice(0, eq), value });
  }
  return defs;
}

const VERSION_SYMBOL = /(?:^|[./])(?:version|Version|VERSION)$/;

function setting(bi: GoBuildInfo, key: string): string | undefined {
  return bi.settings.find((s) => s.key === key)?.value;
}

/** Go's pseudo-version timestamp form: yyyymmddhhmmss in UTC. */
function pseudoTime(iso: string): string | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function deriveMainVersion(bi: GoBuildInfo): DerivedVersion | null {
  const v = bi.main?.version ?? '';
  if (v !== '' && v !== '(devel)') return { version: v, derivedFrom: 'buildinfo' };
  const ldflags = setting(bi, '-ldflags');
  if (ldflags) {
    const hits = ldflagsDefinitions(ldflags).filter((d) => VERSION_SYMBOL.test(d.symbol) && d.value !== '');
    // The last -X for a symbol wins at link time; prefer main.version-like symbols when several differ.
    const main = hits.filter((d) => d.symbol.startsWith('main.'));
    const pick = (main.length ? main : hits).at(-1);
    if (pick) return { version: pick.value, derivedFrom: 'ldflags' };
  }
  const rev = setting(bi, 'vcs.revision');
  const time = setting(bi, 'vcs.time');
  if (rev && time) {
    const ts = pseudoTime(time);
    if (ts) {
      const dirty = setting(bi, 'vcs.modified') === 'true' ? '+dirty' : '';
      return { version: `v0.0.0-${ts}-${rev.slice(0, 12)}${dirty}`, derivedFrom: 'vcs' };
    }
  }
  return null;
}
