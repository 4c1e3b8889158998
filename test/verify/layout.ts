/**
 * Test images made here, byte by byte: OCI layouts (and docker-archives) whose layers are gzip'd tars
 * built with tar-stream from a directory and/or hand-written entries, so tests control every header
 * (whiteouts, hard links, hostile names). What skopeo, podman and gokiln verify read is the same file.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export type Entry =
  | { name: string; type: 'file'; content: string | Uint8Array; mode?: number; uid?: number; gid?: number; size?: number }
  | { name: string; type: 'directory'; mode?: number }
  | { name: string; type: 'symlink' | 'link'; linkname: string }
  | { name: string; type: 'character-device'; devmajor: number; devminor: number };

export type Layer = {
  entries?: Entry[];
  dir?: string;
  /** the raw layer bytes, as they are (hostile tests) */ raw?: Uint8Array;
  gzip?: boolean;
};

export interface ImageSpec {
  layers: Layer[];
  entrypoint?: string[];
  cmd?: string[];
  user?: string;
  env?: string[];
  workdir?: string;
  architecture?: string;
  tag?: string;
}

function sha(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** The entries of a directory tree, as a layer holds them (paths relative, directories first). */
export function entriesOf(dir: string, prefix = ''): Entry[] {
  const out: Entry[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(join(dir, rel));
    if (st.isDirectory()) {
      out.push({ name: rel, type: 'directory', mode: st.mode & 0o7777 });
      out.push(...entriesOf(dir, rel));
    } else if (st.isSymbolicLink()) out.push({ name: rel, type: 'symlink', linkname: readlinkSync(join(dir, rel)) });
    else if (st.isFile()) out.push({ name: rel, type: 'file', content: readFileSync(join(dir, rel)), mode: st.mode & 0o7777 });
  }
  return out;
}

export async function tarOf(entries: Entry[]): Promise<Uint8Array> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    const base = { name: e.name, mtime: new Date(0), uid: 0, gid: 0 };
    if (e.type === 'file') {
      const buf = typeof e.content === 'string' ? Buffer.from(e.content) : Buffer.from(e.content);
      pack.entry({ ...base, type: 'file', mode: e.mode ?? 0o644, uid: e.uid ?? 0, gid: e.gid ?? 0 }, buf);
    } else if (e.type === 'directory') pack.entry({ ...base, type: 'directory', mode: e.mode ?? 0o755 });
    else if (e.type === 'character-device')
      pack.entry({ ...base, type: 'character-device', mode: 0o666, devmajor: e.devmajor, devminor: e.devminor });
    else pack.entry({ ...base, type: e.type, linkname: e.linkname, mode: 0o777 });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Writes an OCI image layout at `dir` holding one image (tag `latest` unless given). */
export async function writeLayout(dir: string, spec: ImageSpec): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (b: Uint8Array): Promise<string> => {
    const d = sha(b);
    await writeFile(join(blobs, d.slice(7)), b);
    return d;
  };
  const layers: Array<{ mediaType: string; digest: string; size: number }> = [];
  const diffIds: string[] = [];
  for (const l of spec.layers) {
    const plain = l.raw ?? (await tarOf([...(l.dir ? entriesOf(l.dir) : []), ...(l.entries ?? [])]));
    const stored = l.raw ? plain : l.gzip === false ? plain : gzipSync(plain);
    diffIds.push(sha(l.raw ? plain : plain));
    layers.push({
      mediaType: l.gzip === false ? 'application/vnd.oci.image.layer.v1.tar' : 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: await put(stored),
      size: stored.length,
    });
  }
  const config = {
    architecture: spec.architecture ?? 'amd64',
    os: 'linux',
    config: {
      ...(spec.user ? { User: spec.user } : {}),
      Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      ...(spec.workdir ? { WorkingDir: spec.workdir } : {}),
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await put(configBytes), size: configBytes.length },
    layers,
  };
  const mBytes = Buffer.from(JSON.stringify(manifest));
  const mDigest = await put(mBytes);
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: manifest.mediaType,
        digest: mDigest,
        size: mBytes.length,
        annotations: { 'org.opencontainers.image.ref.name': spec.tag ?? 'latest' },
        platform: { os: 'linux', architecture: config.architecture },
      },
    ],
  };
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
  return `oci:${dir}:${spec.tag ?? 'latest'}`;
}
