/**
 * A local binary judged against a real image (`gokiln inspect --runtime oci:DIR`): the image is read
 * once with verify's reader, the binary placed (in memory only) where it would be copied, and verify's
 * static checks decide. So inspect's verdict for an image and verify's come from one place.
 */
import { readFileSync } from 'node:fs';
import { glibcLoader, muslLoader } from '../knowledge/libc.js';
import type { RuntimeVerdict } from '../analysis/types.js';
import { checkPathInImage } from '../analysis/verdict.js';
import type { ImageView } from '../image/read/read-image.js';
import { parseImageArgument } from '../image/read/read-image.js';
import type { FileNode } from '../image/read/tree.js';
import { staticChecks } from './checks.js';
import { openForVerify } from './verify.js';

/** An inspect --runtime value that names an image rather than a known runtime. */
export function isImageArgument(s: string): boolean {
  // a bare reference names a known runtime (`debian:bookworm`); a registry image is asked for as docker://REF
  if (s.startsWith('oci:') || s.startsWith('docker-archive:') || s.startsWith('docker://')) return true;
  try {
    return parseImageArgument(s).kind === 'rootfs';
  } catch {
    return false;
  }
}

export async function openImageRuntime(image: string, pathInImage: string, platform?: string): Promise<ImageView> {
  return openForVerify(image, { binary: pathInImage, platform });
}

/** Check ids as inspect's verdict reason codes (docs/knowledge.md "Verdicts"), where one exists. */
function reasonOf(id: string, message: string): string {
  if (id === 'binary-platform') return 'wrong-arch';
  if (id === 'interpreter') return 'no-interpreter';
  if (id === 'libraries') return 'missing-library';
  if (id === 'binary-executable' || id === 'binary-regular') return 'not-executable';
  if (id === 'symbol-versions') return message.includes('`GLIBC_') ? 'glibc-too-old' : 'library-too-old';
  return id;
}

/** The image has the other libc's loader: a musl binary on a glibc image or the reverse. */
function otherLibc(view: ImageView, libc: string, arch: string): boolean {
  const other = libc === 'musl' ? glibcLoader(arch) : libc === 'glibc' ? muslLoader(arch) : null;
  return other !== null && view.tree.lookup(other).node !== null;
}

export async function judgeInImage(view: ImageView, file: string, pathInImage: string): Promise<RuntimeVerdict> {
  checkPathInImage(pathInImage);
  const content = readFileSync(file);
  const node: FileNode = {
    type: 'file',
    mode: 0o755,
    uid: 0,
    gid: 0,
    layer: Number.MAX_SAFE_INTEGER,
    size: content.length,
    origin: { hostPath: file },
    content,
  };
  const { dir, name } = view.tree.parentFor(pathInImage, node.layer);
  const before = dir.children.get(name);
  dir.children.set(name, node);
  try {
    const { checks, facts } = await staticChecks(view, {
      argv: [pathInImage],
      shellForm: false,
      program: pathInImage,
      binary: pathInImage,
    });
    const failed = checks.find((c) => !c.ok && c.severity === 'error');
    return {
      name: view.name,
      verdict: failed ? 'fails' : 'runs',
      reason: failed
        ? failed.id === 'interpreter' && facts && otherLibc(view, facts.libc, facts.arch)
          ? 'wrong-libc'
          : reasonOf(failed.id, failed.message)
        : 'ok',
      message: failed ? failed.message : null,
      warnings: checks.filter((c) => !c.ok && c.severity === 'warning').map((c) => ({ code: c.id, message: c.message })),
    };
  } finally {
    if (before) dir.children.set(name, before);
    else dir.children.delete(name);
  }
}
