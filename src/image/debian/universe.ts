/**
 * The two package universes the resolver walks: a suite's signed indexes (Contents says who ships a
 * soname, Packages gives the .deb and its sha256), and a lockfile (exactly its packages, fetched by URL and
 * checked against its sha256s, from the cache when offline).
 */
import { GokilnError } from '../../errors.js';
import type { DebianArchive } from './archive.js';
import type { ContentCache } from './cache.js';
import { libraryDirs, TRIPLET } from './contents-index.js';
import { readDebFile, type DebContents } from './deb.js';
import { fetchVerified } from './fetch.js';
import { parseDepends, type DebPackage } from './packages-index.js';
import { sameFile, type LockedPackage, type PackageUniverse } from './resolve.js';

const PRIORITY: Record<string, number> = { required: 0, important: 1, standard: 2, optional: 3, extra: 4 };

export class IndexUniverse implements PackageUniverse {
  private readonly debs = new Map<string, Promise<DebContents>>();
  constructor(private readonly archive: DebianArchive) {}

  get suite(): string {
    return this.archive.suite;
  }
  get arch(): string {
    return this.archive.arch;
  }

  async has(name: string): Promise<boolean> {
    return (await this.archive.packages()).has(name);
  }

  async providers(fileName: string, exactPath: string | null, requiredBy: string | null, chosen: ReadonlySet<string>): Promise<string[]> {
    const [index, packages] = await Promise.all([this.archive.sharedObjects(), this.archive.packages()]);
    const triplet = TRIPLET[this.arch] ?? '';
    const depends = new Set(requiredBy ? (packages.get(requiredBy)?.depends ?? []).flat().map((d) => d.name) : []);
    const scored = new Map<string, number[]>();
    for (const e of index.get(fileName) ?? []) {
      if (exactPath && !sameFile(e.path, exactPath)) continue;
      for (const name of e.packages) {
        const p = packages.get(name);
        if (!p) continue; // in Contents but not in this component's Packages
        // lower is better: already chosen, a Depends of the package that needs it, the multiarch dir, priority, name
        const score = [
          chosen.has(name) ? 0 : 1,
          depends.has(name) ? 0 : 1,
          e.path.includes(`/${triplet}/`) ? 0 : 1,
          PRIORITY[p.priority] ?? 5,
          name.length,
        ];
        const old = scored.get(name);
        if (!old || compare(score, old) < 0) scored.set(name, score);
      }
    }
    return [...scored.entries()].sort((a, b) => compare(a[1], b[1]) || a[0].localeCompare(b[0])).map(([n]) => n);
  }

  async load(name: string): Promise<{ info: LockedPackage; deb: DebContents; depends: string[][] }> {
    const p = (await this.archive.packages()).get(name);
    if (!p) throw new GokilnError('E_NOT_FOUND', `package ${name} is not in ${this.suite}/${this.arch}`);
    let deb = this.debs.get(name);
    if (!deb) this.debs.set(name, (deb = this.archive.fetchDeb(p).then((path) => readDebFile(path))));
    return { info: lockedOf(p, this.archive.urlOf(p)), deb: await deb, depends: p.depends.map((g) => g.map((a) => a.name)) };
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

export function lockedOf(p: DebPackage, url: string): LockedPackage {
  return { name: p.name, version: p.version, architecture: p.architecture, url, sha256: p.sha256, size: p.size };
}

/** Exactly the packages of a lockfile; who provides a soname is read from their own files. */
export class LockUniverse implements PackageUniverse {
  private loaded: Promise<Map<string, { info: LockedPackage; deb: DebContents; depends: string[][] }>> | null = null;

  constructor(
    readonly suite: string,
    readonly arch: string,
    private readonly packages: LockedPackage[],
    private readonly cache: ContentCache,
  ) {}

  private all(): Promise<Map<string, { info: LockedPackage; deb: DebContents; depends: string[][] }>> {
    this.loaded ??= (async () => {
      const out = new Map<string, { info: LockedPackage; deb: DebContents; depends: string[][] }>();
      for (const p of this.packages) {
        const path = await fetchVerified(p.url, { sha256: p.sha256, size: p.size }, this.cache);
        const deb = await readDebFile(path);
        const control = /^Depends:\s*(.*)$/m.exec(deb.control)?.[1];
        const pre = /^Pre-Depends:\s*(.*)$/m.exec(deb.control)?.[1];
        const depends = [...parseDepends(pre), ...parseDepends(control)].map((g) => g.map((a) => a.name));
        out.set(p.name, { info: p, deb, depends });
      }
      return out;
    })();
    return this.loaded;
  }

  async has(name: string): Promise<boolean> {
    return (await this.all()).has(name);
  }

  async providers(fileName: string, exactPath: string | null): Promise<string[]> {
    const dirs = libraryDirs(this.arch).map((d) => `/${d}/${fileName}`);
    const out: string[] = [];
    for (const [name, { deb }] of await this.all()) {
      const hit = deb.files.some((f) => (exactPath ? sameFile(f.path, exactPath) : dirs.includes(f.path)));
      if (hit) out.push(name);
    }
    return out;
  }

  async load(name: string): Promise<{ info: LockedPackage; deb: DebContents; depends: string[][] }> {
    const p = (await this.all()).get(name);
    if (!p) throw new GokilnError('E_NOT_FOUND', `package ${name} is not in the lockfile`);
    return p;
  }

  /** the lockfile's package names, for the packages the walk did not reach */
  names(): string[] {
    return this.packages.map((p) => p.name);
  }
}
