/**
 * A Debian archive client for one suite, component and architecture: the InRelease file fetched and its
 * signature verified, each index checked against the Release SHA256 list and cached by content, and the
 * parsed indexes (packages by name, shared objects by file name) cached beside them.
 */
import type { PublicKey } from 'openpgp';
import { GokilnError } from '../../errors.js';
import { ContentCache } from './cache.js';
import { readContentsGz, type SharedObjectIndex } from './contents-index.js';
import { fetchBytes, fetchToCache, fetchVerified } from './fetch.js';
import { defaultMirror } from './mirror.js';
import { readPackagesGz, type DebPackage } from './packages-index.js';
import { DEFAULT_KEYRING, readKeyring, verifyInRelease, type ReleaseFile } from './release.js';

export interface ArchiveOptions {
  suite: string;
  /** Debian architecture (`amd64`, `arm64`) */
  arch: string;
  /** the mirror root (`http://deb.debian.org/debian`); default: the one apt uses here */
  mirror?: string;
  component?: string;
  /** an OpenPGP keyring file; default /usr/share/keyrings/debian-archive-keyring.gpg */
  keyring?: string;
  cache?: ContentCache;
}

/** Bumped when a parsed form changes, so old derived cache entries are not read. */
const DERIVED_VERSION = 1;

/** Parsed indexes by content key, shared by every archive object of the process (they are immutable). */
const parsedIndexes = new Map<string, Promise<unknown>>();
function memo<T>(key: string, make: () => Promise<T>): Promise<T> {
  let p = parsedIndexes.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    parsedIndexes.set(key, p);
    p.catch(() => parsedIndexes.delete(key));
  }
  return p;
}

export class DebianArchive {
  private packagesP: Promise<Map<string, DebPackage>> | null = null;
  private contentsP: Promise<SharedObjectIndex> | null = null;
  /** what the client decided on the way (an index used as an unverified hint), for the user */
  readonly notes: string[] = [];

  private constructor(
    readonly mirror: string,
    readonly suite: string,
    readonly arch: string,
    readonly component: string,
    readonly release: ReleaseFile,
    readonly cache: ContentCache,
  ) {}

  static async open(o: ArchiveOptions): Promise<DebianArchive> {
    const mirror = (o.mirror ?? defaultMirror()).replace(/\/+$/, '');
    const component = o.component ?? 'main';
    const cache = o.cache ?? new ContentCache();
    const keys: PublicKey[] = await readKeyring(o.keyring ?? DEFAULT_KEYRING);
    const url = `${mirror}/dists/${o.suite}/InRelease`;
    const text = (await fetchBytes(url)).toString('utf8');
    const release = await verifyInRelease(text, keys, url);
    if (release.architectures.length && !release.architectures.includes(o.arch)) {
      throw new GokilnError('E_PLATFORM', `${o.suite} has no ${o.arch} packages (it has ${release.architectures.join(', ')})`);
    }
    return new DebianArchive(mirror, o.suite, o.arch, component, release, cache);
  }

  /** The cached, checksum-verified file of an index named in the Release file. */
  private async index(rel: string): Promise<{ path: string; sha256: string }> {
    const want = this.release.sha256.get(rel);
    if (!want) throw new GokilnError('E_NOT_FOUND', `${this.mirror}/dists/${this.suite}/Release lists no ${rel}`);
    const plain = `${this.mirror}/dists/${this.suite}/${rel}`;
    // as apt does: by hash when the archive offers it, so an index replaced between our InRelease and our
    // download (a mirror mid-update, a stale proxy) is still the one the signature names
    if (this.release.acquireByHash) {
      const byHash = `${this.mirror}/dists/${this.suite}/${rel.slice(0, rel.lastIndexOf('/') + 1)}by-hash/SHA256/${want.sha256}`;
      try {
        return { path: await fetchVerified(byHash, want, this.cache), sha256: want.sha256 };
      } catch (e) {
        if (!(e instanceof GokilnError && e.code === 'E_REGISTRY')) throw e; // 404: fall back to the plain name
      }
    }
    const path = await fetchVerified(plain, want, this.cache);
    return { path, sha256: want.sha256 };
  }

  packages(): Promise<Map<string, DebPackage>> {
    this.packagesP ??= (async () => {
      const { sha256 } = await this.index(`${this.component}/binary-${this.arch}/Packages.gz`);
      const key = `packages-v${DERIVED_VERSION}-${sha256}.json`;
      return memo(key, async () => {
        const cached = await this.cache.readDerived(key);
        if (cached) return new Map(JSON.parse(cached) as Array<[string, DebPackage]>);
        const parsed = await readPackagesGz(this.cache.open(sha256));
        await this.cache.putDerived(key, JSON.stringify([...parsed]));
        return parsed;
      });
    })();
    return this.packagesP;
  }

  sharedObjects(): Promise<SharedObjectIndex> {
    this.contentsP ??= (async () => {
      const { sha256 } = await this.contentsIndex();
      const key = `contents-so-v${DERIVED_VERSION}-${this.arch}-${sha256}.json`;
      return memo(key, async () => {
        const cached = await this.cache.readDerived(key);
        if (cached) return new Map(JSON.parse(cached) as Array<[string, Array<{ path: string; packages: string[] }>]>);
        const parsed = await readContentsGz(this.cache.open(sha256), this.arch);
        await this.cache.putDerived(key, JSON.stringify([...parsed]));
        return parsed;
      });
    })();
    return this.contentsP;
  }

  /**
   * The Contents index, verified when the mirror has the one the Release names. When it has not (a mirror
   * whose Contents file belongs to another Release: measured on this machine's mirror for trixie, plain and
   * by-hash, see docs/debian.md), the file it has is used as a hint only: Contents decides where to look,
   * never what goes into the image. Every package picked through it is a Packages entry (signed through
   * InRelease) whose .deb is checked against its sha256 and must itself ship the needed file (resolve.ts).
   */
  private async contentsIndex(): Promise<{ sha256: string }> {
    const rel = `${this.component}/Contents-${this.arch}.gz`;
    const url = `${this.mirror}/dists/${this.suite}/${rel}`;
    const want = this.release.sha256.get(rel);
    const hint = (why: string): string =>
      `${url} does not match the signed Release (${why}); it was used as an unverified hint only: each package chosen through it is from the signed Packages index and its checked .deb ships the needed file`;
    // the hint met with this very Release before (keyed by the hash the Release names): a warm run downloads nothing
    const seenKey = `contents-hint-${want?.sha256 ?? 'none'}`;
    if (want && !this.cache.has(want.sha256)) {
      const seen = await this.cache.readDerived(seenKey);
      if (seen && this.cache.has(seen)) {
        this.notes.push(hint(`sha256 ${seen} (downloaded before) does not match the expected ${want.sha256}`));
        return { sha256: seen };
      }
    }
    try {
      return await this.index(rel);
    } catch (e) {
      if (!(e instanceof GokilnError && e.code === 'E_DIGEST')) throw e;
      const got = await fetchToCache(url, this.cache);
      await this.cache.putDerived(seenKey, got.sha256);
      this.notes.push(hint(e.message.replace(/^.*?: /, '')));
      return got;
    }
  }

  urlOf(p: DebPackage): string {
    return `${this.mirror}/${p.filename}`;
  }

  /** Downloads (or finds cached) a package's .deb, checked against the Packages sha256 and size. */
  fetchDeb(p: DebPackage): Promise<string> {
    return fetchVerified(this.urlOf(p), { sha256: p.sha256, size: p.size }, this.cache);
  }
}
