/**
 * The Debian packages of the glibc ("ubuntu"/"debian") paradigm as `gokiln plan` and `gokiln init` see them,
 * before anything is compiled: each cgo binary's needs are predicted from the plan (the loader and libc.so.6
 * of glibc, and the sonames of the C libraries its sources link), then turned into packages in one of three
 * ways, always said in `source`:
 *
 * - `lockfile`: exactly the lockfile's packages, walked as a build walks them (offline once its .debs are cached);
 * - `index`: resolved against the suite's signed indexes, as `gokiln build` does (needs the mirror);
 * - `knowledge` (the default, offline): from gokiln's knowledge of the cgo libraries (their Debian runtime
 *   package per suite and what their own shared objects link), without versions, and not resolved against
 *   the suite; whatever the knowledge cannot map is named in `notes`.
 *
 * A build's binary has exactly these sonames when the prediction is right; the tests prove that on the
 * repository's cgo examples (the list equals the built image's status.d).
 */
import { existsSync } from 'node:fs';
import { GokilnError } from '../../errors.js';
import { C_LIBRARIES, type CLibrary } from '../../knowledge/cgo-libraries.js';
import { DEBIAN_ARCH, GLIBC_LOADERS, LIBC6_SONAMES } from '../../knowledge/libc.js';
import { hostGoarch } from '../../gosrc/target.js';
import type { Plan, PlanBinary } from '../../project/plan.js';
import type { ElfNeeds } from './elf-needs.js';
import { debianPackagesFor } from './index.js';
import { BASE_PACKAGES, type DebianPackageSet, type Reason } from './resolve.js';

export type PlanPackagesSource = 'knowledge' | 'index' | 'lockfile';

export interface PlannedPackage {
  name: string;
  /** null when the list comes from knowledge (not resolved against the suite) */
  version: string | null;
  reasons: Reason[];
}

/** One cgo binary's Debian packages. */
export interface PlannedDebianPackages {
  binary: string;
  /** the ubuntu/debian paradigm is the binary's own recommendation (else a viable alternative) */
  recommended: boolean;
  suite: string;
  arch: string;
  source: PlanPackagesSource;
  /** the loader and sonames the binary is predicted to need */
  needs: { interpreter: string; sonames: string[] };
  packages: PlannedPackage[];
  /** resolved sets only: Depends that provide no needed file, so are not installed */
  omittedDepends: DebianPackageSet['omittedDepends'];
  notes: string[];
}

export interface PlanPackagesOptions {
  /** default: the suite of the plan's Debian images (trixie for Go 1.26), as gokiln build */
  suite?: string;
  /** Go's GOARCH of the image (default: this machine's) */
  goarch?: string;
  /** resolve against the suite's indexes (network) instead of knowledge */
  resolve?: boolean;
  /** take the packages from this lockfile (must exist) */
  lockfile?: string;
  mirror?: string;
  keyring?: string;
  cacheDir?: string;
}

/** The selected binaries that need cgo and can take the glibc paradigm. */
export function debianPlanBinaries(plan: Plan): PlanBinary[] {
  return plan.binaries.filter((b) => b.selected && b.cgo.required && b.viable.includes('ubuntu'));
}

/** What a cgo binary of the plan will ask of its root file system: glibc's loader and libc, its C libraries (and C++'s runtime). */
export function predictedNeeds(plan: Plan, b: PlanBinary, goarch: string): ElfNeeds {
  const arch = (DEBIAN_ARCH as Record<string, string>)[goarch];
  const interpreter = (GLIBC_LOADERS as Record<string, string>)[goarch];
  if (!arch || !interpreter) throw new GokilnError('E_PLATFORM', `${goarch} has no Debian architecture gokiln knows`);
  const sonames = ['libc.so.6'];
  for (const l of plan.libraries.filter((x) => b.libraries.includes(x.name)))
    for (const s of l.sonames) if (!sonames.includes(s)) sonames.push(s);
  // C++ in cgo: g++ links the C++ runtime and its unwinder
  if (b.cgo.cxx) sonames.push('libstdc++.so.6', 'libgcc_s.so.1');
  return { file: b.binary, arch, interpreter, needed: sonames, glibc: null };
}

