/**
 * The dynamic loader's view of an image: which file a DT_NEEDED name loads (RPATH, LD_LIBRARY_PATH,
 * RUNPATH, ld.so.conf, the default directories for glibc; LD_LIBRARY_PATH, RPATH/RUNPATH,
 * /etc/ld-musl-ARCH.path or the defaults for musl), each library's own needs in turn, and the symbol
 * versions each defines. Read from the in-memory tree: nothing runs, nothing is written.
 */
import { BufferSource } from '../formats/source.js';
import { parseBinary } from '../formats/open.js';
import { compareVersions } from '../compare-versions.js';
import { DEBIAN_TRIPLETS, MUSL_ARCH, muslProvides, type GoArch } from '../knowledge/libc.js';
import { MUSL_DEFAULT_DIRS, glibcDefaultDirs } from '../knowledge/image-lookups.js';
import type { ImageView } from '../image/read/read-image.js';
import type { FileNode } from '../image/read/tree.js';

/** What a library's bytes are boiled down to while its layer streams by. */
export interface LibSummary {
  arch: string;
  bits: 32 | 64;
  soname: string | null;
  needed: string[];
  rpath: string[];
  runpath: string[];
  versionDefs: string[];
  versionNeeds: Array<{ file: string; versions: string[] }>;
}

/** Names the loader may be asked for: `libc.so.6`, `ld-linux-x86-64.so.2`, `libfoo.so`. */
export function isLibraryName(base: string): boolean {
  return /\.so(\.[0-9.]+)?$/.test(base) || /^ld-.*\.so/.test(base);
}

export function summarizeLibrary(bytes: Uint8Array): LibSummary | null {
  try {
    const img = parseBinary(new BufferSource(bytes))[0];
    if (!img || img.format !== 'elf' || !img.elf) return null;
    const e = img.elf;
    return {
      arch: img.arch,
      bits: img.bits,
      soname: e.soname,
      needed: e.needed,
      rpath: e.rpath,
      runpath: e.runpath,
      versionDefs: e.versionDefs,
      versionNeeds: e.versionNeeds,
    };
  } catch {
    // a linker script (libc.so is text on Debian) or a damaged file: not loadable, as ld.so would find
    return null;
  }
}

export interface Loaded {
  name: string;
  path: string;
  lib: LibSummary;
}

export interface LoadProblem {
  kind: 'missing';
  name: string;
  /** who needs it: the binary's path or a library's */
  by: string;
}

export interface VersionProblem {
  version: string;
  /** the library file that lacks it (in the image) */
  file: string;
  by: string;
}

async function summaryOf(view: ImageView, node: FileNode): Promise<LibSummary | null> {
  if (node.summary !== undefined) return node.summary as LibSummary | null;
  node.summary = summarizeLibrary(await view.content(node));
  return node.summary as LibSummary | null;
}

function expandOrigin(dir: string, originDir: string): string {
  return dir.replace(/\$\{?ORIGIN\}?/g, originDir);
}

/** Directories listed by /etc/ld.so.conf and its includes (glob `*.conf` of a directory, one level). */
async function ldSoConfDirs(view: ImageView): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const readConf = async (path: string, depth: number): Promise<void> => {
    if (depth > 4 || seen.has(path)) return;
    seen.add(path);
    const l = view.tree.lookup(path);
    if (!l.node || l.node.type !== 'file') return;
    const text = Buffer.from(await view.content(l.node)).toString('utf8');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      const inc = /^include\s+(.+)$/.exec(line);
      if (inc) {
        for (const pat of inc[1]!.split(/\s+/)) {
          const slash = pat.lastIndexOf('/');
          const dir = pat.slice(0, slash) || '/';
          const glob = new RegExp(
            '^' +
              pat
                .slice(slash + 1)
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*')
                .replace(/\?/g, '.') +
              '$',
          );
          const d = view.tree.lookup(dir);
          if (d.node?.type !== 'dir') continue;
          for (const name of [...d.node.children.keys()].sort()) if (glob.test(name)) await readConf(`${dir}/${name}`, depth + 1);
        }
      } else out.push(...line.split(/[\s:,]+/).filter((x) => x.startsWith('/')));
    }
  };
  await readConf('/etc/ld.so.conf', 0);
  return out;
}

