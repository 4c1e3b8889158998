/**
 * One image, whatever the user named (`oci:DIR[:TAG]`, `docker-archive:FILE`, a root file system
 * directory), as its config and its file tree: layers streamed and applied in order, content kept only
 * for the files the caller's `capture` asks for. Nothing is written to disk.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { arch } from 'node:process';
import { GokilnError } from '../../errors.js';
import { formatPlatform, parsePlatform, type ImageConfig, type Platform } from '../oci.js';
import type { ImageSource, ResolvedImage } from '../source.js';
import { openDockerArchive } from './docker-archive.js';
import { DEFAULT_LIMITS, applyLayer, readLayerFiles, type Capture, type ReadLimits } from './layer.js';
import { OciLayoutSource } from './oci-layout.js';
import { DirStore } from './store.js';
import { treeFromDirectory } from './rootfs-dir.js';
import { registrySource } from '../registry/pull.js';
import type { FileNode, ImageTree } from './tree.js';
import type { Readable } from 'node:stream';

/** `resolved`: an image handed over already resolved (a build's own image, before it is published) */
export type ImageKind = 'oci' | 'docker-archive' | 'rootfs' | 'registry' | 'resolved';

export interface ImageArgument {
  kind: ImageKind;
  /** the directory or file; for a registry image, the reference (`localhost:5000/app:1`) */
  path: string;
  tag: string | null;
}

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The platform of this machine, the default when an image holds several. */
export function hostPlatform(): Platform {
  return { os: 'linux', architecture: GO_ARCH[arch] ?? arch };
}

/**
 * Reads the IMAGE argument: `oci:DIR[:TAG]`, `docker-archive:FILE`, a root file system directory, or a
 * registry reference (`docker://REF` as skopeo writes it, or a bare REF that is no local path).
 */
export function parseImageArgument(s: string): ImageArgument {
  if (s.startsWith('docker://')) return { kind: 'registry', path: s.slice('docker://'.length), tag: null };
  if (s.startsWith('oci:')) {
    const rest = s.slice(4);
    const colon = rest.lastIndexOf(':');
    // `oci:dir:tag`, unless the whole rest is an existing directory whose name has a colon
    if (colon > 0 && !existsSync(rest)) return { kind: 'oci', path: rest.slice(0, colon), tag: rest.slice(colon + 1) };
    return { kind: 'oci', path: rest, tag: null };
  }
  if (s.startsWith('docker-archive:')) {
    // skopeo's `docker-archive:PATH[:NAME[:TAG]]`: the file is the longest prefix that exists
    const rest = s.slice('docker-archive:'.length);
    let path = rest;
    for (let i = rest.indexOf(':'); !existsSync(path) && i > 0; i = rest.indexOf(':', i + 1)) path = rest.slice(0, i);
    return { kind: 'docker-archive', path: existsSync(path) ? path : rest, tag: null };
  }
  if (existsSync(s) && statSync(s).isDirectory()) return { kind: 'rootfs', path: s, tag: null };
  if (existsSync(s)) {
    throw new GokilnError(
      'E_USAGE',
      `${s}: a file; give docker-archive:${s} for an image archive, oci:DIR[:TAG] for a layout, a root file system directory or a registry reference`,
      { file: s },
    );
  }
  // a reference must look like one (lowercase repository path, optional tag and digest) before the network is asked
  if (!/^[a-z0-9.\-_:/]+(@sha256:[0-9a-f]{64})?$/i.test(s) || s.startsWith('/') || s.startsWith('.')) {
    throw new GokilnError(
      'E_NOT_FOUND',
      `${s}: no such directory, and not a registry reference (oci:DIR[:TAG], docker-archive:FILE, a directory or REGISTRY/REPO[:TAG])`,
      { file: s },
    );
  }
  return { kind: 'registry', path: s, tag: null };
}

export interface ReadImageOptions {
  /** the platform asked for (--platform); without it a single-platform image is taken as it is, an index by this host's platform */
  platform?: string;
  limits?: Partial<ReadLimits>;
  capture?: (path: string, size: number) => Capture;
  summarize?: (bytes: Uint8Array, path: string) => unknown;
  /** told the image's config before the layers stream, so `capture` can ask for the entrypoint's file */
  onConfig?: (config: ImageConfig) => void;
}

export interface ImageView {
  name: string;
  kind: ImageKind;
  platform: Platform;
  /** the manifest digest when the image has one */
  digest: string | null;
  config: ImageConfig;
  tree: ImageTree;
  limits: ReadLimits;
  /** a layer's stored bytes again (digest checked), for a second pass */
  openLayer(index: number): Promise<Readable>;
  /** a file's bytes: kept ones at once, others read again from their layer (or the directory) */
  content(node: FileNode): Promise<Uint8Array>;
}

/**
 * An image named on the command line as an ImageSource (for `build --base` and `verify`): an OCI layout,
 * a docker-archive or a registry reference. A root file system directory has no layers to build on.
 */
export function imageSource(image: string, opts: { insecure?: string[]; env?: NodeJS.ProcessEnv } = {}): ImageSource {
  const ref = parseImageArgument(image);
  if (ref.kind === 'rootfs')
    throw new GokilnError(
      'E_USAGE',
      `${image}: a directory is not an image to build on; give oci:DIR[:TAG], docker-archive:FILE or a registry reference`,
      { file: image },
    );
  return sourceFor(ref, image, true, opts);
}

