/**
 * A suite's `Packages` index (`main/binary-<arch>/Packages.gz`), streamed through gunzip and read stanza by
 * stanza into the few fields the resolver and the lockfile need. The parsed form is cached beside the
 * index, keyed by the index's sha256.
 */
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { forEachStanza } from './deb822.js';

export interface DebPackage {
  name: string;
  version: string;
  architecture: string;
  /** path relative to the mirror root (`pool/main/g/glibc/libc6_2.36-9+deb12u13_amd64.deb`) */
  filename: string;
  sha256: string;
  size: number;
  depends: DependencyGroup[];
  priority: string;
  essential: boolean;
  provides: string[];
  source: string;
}

/** One comma-separated item of Depends: alternatives (`a | b`), each with an optional version relation. */
export type DependencyGroup = Array<{ name: string; relation?: string; version?: string }>;

/** `libc6 (>= 2.34), libgcc-s1 | libgcc1, zlib1g:any` → groups; architecture qualifiers dropped. */
export function parseDepends(text: string | undefined): DependencyGroup[] {
  if (!text) return [];
  return text
    .split(',')
    .map((g) =>
      g
        .split('|')
        .map((alt) => {
          const m = /^\s*([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?/.exec(alt);
          if (!m) return null;
          return { name: m[1]!, ...(m[2] ? { relation: m[2], version: m[3]! } : {}) };
        })
        .filter((x): x is NonNullable<typeof x> => x !== null),
    )
    .filter((g) => g.length > 0);
}

/** Reads a gzip-compressed Packages stream into name → package (the last stanza of a name wins, as in a single-version suite). */
export async function readPackagesGz(input: Readable): Promise<Map<string, DebPackage>> {
  const out = new Map<string, DebPackage>();
  await forEachStanza(input.pipe(createGunzip()), (s) => {
    const name = s.get('Package');
    const filename = s.get('Filename');
    const sha256 = s.get('SHA256');
    if (!name || !filename || !sha256) return;
    out.set(name, {
      name,
      version: s.get('Version') ?? '',
      architecture: s.get('Architecture') ?? '',
      filename,
      sha256,
      size: Number(s.get('Size') ?? 0),
      depends: [...parseDepends(s.get('Pre-Depends')), ...parseDepends(s.get('Depends'))],
      priority: s.get('Priority') ?? '',
      essential: s.get('Essential') === 'yes',
      provides: parseDepends(s.get('Provides')).flatMap((g) => g.map((a) => a.name)),
      source: (s.get('Source') ?? name).split(' ')[0]!,
    });
  });
  return out;
}
