/**
 * A root file system directory as an ImageTree: lstat only (a symlink is recorded, never followed on the
 * host), so a tree unpacked from a hostile image cannot make gokiln read outside it.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { GokilnError } from '../../errors.js';
import { ImageTree, type Node } from './tree.js';
import type { ReadLimits } from './layer.js';

export function treeFromDirectory(dir: string, limits: ReadLimits): ImageTree {
  const tree = new ImageTree();
  let entries = 0;
  const walk = (host: string, inImage: string): void => {
    let names: string[];
    try {
      names = readdirSync(host).sort();
    } catch (e) {
      throw new GokilnError('E_IO', `${host}: ${(e as Error).message}`, { file: host });
    }
    for (const name of names) {
      if (++entries > limits.maxEntries) throw new GokilnError('E_UNSAFE', `${dir} holds more than ${limits.maxEntries} entries`);
      const h = join(host, name);
      const p = `${inImage}/${name}`;
      const st = lstatSync(h);
      const meta = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, layer: 0 };
      let node: Node;
      if (st.isDirectory()) node = { type: 'dir', ...meta, children: new Map() };
      else if (st.isSymbolicLink()) node = { type: 'symlink', ...meta, target: readlinkSync(h) };
      else if (st.isFile()) node = { type: 'file', ...meta, size: st.size, origin: { hostPath: h } };
      else node = { type: 'other', ...meta, kind: st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : 'device' };
      tree.put(p, node);
      if (node.type === 'dir') walk(h, p);
    }
  };
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new GokilnError('E_USAGE', `${dir} is not a directory`, { file: dir });
  tree.root.mode = st.mode & 0o7777;
  walk(dir, '');
  return tree;
}