function sourceFor(
  ref: ImageArgument,
  name: string,
  strict: boolean,
  opts: { insecure?: string[]; env?: NodeJS.ProcessEnv } = {},
): ImageSource {
  if (ref.kind === 'registry') return registrySource(ref.path, opts);
  if (ref.kind === 'oci') {
    if (!existsSync(ref.path)) throw new GokilnError('E_NOT_FOUND', `${ref.path}: no such OCI layout directory`, { file: ref.path });
    const store = new DirStore(ref.path);
    if (!OciLayoutSource.isLayout(store))
      throw new GokilnError('E_PARSE', `${ref.path}: not an OCI layout (no oci-layout and index.json)`, { file: ref.path });
    return new OciLayoutSource(name, store, ref.tag, strict);
  }
  return openDockerArchive(ref.path, name, strict);
}

/** An image named on the command line, or one already resolved (the build checks its image before publishing it). */
export async function readImage(image: string | ResolvedImage, opts: ReadImageOptions = {}): Promise<ImageView> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (typeof image !== 'string') {
    opts.onConfig?.(image.config);
    return viewOf(image, image.name, 'resolved', limits, opts);
  }
  const ref = parseImageArgument(image);
  const want = opts.platform ? parsePlatform(opts.platform) : hostPlatform();
  if (opts.platform && (!want.os || !want.architecture))
    throw new GokilnError('E_USAGE', `--platform wants os/arch[/variant], not ${JSON.stringify(opts.platform)}`);
  if (ref.kind === 'rootfs') {
    const tree = treeFromDirectory(ref.path, limits);
    const config: ImageConfig = {
      architecture: want.architecture,
      os: want.os,
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: [] },
    };
    opts.onConfig?.(config);
    const openLayer = (): Promise<Readable> => Promise.reject(new GokilnError('E_NOT_FOUND', `${image} is a directory: it has no layers`));
    return {
      name: image,
      kind: 'rootfs',
      platform: want,
      digest: null,
      config,
      tree,
      limits,
      openLayer,
      content: async (n) => readHostFile(n, limits),
    };
  }
  const src = sourceFor(ref, image, opts.platform !== undefined);
  const img = await src.resolve(want);
  opts.onConfig?.(img.config);
  return viewOf(img, image, ref.kind, limits, opts);
}

/** The layers of a resolved image applied in order into one tree; other files' bytes read again on demand. */
async function viewOf(img: ResolvedImage, image: string, kind: ImageKind, limits: ReadLimits, opts: ReadImageOptions): Promise<ImageView> {
  const { ImageTree } = await import('./tree.js');
  const tree = new ImageTree();
  const totals = { bytes: 0, entries: 0 };
  const layers = img.manifest.layers;
  for (let i = 0; i < layers.length; i++) {
    const d = layers[i]!;
    await applyLayer(await img.openLayer(d), tree, i, `${image}: layer ${i + 1} of ${layers.length} (${d.digest.slice(0, 19)})`, {
      limits,
      totals,
      capture: opts.capture,
      summarize: opts.summarize,
    });
  }
  const platform: Platform = {
    os: img.config.os,
    architecture: img.config.architecture,
    ...(img.config.variant ? { variant: img.config.variant } : {}),
  };
  const fetched = new Map<string, Uint8Array>();
  return {
    name: image,
    kind,
    platform,
    digest: img.manifestDigest,
    config: img.config,
    tree,
    limits,
    async openLayer(index: number): Promise<Readable> {
      const d = layers[index];
      if (!d) throw new GokilnError('E_NOT_FOUND', `${image} has no layer ${index + 1}`);
      return img.openLayer(d);
    },
    async content(node: FileNode): Promise<Uint8Array> {
      if (node.content) return node.content;
      if (!('layer' in node.origin)) return readHostFile(node, limits);
      const { layer, path } = node.origin;
      const key = `${layer}\0${path}`;
      const have = fetched.get(key);
      if (have) return have;
      const d = layers[layer]!;
      const files = await readLayerFiles((await img.openLayer(d)) as Readable, new Set([path]), `${image}: layer ${layer + 1}`, limits);
      const bytes = files.get(path);
      if (!bytes) throw new GokilnError('E_CORRUPT', `${image}: ${path} vanished from layer ${layer + 1} on a second read`);
      fetched.set(key, bytes);
      return bytes;
    },
  };
}

/** A file of a root file system directory, opened without following a symlink put there after the walk. */
function readHostFile(node: FileNode, limits: ReadLimits): Uint8Array {
  if (!('hostPath' in node.origin)) throw new GokilnError('E_CORRUPT', 'not a host file');
  const p = node.origin.hostPath;
  const fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new GokilnError('E_UNSAFE', `${p} changed into a non-file while being read`);
    if (st.size > limits.maxCaptureBytes)
      throw new GokilnError('E_UNSAFE', `${p}: ${st.size} bytes, over the ${limits.maxCaptureBytes}-byte limit for a file gokiln reads`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

export { formatPlatform };
