/**
 * The resolver: the ELF needs of one or more binaries (loader, DT_NEEDED sonames, GLIBC_x.y) → the Debian
 * packages that provide them, each with its reasons. A soname is looked up in the suite's Contents index;
 * the chosen package's own shared objects are then read (from its .deb, never run) and their DT_NEEDED
 * followed in turn, so a package's Depends are taken exactly where they provide a file something needs
 * (libpng16-16 → zlib1g, libc6) and left out otherwise (libc6 → libgcc-s1, tzdata → debconf), as distroless
 * does. The base packages (base-files, netbase, tzdata, ca-certificates) are added with their reasons.
 * The same walk runs over a lockfile's packages, so a locked build proves it still covers the binaries.
 */
import { GokilnError } from '../../errors.js';
import { compareVersions } from '../../formats/elf/index.js';
import { DEBIAN_RELEASES } from '../../knowledge/distros.js';
import type { DebContents } from './deb.js';
import { needsOfBytes, type ElfNeeds } from './elf-needs.js';
import { libraryDirs } from './contents-index.js';

export type Reason =
  /** the ELF loader a binary names in PT_INTERP */
  | { kind: 'interpreter'; path: string; neededBy: string }
  /** a DT_NEEDED soname of a binary or of a chosen package's library */
  | { kind: 'soname'; soname: string; neededBy: string }
  /** one of the base packages every image gets */
  | { kind: 'base'; provides: string }
  /** named by the user (`--packages`) */
  | { kind: 'requested' }
  /** in the lockfile, needed by nothing else found */
  | { kind: 'locked' };

/** What a lockfile records of a package, and what a resolved package carries. */
export interface LockedPackage {
  name: string;
  version: string;
  architecture: string;
  url: string;
  sha256: string;
  size: number;
}

export interface ResolvedPackage extends LockedPackage {
  reasons: Reason[];
}

export interface DebianPackageSet {
  suite: string;
  arch: string;
  /** the newest GLIBC_x.y the binaries need, and the glibc the chosen libc6 provides (null without libc6) */
  glibc: { required: string | null; provided: string | null };
  packages: ResolvedPackage[];
  /** Depends of chosen packages that provide nothing needed, so are not installed */
  omittedDepends: Array<{ package: string; dependency: string }>;
}

/** Where packages come from: a suite's indexes, or a lockfile's list. */
export interface PackageUniverse {
  suite: string;
  arch: string;
  /** packages that ship a file of this name in a library directory (or at this exact path), most fitting first */
  providers(fileName: string, exactPath: string | null, requiredBy: string | null, chosen: ReadonlySet<string>): Promise<string[]>;
  /** a package's record and unpacked contents */
  load(name: string): Promise<{ info: LockedPackage; deb: DebContents; depends: string[][] }>;
  /** names the universe has (for requested and base packages) */
  has(name: string): Promise<boolean>;
}

/** The base packages and what each gives the image. */
export const BASE_PACKAGES: ReadonlyArray<{ name: string; provides: string }> = [
  { name: 'base-files', provides: '/etc/os-release and the base directory layout' },
  { name: 'netbase', provides: "/etc/services, /etc/protocols and /etc/ethertypes (read by Go's net package)" },
  { name: 'tzdata', provides: '/usr/share/zoneinfo (time.LoadLocation)' },
  { name: 'ca-certificates', provides: 'the CA bundle /etc/ssl/certs/ca-certificates.crt (crypto/x509)' },
];

export interface ResolveOptions {
  /** add the base packages (default true) */
  base?: boolean;
  /** packages the user asks for by name */
  extraPackages?: string[];
  /** a lockfile's packages: all are installed; those nothing needs get the reason `locked` */
  locked?: string[];
}

export interface Resolution {
  set: DebianPackageSet;
  /** unpacked contents of each chosen package, by name */
  debs: Map<string, DebContents>;
}

interface Need {
  /** soname, or the loader's path */
  name: string;
  interpreter: boolean;
  neededBy: string;
  /** the package whose file needs it, or null for a binary */
  fromPackage: string | null;
}