async function muslPathDirs(view: ImageView, arch: string): Promise<string[] | null> {
  const m = MUSL_ARCH[arch as GoArch];
  if (!m) return null;
  const l = view.tree.lookup(`/etc/ld-musl-${m}.path`);
  if (!l.node || l.node.type !== 'file') return null;
  return Buffer.from(await view.content(l.node))
    .toString('utf8')
    .split(/[\n:]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface Resolution {
  loaded: Loaded[];
  missing: LoadProblem[];
  versions: VersionProblem[];
  /** the glibc the image's libc.so.6 defines (its highest GLIBC_x.y), when one was loaded */
  glibc: string | null;
}

export interface Needer {
  path: string;
  arch: string;
  bits: 32 | 64;
  libc: 'glibc' | 'musl' | 'none' | 'other';
  interpreter: string | null;
  needed: string[];
  rpath: string[];
  runpath: string[];
  versionNeeds: Array<{ file: string; versions: string[] }>;
}

/** Loads the binary's libraries breadth-first as ld.so does, stopping at the first missing one (as it does). */
export async function resolveLibraries(view: ImageView, bin: Needer, env: Record<string, string>): Promise<Resolution> {
  const musl = bin.libc === 'musl' || (bin.interpreter ?? '').includes('ld-musl');
  const triplet = DEBIAN_TRIPLETS[bin.arch as GoArch];
  const ldLibraryPath = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const system = musl
    ? ((await muslPathDirs(view, bin.arch)) ?? MUSL_DEFAULT_DIRS)
    : [...(await ldSoConfDirs(view)), ...glibcDefaultDirs(triplet, bin.bits)];
  const loaded: Loaded[] = [];
  const byName = new Map<string, Loaded>();
  const missing: LoadProblem[] = [];
  const queue: Array<{ name: string; by: string; rpath: string[]; runpath: string[] }> = bin.needed.map((name) => ({
    name,
    by: bin.path,
    rpath: bin.rpath,
    runpath: bin.runpath,
  }));
  while (queue.length > 0 && missing.length === 0) {
    const q = queue.shift()!;
    if (byName.has(q.name)) continue;
    // musl's libc.so answers to the names of the libraries it folds in (libpthread, libm, …)
    if (musl && muslProvides(q.name, bin.arch)) continue;
    const originDir = q.by.slice(0, q.by.lastIndexOf('/')) || '/';
    const dirs = q.name.includes('/')
      ? ['']
      : musl
        ? [...ldLibraryPath, ...q.rpath, ...q.runpath, ...system]
        : [...(q.runpath.length ? [] : q.rpath), ...ldLibraryPath, ...q.runpath, ...system];
    let found: Loaded | null = null;
    for (const d of dirs) {
      const p = q.name.includes('/') ? q.name : `${expandOrigin(d, originDir).replace(/\/$/, '')}/${q.name}`;
      const l = view.tree.lookup(p);
      if (!l.node || l.node.type !== 'file') continue;
      const lib = await summaryOf(view, l.node);
      // ld.so skips a file of another class or machine and keeps searching
      if (!lib || lib.arch !== bin.arch || lib.bits !== bin.bits) continue;
      found = { name: q.name, path: p, lib };
      break;
    }
    if (!found) {
      missing.push({ kind: 'missing', name: q.name, by: q.by });
      break;
    }
    byName.set(q.name, found);
    loaded.push(found);
    for (const n of found.lib.needed) queue.push({ name: n, by: found.path, rpath: found.lib.rpath, runpath: found.lib.runpath });
  }
  const versions: VersionProblem[] = [];
  if (missing.length === 0) {
    const check = (by: string, needs: Needer['versionNeeds']): void => {
      for (const need of needs) {
        const lib = byName.get(need.file);
        if (!lib) continue;
        for (const v of need.versions) if (!lib.lib.versionDefs.includes(v)) versions.push({ version: v, file: lib.path, by });
      }
    };
    check(bin.path, bin.versionNeeds);
    for (const l of loaded) check(l.path, l.lib.versionNeeds);
  }
  const libc = byName.get('libc.so.6');
  let glibc: string | null = null;
  for (const v of libc?.lib.versionDefs ?? []) {
    const m = /^GLIBC_(\d+\.\d+(?:\.\d+)?)$/.exec(v);
    if (m && (glibc === null || compareVersions(m[1]!, glibc) > 0)) glibc = m[1]!;
  }
  return { loaded, missing, versions, glibc };
}
