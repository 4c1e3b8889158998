/**
 * Debian bases from packages: `debianPackagesFor(binaries, options)` resolves the packages a set of ELF
 * binaries needs on a suite (or reads them from a lockfile), and `assembleTree` turns the result into the
 * image's files. See docs/debian.md.
 */
import { existsSync } from 'node:fs';
import { GokilnError } from '../../errors.js';
import { DebianArchive } from './archive.js';
import { ContentCache } from './cache.js';
import { needsOfFile, type ElfNeeds } from './elf-needs.js';
import { lockfileOf, readLockfile, writeLockfile } from './lockfile.js';
import { defaultMirror } from './mirror.js';
import { resolveNeeds, type Resolution } from './resolve.js';
import { IndexUniverse, LockUniverse } from './universe.js';

export { DebianArchive, type ArchiveOptions } from './archive.js';
export { ContentCache, defaultCacheDir } from './cache.js';
export { readDeb, readDebFile, readArMembers, type DebContents } from './deb.js';
export { needsOfFile, needsOfBytes, type ElfNeeds } from './elf-needs.js';
export { LOCKFILE_NAME, checkLockfile, formatLockfile, lockfileOf, readLockfile, writeLockfile, type Lockfile } from './lockfile.js';
export { aptDebianMirrors, defaultMirror } from './mirror.js';
export { DEFAULT_KEYRING, parseRelease, readKeyring, verifyInRelease, type ReleaseFile } from './release.js';
export {
  BASE_PACKAGES,
  resolveNeeds,
  upstreamVersion,
  type DebianPackageSet,
  type LockedPackage,
  type Reason,
  type Resolution,
  type ResolvedPackage,
} from './resolve.js';
export { assembleTree, CA_BUNDLE, type AssembleOptions } from './assemble.js';
export { debianPackagesJson, debianPackagesText, reasonText } from './render.js';
export { parseStanzas, formatStanza, type Stanza } from './deb822.js';
export {
  aptNames,
  debianPlanBinaries,
  knowledgePackages,
  planDebianPackages,
  predictedNeeds,
  type PlanPackagesOptions,
  type PlanPackagesSource,
  type PlannedDebianPackages,
  type PlannedPackage,
} from './plan-packages.js';

/**
 * The suite when none is named: Debian's current stable, which is also the suite of the official golang
 * images of the current Go lines (knowledge/golang-images.ts; plan's `images.debian.suite`), so plan, init
 * and build name the same release (test/image-debian/default-suite.test.ts keeps them together).
 */
export const DEFAULT_SUITE = 'trixie';

/** `--suite` as plan and build take it: a Debian suite name (the one check of its shape, before any network). */
export function checkSuiteName(suite: string | undefined): void {
  if (suite !== undefined && !/^[a-z][a-z0-9-]*$/.test(suite))
    throw new GokilnError('E_USAGE', `--suite ${suite}: a Debian suite name such as bookworm or trixie`);
}

export interface DebianPackagesOptions {
  /** `trixie` (default, DEFAULT_SUITE), `bookworm`, … */
  suite?: string;
  /** Debian architecture; default: the binaries' own */
  arch?: string;
  mirror?: string;
  keyring?: string;
  cacheDir?: string;
  /** a lockfile path: used exactly when it exists (unless `update`), written when it does not */
  lockfile?: string;
  /** resolve again from the indexes and rewrite the lockfile */
  update?: boolean;
  /** packages to add by name */
  packages?: string[];
  /** add base-files, netbase, tzdata, ca-certificates (default true) */
  base?: boolean;
}

export interface DebianPackagesResult extends Resolution {
  /** `lockfile` when the packages came from the lockfile, `index` when resolved from the suite's indexes */
  from: 'lockfile' | 'index';
  mirror: string;
  /** set when a lockfile was written */
  wroteLockfile?: string;
  /** what the resolution decided on the user's behalf (an index used as an unverified hint) */
  notes: string[];
}

/** The Debian packages the binaries (paths, or needs already read) need, with reasons. */
export async function debianPackagesFor(binaries: Array<string | ElfNeeds>, o: DebianPackagesOptions = {}): Promise<DebianPackagesResult> {
  const needs = binaries.map((b) => (typeof b === 'string' ? needsOfFile(b) : b));
  const archs = [...new Set(needs.map((n) => n.arch))];
  if (archs.length > 1)
    throw new GokilnError('E_PLATFORM', `the binaries are for several architectures (${archs.join(', ')}); one image holds one`);
  const cache = new ContentCache(o.cacheDir);
  const resolveOpts = { base: o.base ?? true, extraPackages: o.packages ?? [] };

  if (o.lockfile && existsSync(o.lockfile) && !o.update) {
    const lock = await readLockfile(o.lockfile);
    const arch = o.arch ?? archs[0] ?? lock.arch;
    if (o.suite && o.suite !== lock.suite)
      throw new GokilnError('E_USAGE', `${o.lockfile} is for ${lock.suite}, not ${o.suite}; refresh it with --update`, {
        file: o.lockfile,
      });
    if (arch !== lock.arch)
      throw new GokilnError('E_PLATFORM', `${o.lockfile} is for ${lock.arch}, the binaries are ${arch}; refresh it with --update`, {
        file: o.lockfile,
      });
    const universe = new LockUniverse(lock.suite, lock.arch, lock.packages, cache);
    try {
      const r = await resolveNeeds(universe, needs, { ...resolveOpts, locked: universe.names() });
      return { ...r, from: 'lockfile', mirror: lock.mirror, notes: [] };
    } catch (e) {
      if (e instanceof GokilnError && e.code === 'E_NOT_FOUND')
        throw new GokilnError(
          'E_NOT_FOUND',
          `${e.message.replace(/provided by no package of .*$/, 'in none of the packages')} of ${o.lockfile}; refresh it with --update`,
          { file: o.lockfile },
        );
      throw e;
    }
  }

  const mirror = (o.mirror ?? defaultMirror()).replace(/\/+$/, '');
  const arch = o.arch ?? archs[0] ?? 'amd64';
  const archive = await DebianArchive.open({
    suite: o.suite ?? DEFAULT_SUITE,
    arch,
    mirror,
    ...(o.keyring ? { keyring: o.keyring } : {}),
    cache,
  });
  const r = await resolveNeeds(new IndexUniverse(archive), needs, resolveOpts);
  const out: DebianPackagesResult = { ...r, from: 'index', mirror, notes: [...archive.notes] };
  if (o.lockfile) {
    await writeLockfile(o.lockfile, lockfileOf(r.set, mirror), { update: o.update ?? false });
    out.wroteLockfile = o.lockfile;
  }
  return out;
}
