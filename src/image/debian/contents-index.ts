/**
 * A suite's `Contents-<arch>` index (`main/Contents-amd64.gz`, ~150 MB unpacked for bookworm): which
 * package ships which path. Streamed line by line; only shared-object paths in the loader's default
 * directories are kept (`lib/x86_64-linux-gnu/libz.so.1`, `lib64/ld-linux-x86-64.so.2`), keyed by file
 * name, which is what a DT_NEEDED soname or a PT_INTERP path is looked up by.
 */
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { DEBIAN_ARCH, DEBIAN_TRIPLETS } from '../../knowledge/libc.js';

/** file name → every (path, packages) that ships a file of that name in a library directory */
export type SharedObjectIndex = Map<string, Array<{ path: string; packages: string[] }>>;

/** The GNU triplet of a Debian architecture: its multiarch library directory (from knowledge's per-GOARCH tables). */
export const TRIPLET: Record<string, string> = Object.fromEntries(
  (Object.keys(DEBIAN_ARCH) as Array<keyof typeof DEBIAN_ARCH>).map((go) => [DEBIAN_ARCH[go], DEBIAN_TRIPLETS[go]]),
);

/** The directories the loader searches by default, without the leading `/` (as Contents writes paths). */
export function libraryDirs(arch: string): string[] {
  const t = TRIPLET[arch] ?? `${arch}-linux-gnu`;
  return [`lib/${t}`, `usr/lib/${t}`, 'lib', 'usr/lib', 'lib64', 'usr/lib64'];
}

export async function readContentsGz(input: Readable, arch: string): Promise<SharedObjectIndex> {
  const dirs = new Set(libraryDirs(arch));
  const out: SharedObjectIndex = new Map();
  const rl = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    // "<path><spaces><section/pkg>[,<section/pkg>...]"; paths may contain spaces, so split at the last run
    if (!line.includes('.so')) continue;
    const m = /^(.*\S)\s+(\S+)$/.exec(line);
    if (!m) continue;
    const path = m[1]!;
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (!/\.so(\.|$)/.test(name) || !dirs.has(path.slice(0, slash))) continue;
    const packages = m[2]!.split(',').map((q) => q.slice(q.lastIndexOf('/') + 1));
    let list = out.get(name);
    if (!list) out.set(name, (list = []));
    list.push({ path: `/${path}`, packages });
  }
  return out;
}
