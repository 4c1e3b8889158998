/**
 * Which Debian mirror to use: the one given, else the one this machine's apt uses for Debian (the first
 * `deb` source whose URI has a `/debian` path segment (the archive or a snapshot of it), read from /etc/apt/sources.list and sources.list.d, one-line
 * and deb822 `.sources` formats), else deb.debian.org. A snapshot archive
 * (`https://snapshot.debian.org/archive/debian/20250520T000000Z`) or a local mirror works the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStanzas } from './deb822.js';

export const FALLBACK_MIRROR = 'http://deb.debian.org/debian';

export function defaultMirror(aptDir = '/etc/apt'): string {
  return aptDebianMirrors(aptDir)[0] ?? FALLBACK_MIRROR;
}

/** Every Debian archive URI apt is configured with, in file order (security and update archives excluded). */
export function aptDebianMirrors(aptDir = '/etc/apt'): string[] {
  const files: string[] = [];
  if (existsSync(join(aptDir, 'sources.list'))) files.push(join(aptDir, 'sources.list'));
  const d = join(aptDir, 'sources.list.d');
  if (existsSync(d)) for (const f of readdirSync(d).sort()) if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join(d, f));
  const uris: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (f.endsWith('.sources')) {
      for (const s of parseStanzas(text)) {
        if (!(s.get('Types') ?? '').split(/\s+/).includes('deb')) continue;
        if ((s.get('Enabled') ?? 'yes') === 'no') continue;
        uris.push(...(s.get('URIs') ?? '').split(/\s+/).filter(Boolean));
      }
    } else {
      for (const line of text.split('\n')) {
        const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+/.exec(line);
        if (m) uris.push(m[1]!);
      }
    }
  }
  // the Debian archive itself: `…/debian` or a snapshot of it (`…/archive/debian/20250520T000000Z`),
  // not debian-security, debian-ports or another vendor's repository
  return uris.map((u) => u.replace(/\/+$/, '')).filter((u) => /\/debian(\/|$)/.test(u));
}
