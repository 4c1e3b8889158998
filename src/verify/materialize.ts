/**
 * Writes an image's tree into a private directory for `verify --run`. Directories first (created by us,
 * so no path can pass through a symlink), then files opened O_CREAT|O_EXCL|O_NOFOLLOW, then symlinks last:
 * a symlink, even one pointing to `/etc` of the host, is never written through. Device nodes, FIFOs and
 * sockets are skipped; setuid/setgid bits dropped; the total size is bounded.
 */
import { constants } from 'node:fs';
import { chmod, link, mkdir, open, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { GokilnError } from '../errors.js';
import type { ImageView } from '../image/read/read-image.js';
import { tarStream } from '../image/read/layer.js';
import { normalizeEntryName, type FileNode } from '../image/read/tree.js';

export interface MaterializeLimits {
  /** bytes written in all */
  maxBytes: number;
}

export const DEFAULT_MATERIALIZE: MaterializeLimits = { maxBytes: 4 * 1024 ** 3 };

function hostPath(root: string, path: string): string {
  const parts = path.split('/').filter(Boolean);
  // names come from the tree: never empty, `.`, `..` or with a slash; checked again, as this is where it matters
  if (parts.some((p) => p === '.' || p === '..')) throw new GokilnError('E_UNSAFE', `refusing to write ${JSON.stringify(path)}`);
  return join(root, ...parts);
}

const FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

async function writeBytes(dest: string, bytes: Uint8Array, mode: number): Promise<void> {
  const fh = await open(dest, FLAGS, mode & 0o1777);
  try {
    await fh.writeFile(bytes);
  } finally {
    await fh.close();
  }
}

/**
 * `mountPoints`: empty files made at these top-level names (absent from the tree) before the directory
 * modes are set, for the sandbox to bind host files onto (the emulator) even when the image's root is 0555.
 */
export async function materialize(
  view: ImageView,
  root: string,
  limits: MaterializeLimits = DEFAULT_MATERIALIZE,
  mountPoints: string[] = [],
): Promise<{ skipped: string[] }> {
  const skipped: string[] = [];
  const dirs: Array<{ dest: string; mode: number }> = [];
  const links: Array<{ dest: string; target: string }> = [];
  /** per layer: entry name → the files it becomes (several for hard links) */
  const fromLayer = new Map<number, Map<string, Array<{ dest: string; node: FileNode }>>>();
  const direct: Array<{ dest: string; node: FileNode }> = [];
  let total = 0;
  await mkdir(root, { mode: 0o700 });
  dirs.push({ dest: root, mode: view.tree.root.mode });
  for (const { path, node } of view.tree.walk()) {
    const dest = hostPath(root, path);
    if (node.type === 'dir') {
      await mkdir(dest, { mode: 0o700 });
      dirs.push({ dest, mode: node.mode });
    } else if (node.type === 'symlink') links.push({ dest, target: node.target });
    else if (node.type === 'other') skipped.push(path);
    else {
      total += node.size;
      if (total > limits.maxBytes)
        throw new GokilnError('E_UNSAFE', `the image's files add up to more than ${limits.maxBytes} bytes, the limit for --run`);
      if (node.content || !('layer' in node.origin)) direct.push({ dest, node });
      else {
        const byLayer = fromLayer.get(node.origin.layer) ?? new Map();
        fromLayer.set(node.origin.layer, byLayer);
        const list = byLayer.get(node.origin.path) ?? [];
        list.push({ dest, node });
        byLayer.set(node.origin.path, list);
      }
    }
  }
  for (const { dest, node } of direct) {
    if (node.content) await writeBytes(dest, node.content, node.mode);
    else await copyHostFile(node, dest);
  }
  for (const [layer, entries] of fromLayer) await extractLayer(view, layer, entries);
  for (const { dest, target } of links) await symlink(target, dest);
  for (const name of mountPoints) {
    if (name.includes('/') || view.tree.root.children.has(name))
      throw new GokilnError('E_UNSAFE', `cannot make the mount point /${name}: the image has it`);
    await writeBytes(join(root, name), new Uint8Array(), 0o444);
  }
  // modes last (a 0555 directory could not be written into); deepest first does not matter for chmod
  for (const { dest, mode } of dirs) await chmod(dest, mode & 0o1777);
  return { skipped };
}

async function copyHostFile(node: FileNode, dest: string): Promise<void> {
  if (!('hostPath' in node.origin)) return;
  const fh = await open(node.origin.hostPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const out = await open(dest, FLAGS, node.mode & 0o1777);
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        await out.write(buf.subarray(0, bytesRead));
      }
    } finally {
      await out.close();
    }
  } finally {
    await fh.close();
  }
}

/** Streams one layer again, writing the entries that survive in the final tree to where the tree has them. */
async function extractLayer(view: ImageView, layer: number, entries: Map<string, Array<{ dest: string; node: FileNode }>>): Promise<void> {
  const raw = await view.openLayer(layer);
  const input = await tarStream(raw, `${view.name}: layer ${layer + 1}`);
  const extract = tar.extract();
  const done = new Set<string>();
  extract.on('entry', (h, stream, next) => {
    // the entry is destroyed with the error that ends the extraction; that error is reported once, by the pipeline
    stream.on('error', () => undefined);
    let name: string;
    try {
      name = normalizeEntryName(h.name);
    } catch (e) {
      stream.resume();
      next(e as Error);
      return;
    }
    const targets = entries.get(name);
    // a later entry of the same name in the same layer wins, as in the tree
    if (!targets || (h.type !== 'file' && h.type !== 'contiguous-file')) {
      stream.resume();
      stream.on('end', () => next());
      return;
    }
    const [first, ...rest] = targets;
    void (async () => {
      try {
        if (done.has(name)) for (const t of targets) await rm(t.dest, { force: true });
        const fh = await open(first!.dest, FLAGS, first!.node.mode & 0o1777);
        try {
          for await (const chunk of stream as AsyncIterable<Uint8Array>) await fh.write(chunk);
        } finally {
          await fh.close();
        }
        for (const t of rest) await link(first!.dest, t.dest);
        done.add(name);
        next();
      } catch (e) {
        next(e as Error);
      }
    })();
  });
  await pipeline(input, extract);
}
