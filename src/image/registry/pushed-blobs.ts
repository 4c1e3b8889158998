/**
 * Which repository of a registry a blob was last pushed to or found in, remembered per registry host, so a
 * later push of the same blob to another repository asks the registry to mount it from there instead of
 * sending its bytes (distribution spec, "Mounting a blob from another repository"). The Docker engine keeps
 * a like record for the layers it pushes. A wrong memory costs one request: the registry answers a mount it
 * cannot do (blob gone, no pull right on the source) with an ordinary upload session, which is then used.
 *
 * One small JSON file per host under the cache (`pushed/<host>.json`), written under a temporary name and
 * renamed; the newest MAX_BLOBS digests are kept. Unreadable or unwritable: no memory, never an error.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_BLOBS = 4096;

export class PushedBlobs {
  private known: Map<string, string> | null = null;

  constructor(
    readonly dir: string,
    readonly host: string,
  ) {}

  private file(): string {
    return join(this.dir, `${this.host.replace(/[^A-Za-z0-9.-]/g, '_')}.json`);
  }

  async load(): Promise<void> {
    try {
      const doc = JSON.parse(await readFile(this.file(), 'utf8')) as { blobs?: Record<string, string> };
      this.known = new Map(Object.entries(doc.blobs ?? {}).filter(([d, r]) => /^sha256:[0-9a-f]{64}$/.test(d) && typeof r === 'string'));
    } catch {
      this.known = new Map();
    }
  }

  /** The repository last known to hold `digest` on this host, or null. */
  repositoryOf(digest: string): string | null {
    return this.known?.get(digest) ?? null;
  }

  /** Records that `repository` now holds every one of `digests` (the newest last, so they outlive older ones). */
  async record(repository: string, digests: Iterable<string>): Promise<void> {
    const known = this.known ?? new Map<string, string>();
    for (const d of digests) {
      known.delete(d);
      known.set(d, repository);
    }
    const kept = [...known.entries()].slice(-MAX_BLOBS);
    try {
      await mkdir(this.dir, { recursive: true });
      const tmp = `${this.file()}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, JSON.stringify({ host: this.host, blobs: Object.fromEntries(kept) }));
      await rename(tmp, this.file());
    } catch {
      // no memory next time: the blobs are uploaded again
    }
  }
}
