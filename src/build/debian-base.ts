/**
 * The glibc ("ubuntu", alias "debian") paradigm of `gokiln build`: the cgo binaries' needed sonames are
 * resolved to Debian packages by the Debian library (src/image/debian), and the assembled tree becomes the
 * image's base.
 *
 * One base layer, not one per package: assembleTree already merges the packages into one tree (directories
 * shared by several packages, the generated CA bundle, status.d, the distroless users), and a per-package split
 * would have to decide which layer owns each shared directory; one sorted tar with one mtime is deterministic
 * and its diff ID changes exactly when the package set (pinned by the lockfile) or the time changes.
 */
import type { Platform } from '../image/oci.js';
import type { BlobStore } from '../image/write/blob-store.js';
import { writeLayer } from '../image/write/layer.js';
import { mediaTypes, type MediaStyle } from '../image/write/manifest.js';
import { singleLayerBase, type BaseImage } from '../image/base/embedded.js';
import {
  aptNames,
  assembleTree,
  debianPackagesFor,
  reasonText,
  type DebianPackagesOptions,
  type DebianPackagesResult,
} from '../image/debian/index.js';

export interface DebianBaseOptions {
  suite?: string;
  packages?: string[];
  lockfile?: string;
  update?: boolean;
  mirror?: string;
  cacheDir?: string;
  /** every entry's mtime (the image's time) */
  mtime: number;
}

/** What the build reports about the Debian base: which packages and why. */
export interface DebianBaseReport {
  suite: string;
  arch: string;
  from: 'lockfile' | 'index';
  mirror: string;
  lockfile: string | null;
  glibc: { required: string | null; provided: string | null };
  packages: Array<{ name: string; version: string; reasons: string[] }>;
  /** what the resolution decided on the user's behalf (a Contents index used as an unverified hint) */
  notes?: string[];
}

function packagesOptions(o: Omit<DebianBaseOptions, 'mtime'>): DebianPackagesOptions {
  return {
    // unnamed: a lockfile's own suite, else DEFAULT_SUITE (debianPackagesFor decides)
    ...(o.suite ? { suite: o.suite } : {}),
    ...(o.packages?.length ? { packages: o.packages } : {}),
    ...(o.lockfile ? { lockfile: o.lockfile } : {}),
    ...(o.update ? { update: true } : {}),
    ...(o.mirror ? { mirror: o.mirror } : {}),
    ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
  };
}

/** `imagePaths` maps the binaries' build paths (a temporary directory) to their paths in the image, for the reasons. */
export function debianReport(
  r: DebianPackagesResult,
  lockfile: string | null,
  imagePaths: ReadonlyMap<string, string> = new Map(),
): DebianBaseReport {
  const named = (t: string) => [...imagePaths].reduce((s, [from, to]) => s.replaceAll(from, to), t);
  return {
    suite: r.set.suite,
    arch: r.set.arch,
    from: r.from,
    mirror: r.mirror,
    lockfile,
    glibc: r.set.glibc,
    packages: r.set.packages.map((p) => ({ name: p.name, version: p.version, reasons: p.reasons.map((x) => named(reasonText(x))) })),
    ...(r.notes.length ? { notes: r.notes } : {}),
  };
}

const day = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 10);

/** The Debian base for these binaries (one platform), its layer written into `store`. */
export async function debianBase(
  binaries: Array<{ file: string; imagePath: string }>,
  store: BlobStore,
  platform: Platform,
  style: MediaStyle,
  o: DebianBaseOptions,
): Promise<{ base: BaseImage; report: DebianBaseReport }> {
  const r = await debianPackagesFor(
    binaries.map((b) => b.file),
    packagesOptions(o),
  );
  const tree = assembleTree(r, { mtime: o.mtime });
  const layer = await writeLayer(tree, store, { mtime: o.mtime, mediaType: mediaTypes(style).layerGzip, addParents: true });
  const created = new Date(o.mtime * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const description = r.set.packages.map((p) => `${p.name} ${p.version}`).join(', ');
  const base = singleLayerBase(
    {
      name: `debian:${r.set.suite} (gokiln packages)`,
      date: day(o.mtime),
      description,
      created,
      createdBy: `gokiln Debian ${r.set.suite}/${r.set.arch} packages: ${description}`,
    },
    layer,
    platform,
    style,
  );
  return {
    base,
    report: debianReport(r, r.wroteLockfile ?? o.lockfile ?? null, new Map(binaries.map((b) => [b.file, b.imagePath]))),
  };
}

/**
 * The package names a Dockerfile's runtime stage installs for the same binaries
 * (`apt-get install --no-install-recommends` on `debian:<suite>-slim`), so the Dockerfile and the daemonless
 * build agree. Sorted; the slim image's own libc6 and base-files are left out (apt would keep them anyway).
 */
export async function aptInstallPackages(binaries: string[], o: Omit<DebianBaseOptions, 'mtime'> = {}): Promise<string[]> {
  const r = await debianPackagesFor(binaries, packagesOptions(o));
  return aptNames(r.set);
}

/** `apt-get install` as a Dockerfile RUN line writes it. */
export function aptInstallCommand(packages: string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`;
}
