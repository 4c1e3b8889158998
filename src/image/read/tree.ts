/**
 * An image's file system as metadata in memory: what applying its layers in order leaves (whiteouts,
 * opaque directories, hard links), with content kept only for the few files the checks read. Paths are
 * resolved the way the kernel resolves them inside a chroot: `..` at the root stays at the root and an
 * absolute symlink restarts at the image root, so no lookup can leave the image.
 */
import { GokilnError } from '../../errors.js';

/** Where a file's bytes can be fetched again (a layer index and the path in that layer, or a host file). */
export type Origin = { layer: number; path: string } | { hostPath: string };

interface NodeBase {
  mode: number;
  uid: number;
  gid: number;
  /** the layer that last wrote the node (opaque directories hide only lower layers) */
  layer: number;
}
export interface DirNode extends NodeBase {
  type: 'dir';
  children: Map<string, Node>;
}
export interface FileNode extends NodeBase {
  type: 'file';
  size: number;
  origin: Origin;
  /** the bytes, when a check asked for them while the layers streamed by */
  content?: Uint8Array;
  /** a small digest of the bytes made while they streamed by (e.g. a library's soname, needs and versions) */
  summary?: unknown;
  /** set on the second name of a hard link: the path it was linked to */
  linkOf?: string;
}
export interface SymlinkNode extends NodeBase {
  type: 'symlink';
  target: string;
}
/** devices, FIFOs: recorded so a check can say "not a regular file", never written out */
export interface OtherNode extends NodeBase {
  type: 'other';
  kind: string;
}
export type Node = DirNode | FileNode | SymlinkNode | OtherNode;

/** Linux's limit on symlinks followed in one lookup (ELOOP past it). */
const MAX_LINKS = 40;

export type Lookup = { node: Node; path: string } | { node: null; path: string; error: 'ENOENT' | 'ELOOP' | 'ENOTDIR' };

/** Splits an image path into components; `..` is kept, for the resolver to apply. */
export function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * A layer entry's name as a path inside the image: `./a/b`, `a/b/` and `/a/b` all mean `/a/b`. A name
 * whose `..` would climb above the root is hostile: E_UNSAFE.
 */
export function normalizeEntryName(name: string): string {
  const out: string[] = [];
  for (const c of components(name)) {
    if (c === '..') {
      if (out.length === 0) throw new GokilnError('E_UNSAFE', `layer entry ${JSON.stringify(name)} climbs out of the image root`);
      out.pop();
    } else out.push(c);
  }
  return '/' + out.join('/');
}

export class ImageTree {
  readonly root: DirNode = { type: 'dir', mode: 0o755, uid: 0, gid: 0, layer: -1, children: new Map() };
  entries = 0;

  /**
   * Follows `path` inside the image. `followLast` decides whether a symlink in the last component is
   * followed (stat) or returned (lstat). Returns the canonical path reached.
   */
  lookup(path: string, followLast = true): Lookup {
    let links = 0;
    const stack: DirNode[] = [this.root];
    const names: string[] = [];
    let todo = components(path);
    while (todo.length > 0) {
      const c = todo.shift()!;
      const dir = stack[stack.length - 1]!;
      if (c === '..') {
        if (stack.length > 1) {
          stack.pop();
          names.pop();
        }
        continue;
      }
      const child = dir.children.get(c);
      const here = '/' + [...names, c].join('/');
      if (!child) return { node: null, path: here, error: 'ENOENT' };
      if (child.type === 'symlink' && (todo.length > 0 || followLast)) {
        if (++links > MAX_LINKS) return { node: null, path: here, error: 'ELOOP' };
        const t = child.target;
        if (t.startsWith('/')) {
          stack.length = 1;
          names.length = 0;
        }
        todo = [...components(t), ...todo];
        continue;
      }
      if (todo.length === 0) return { node: child, path: here };
      if (child.type !== 'dir') return { node: null, path: here, error: 'ENOTDIR' };
      stack.push(child);
      names.push(c);
    }
    return { node: stack[stack.length - 1]!, path: '/' + names.join('/') };
  }

  /**
   * The directory an entry at `path` goes into, created (0755, root) where missing. Intermediate symlinks
   * are followed inside the image, as a container runtime's extraction does; a loop is E_UNSAFE.
   */
  parentFor(path: string, layer: number): { dir: DirNode; name: string } {
    const parts = components(path);
    const name = parts.pop();
    if (name === undefined) throw new GokilnError('E_UNSAFE', 'a layer entry names the image root itself');
    let dir = this.root;
    let links = 0;
    let todo = parts;
    const stack: DirNode[] = [this.root];
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === '..') {
        if (stack.length > 1) stack.pop();
        dir = stack[stack.length - 1]!;
        continue;
      }
      let child = dir.children.get(c);
      if (child?.type === 'symlink') {
        if (++links > MAX_LINKS) throw new GokilnError('E_UNSAFE', `symlink loop while placing layer entry ${path}`);
        if (child.target.startsWith('/')) stack.length = 1;
        dir = stack[stack.length - 1]!;
        todo = [...components(child.target), ...todo];
        continue;
      }
      if (!child || child.type !== 'dir') {
        child = { type: 'dir', mode: 0o755, uid: 0, gid: 0, layer, children: new Map() };
        dir.children.set(c, child);
      }
      dir = child;
      stack.push(dir);
    }
    return { dir, name };
  }

  /** Writes a node (a later layer's entry replaces an earlier one; a directory over a directory keeps its children). */
  put(path: string, node: Node): void {
    const { dir, name } = this.parentFor(path, node.layer);
    const old = dir.children.get(name);
    if (node.type === 'dir' && old?.type === 'dir') {
      old.mode = node.mode;
      old.uid = node.uid;
      old.gid = node.gid;
      old.layer = node.layer;
      return;
    }
    if (!old) this.entries++;
    dir.children.set(name, node);
  }

  /** `.wh.NAME`: NAME of the lower layers is deleted (nothing to do when its directory is not there). */
  whiteout(dirPath: string, name: string, layer: number): void {
    const d = this.lookup(dirPath);
    if (d.node?.type !== 'dir') return;
    const old = d.node.children.get(name);
    if (old && old.layer < layer) d.node.children.delete(name);
  }

  /** `.wh..wh..opq`: the directory hides everything lower layers put in it. */
  opaque(dirPath: string, layer: number): void {
    const d = this.lookup(dirPath);
    if (d.node?.type !== 'dir') return;
    for (const [k, v] of d.node.children) if (v.layer < layer) d.node.children.delete(k);
  }

  /** Every node with its path, depth first, directories before their contents. */
  *walk(dir: DirNode = this.root, prefix = ''): Generator<{ path: string; node: Node }> {
    for (const [name, node] of [...dir.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = `${prefix}/${name}`;
      yield { path, node };
      if (node.type === 'dir') yield* this.walk(node, path);
    }
  }
}