export async function planDebianPackages(plan: Plan, o: PlanPackagesOptions = {}): Promise<PlannedDebianPackages[]> {
  const goarch = o.goarch ?? hostGoarch();
  const out: PlannedDebianPackages[] = [];
  if (o.lockfile && !existsSync(o.lockfile))
    throw new GokilnError('E_NOT_FOUND', `${o.lockfile} not found: plan reads a lockfile, gokiln build --lockfile writes it`, {
      file: o.lockfile,
    });
  for (const b of debianPlanBinaries(plan)) {
    const needs = predictedNeeds(plan, b, goarch);
    const head = {
      binary: b.binary,
      recommended: b.paradigm === 'ubuntu',
      needs: { interpreter: needs.interpreter!, sonames: needs.needed },
    };
    if (!o.lockfile && !o.resolve) {
      out.push({ ...head, ...knowledgePackages(b, needs, o.suite ?? plan.images.debian.suite) });
      continue;
    }
    const r = await debianPackagesFor([needs], {
      // a lockfile names its own suite; otherwise the plan's, as the generated Dockerfile's runtime
      ...(o.suite ? { suite: o.suite } : o.lockfile ? {} : { suite: plan.images.debian.suite }),
      ...(o.lockfile ? { lockfile: o.lockfile } : {}),
      ...(o.mirror ? { mirror: o.mirror } : {}),
      ...(o.keyring ? { keyring: o.keyring } : {}),
      ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    });
    out.push({
      ...head,
      suite: r.set.suite,
      arch: r.set.arch,
      source: r.from,
      packages: r.set.packages.map((p) => ({ name: p.name, version: p.version, reasons: p.reasons })),
      omittedDepends: r.set.omittedDepends,
      notes: [...unknownNotes(b), ...r.notes],
    });
  }
  return out;
}

function unknownNotes(b: PlanBinary): string[] {
  return b.unknownLibraries.map((u) => `${u}: a C library gokiln has no package mapping for; its soname is not in the list`);
}

type KnowledgeSet = Pick<PlannedDebianPackages, 'suite' | 'arch' | 'source' | 'packages' | 'omittedDepends' | 'notes'>;

/** The package list from knowledge alone: offline, no versions, not resolved against the suite. */
export function knowledgePackages(b: PlanBinary, needs: ElfNeeds, suite: string): KnowledgeSet {
  if (suite !== 'bookworm' && suite !== 'trixie') {
    throw new GokilnError(
      'E_USAGE',
      `gokiln's knowledge of Debian package names covers bookworm and trixie, not ${suite}: resolve against the suite (--resolve) or name a lockfile`,
    );
  }
  const chosen = new Map<string, Reason[]>();
  const add = (name: string, r: Reason): void => {
    const list = chosen.get(name) ?? [];
    if (!list.some((x) => JSON.stringify(x) === JSON.stringify(r))) list.push(r);
    chosen.set(name, list);
  };
  const notes = [
    `not resolved against ${suite}: package names from gokiln's knowledge of the cgo libraries, without versions (--resolve reads the suite's indexes, --lockfile a lockfile)`,
    ...unknownNotes(b),
  ];
  add('libc6', { kind: 'interpreter', path: needs.interpreter!, neededBy: b.binary });
  // a soname → the knowledge's packages, then what that library's own objects link, once each
  const seen = new Set<string>();
  const walk = (soname: string, neededBy: string): void => {
    if ((LIBC6_SONAMES as readonly string[]).includes(soname)) return add('libc6', { kind: 'soname', soname, neededBy });
    const lib = libraryOfSoname(soname);
    if (!lib) return void notes.push(`${soname} (needed by ${neededBy}) is in no C library gokiln knows: its package is not in the list`);
    const packages = lib.debian.runtime[suite];
    for (const p of packages) add(p, { kind: 'soname', soname, neededBy });
    if (seen.has(soname)) return;
    seen.add(soname);
    if (!lib.needs)
      return void notes.push(`what ${soname} itself links is not in gokiln's knowledge: only a resolution against the suite finds it`);
    for (const s of lib.needs) walk(s, `${packages.join(', ')} (${soname})`);
  };
  for (const s of needs.needed) walk(s, b.binary);
  for (const p of BASE_PACKAGES) add(p.name, { kind: 'base', provides: p.provides });
  const packages = [...chosen.keys()].sort().map((name) => ({ name, version: null, reasons: chosen.get(name)! }));
  return { suite, arch: needs.arch, source: 'knowledge', packages, omittedDepends: [], notes };
}

function libraryOfSoname(soname: string): CLibrary | undefined {
  return C_LIBRARIES.find((l) => l.sonames.includes(soname));
}

/** The package names a Dockerfile's runtime stage on `debian:<suite>-slim` installs: the list without libc6 and base-files, which the slim image has. */
export function aptNames(p: Pick<PlannedDebianPackages, 'packages'>): string[] {
  return p.packages
    .map((x) => x.name)
    .filter((n) => n !== 'libc6' && n !== 'base-files')
    .sort();
}
