/** Writes an assembled FileEntry tree into a directory (as root: with its owners), for a bubblewrap run. */
import { chmod, link, lchown, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileEntry } from '../../src/image/source.js';

export async function writeTree(entries: FileEntry[], root: string): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const dirs: FileEntry[] = [];
  // a hard link's target may sort after it: links are made once every file is written
  const ordered = [...entries.filter((e) => e.type !== 'hardlink'), ...entries.filter((e) => e.type === 'hardlink')];
  for (const e of ordered) {
    const p = join(root, e.path);
    await mkdir(dirname(p), { recursive: true });
    if (e.type === 'dir') {
      await mkdir(p, { recursive: true });
      dirs.push(e);
    } else if (e.type === 'symlink') await symlink(e.linkname!, p);
    else if (e.type === 'hardlink') await link(join(root, e.linkname!), p);
    else {
      await writeFile(p, e.content ?? new Uint8Array());
      await chmod(p, e.mode);
    }
    if (asRoot && e.type !== 'hardlink') await lchown(p, e.uid, e.gid);
  }
  // directory modes last, so a read-only directory does not stop its own contents being written
  for (const d of dirs) await chmod(join(root, d.path), d.mode);
}