export async function resolveNeeds(universe: PackageUniverse, binaries: ElfNeeds[], opts: ResolveOptions = {}): Promise<Resolution> {
  for (const b of binaries) {
    if (b.arch !== universe.arch)
      throw new GokilnError('E_PLATFORM', `${b.file} is ${b.arch}, the package set is for ${universe.arch}`, { file: b.file });
  }
  const chosen = new Map<string, { info: LockedPackage; deb: DebContents; depends: string[][]; reasons: Reason[] }>();
  const queue: Need[] = [];
  const dirs = libraryDirs(universe.arch).map((d) => `/${d}/`);
  const inLibDir = (p: string): boolean => dirs.some((d) => p.startsWith(d) && !p.slice(d.length).includes('/'));

  const take = async (name: string, reason: Reason): Promise<void> => {
    const have = chosen.get(name);
    if (have) {
      if (!have.reasons.some((r) => JSON.stringify(r) === JSON.stringify(reason))) have.reasons.push(reason);
      return;
    }
    const loaded = await universe.load(name);
    chosen.set(name, { ...loaded, reasons: [reason] });
    // the package's own shared objects bring their DT_NEEDED (a library's needs are the package's needs)
    for (const f of loaded.deb.files) {
      if (f.type !== 'file' || !f.content || !inLibDir(f.path) || !/\.so(\.|$)/.test(f.path)) continue;
      const n = needsOfBytes(f.content, `${name}:${f.path}`);
      if (!n) continue;
      for (const s of n.needed) queue.push({ name: s, interpreter: false, neededBy: n.file, fromPackage: name });
    }
  };

  for (const b of binaries) {
    if (b.interpreter) queue.push({ name: b.interpreter, interpreter: true, neededBy: b.file, fromPackage: null });
    for (const s of b.needed) queue.push({ name: s, interpreter: false, neededBy: b.file, fromPackage: null });
  }
  for (const name of opts.extraPackages ?? []) {
    if (!(await universe.has(name))) throw new GokilnError('E_NOT_FOUND', `package ${name} is not in ${universe.suite}/${universe.arch}`);
    await take(name, { kind: 'requested' });
  }
  if (opts.base !== false) {
    for (const b of BASE_PACKAGES) if (await universe.has(b.name)) await take(b.name, { kind: 'base', provides: b.provides });
  }

  const seen = new Set<string>();
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const need = queue.shift()!;
      const key = `${need.name}\0${need.neededBy}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fileName = need.name.slice(need.name.lastIndexOf('/') + 1);
      const exactPath = need.interpreter ? need.name : null;
      const providers = await universe.providers(fileName, exactPath, need.fromPackage, new Set(chosen.keys()));
      // an index only says where to look: the package's own checked .deb must ship the file
      let pick: string | undefined;
      for (const name of providers) {
        const { deb } = chosen.get(name) ?? (await universe.load(name));
        if (deb.files.some((f) => (exactPath ? sameFile(f.path, exactPath) : f.path.endsWith(`/${fileName}`) && inLibDir(f.path)))) {
          pick = name;
          break;
        }
      }
      if (!pick) {
        const what = need.interpreter ? `the loader ${need.name}` : `${need.name}`;
        throw new GokilnError(
          'E_NOT_FOUND',
          `${what} (needed by ${need.neededBy}) is provided by no package of ${universe.suite}/${universe.arch}`,
        );
      }
      // a package's library needing its own sibling (libm.so.6 → libc.so.6 in libc6) is no reason
      if (need.fromPackage === pick) continue;
      await take(
        pick,
        need.interpreter
          ? { kind: 'interpreter', path: need.name, neededBy: need.neededBy }
          : { kind: 'soname', soname: need.name, neededBy: need.neededBy },
      );
    }
  };
  await drain();
  for (const name of opts.locked ?? []) if (!chosen.has(name)) await take(name, { kind: 'locked' });
  await drain();

  const glibc = checkGlibc(binaries, chosen.get('libc6')?.info ?? null, universe.suite);
  const omittedDepends: DebianPackageSet['omittedDepends'] = [];
  for (const [name, c] of chosen) {
    for (const group of c.depends)
      if (!group.some((alt) => chosen.has(alt))) omittedDepends.push({ package: name, dependency: group.join(' | ') });
  }
  const names = [...chosen.keys()].sort();
  const packages = names.map((n) => ({ ...chosen.get(n)!.info, reasons: chosen.get(n)!.reasons }));
  const debs = new Map(names.map((n) => [n, chosen.get(n)!.deb]));
  return { set: { suite: universe.suite, arch: universe.arch, glibc, packages, omittedDepends }, debs };
}

/** `/usr/lib64/x` and `/lib64/x` name the same file on a merged-/usr system. */
export function sameFile(a: string, b: string): boolean {
  const strip = (p: string): string => p.replace(/^\/usr\//, '/');
  return strip(a) === strip(b);
}

/** `2.36-9+deb12u13` → `2.36` (epoch and Debian revision dropped). */
export function upstreamVersion(v: string): string {
  return /^(?:\d+:)?(\d+(?:\.\d+)*)/.exec(v)?.[1] ?? v;
}

function checkGlibc(binaries: ElfNeeds[], libc6: LockedPackage | null, suite: string): DebianPackageSet['glibc'] {
  let required: string | null = null;
  let by = '';
  for (const b of binaries) {
    if (b.glibc && (required === null || compareVersions(b.glibc, required) > 0)) {
      required = b.glibc;
      by = b.file;
    }
  }
  const provided = libc6 ? upstreamVersion(libc6.version) : null;
  if (required && provided && compareVersions(required, provided) > 0) {
    const would = DEBIAN_RELEASES.filter((r) => compareVersions(r.glibc, required!) >= 0).sort((a, b) =>
      compareVersions(a.glibc, b.glibc),
    )[0];
    const hint = would
      ? `the oldest Debian release that would run it is ${would.codename} (Debian ${would.version}, glibc ${would.glibc}): use --suite ${would.codename}`
      : 'no Debian release gokiln knows has a glibc that new';
    throw new GokilnError(
      'E_PLATFORM',
      `${by} needs GLIBC_${required}, but ${suite}'s libc6 ${libc6!.version} provides glibc ${provided}; ${hint}`,
      { file: by },
    );
  }
  return { required, provided };
}
