/**
 * Reading a `.deb`: an `ar` archive (read here by offset: `!<arch>\n`, then 60-byte member headers) with
 * `debian-binary`, `control.tar.*` and `data.tar.*`, each tar compressed with xz (`@napi-rs/lzma`), zstd
 * (io/zstd.ts), gzip (node:zlib) or not at all. The data tar becomes FileEntry records with deterministic
 * metadata (one fixed mtime, numeric ids from the tar, permission bits only); the control tar gives the
 * `control` stanza and `md5sums`, which go to /var/lib/dpkg/status.d as distroless does.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { GokilnError } from '../../errors.js';
import { zstdDecompressSync } from '../../io/zstd.js';
import type { FileEntry } from '../source.js';

export interface DebContents {
  /** the `control` file's text */
  control: string;
  /** the `md5sums` file's text ('' when the package has none) */
  md5sums: string;
  files: FileEntry[];
}

interface ArMember {
  name: string;
  offset: number;
  size: number;
}

const AR_MAGIC = '!<arch>\n';
const AR_HEADER = 60;

/** Members of an ar archive: name (16 bytes), mtime (12), uid (6), gid (6), mode (8), size (10), "`\n" (2). */
export function readArMembers(bytes: Uint8Array, file: string): ArMember[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 8 || b.toString('latin1', 0, 8) !== AR_MAGIC)
    throw new GokilnError('E_CORRUPT', `${file}: not a .deb (no ar magic)`, { file });
  const out: ArMember[] = [];
  let off = 8;
  while (off + AR_HEADER <= b.length) {
    const name = b
      .toString('latin1', off, off + 16)
      .trim()
      .replace(/\/$/, '');
    const size = Number(b.toString('latin1', off + 48, off + 58).trim());
    if (b.toString('latin1', off + 58, off + 60) !== '`\n' || !Number.isSafeInteger(size)) {
      throw new GokilnError('E_CORRUPT', `${file}: bad ar member header at offset ${off}`, { file, offset: off });
    }
    const start = off + AR_HEADER;
    if (start + size > b.length)
      throw new GokilnError('E_TRUNCATED', `${file}: ar member ${name} runs past the end`, { file, offset: off });
    out.push({ name, offset: start, size });
    off = start + size + (size % 2); // members are 2-byte aligned
  }
  return out;
}

async function decompress(name: string, data: Uint8Array, file: string): Promise<Buffer> {
  try {
    // the native addon is loaded on the first .xz member: builds that read no .deb never load it
    if (name.endsWith('.xz')) return await (await import('@napi-rs/lzma')).xz.decompress(data);
    if (name.endsWith('.zst')) return zstdDecompressSync(data, `${file}: ${name}`);
    if (name.endsWith('.gz')) return gunzipSync(data);
    if (name.endsWith('.tar')) return Buffer.from(data);
  } catch (e) {
    throw new GokilnError('E_CORRUPT', `${file}: ${name} does not decompress: ${(e as Error).message}`, { file });
  }
  throw new GokilnError('E_UNSUPPORTED', `${file}: ${name} uses a compression gokiln does not read`, { file });
}

/** `./usr/lib/x` → `/usr/lib/x`; refuses `..` and empty components (an entry must stay inside the root). */
export function imagePath(raw: string, file: string): string | null {
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..'))
    throw new GokilnError('E_UNSAFE', `${file}: tar entry ${JSON.stringify(raw)} leaves the root`, { file });
  return parts.length === 0 ? null : `/${parts.join('/')}`;
}

/** Every entry of an uncompressed tar, in order, with its content for regular files. */
async function readTar(bytes: Buffer, file: string, onEntry: (h: tar.Header, content: Buffer | null) => void): Promise<void> {
  const ex = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        try {
          onEntry(h, h.type === 'file' || h.type === 'contiguous-file' ? Buffer.concat(chunks) : null);
          next();
        } catch (e) {
          next(e as Error);
        }
      });
      stream.on('error', reject);
    });
    ex.on('finish', resolve);
    ex.on('error', (e) => reject(e instanceof GokilnError ? e : new GokilnError('E_CORRUPT', `${file}: bad tar: ${e.message}`, { file })));
  });
  Readable.from([bytes]).pipe(ex);
  await done;
}

export interface ReadDebOptions {
  /** the mtime every entry gets (reproducible layers); default 0 */
  mtime?: number;
}

export async function readDebFile(path: string, opts: ReadDebOptions = {}): Promise<DebContents> {
  const fh = await open(path, 'r');
  let bytes: Buffer;
  try {
    bytes = await fh.readFile();
  } finally {
    await fh.close();
  }
  return readDeb(bytes, path, opts);
}

export async function readDeb(bytes: Uint8Array, file: string, opts: ReadDebOptions = {}): Promise<DebContents> {
  const members = readArMembers(bytes, file);
  const slice = (m: ArMember): Uint8Array => bytes.subarray(m.offset, m.offset + m.size);
  const control = members.find((m) => m.name.startsWith('control.tar'));
  const data = members.find((m) => m.name.startsWith('data.tar'));
  if (members[0]?.name !== 'debian-binary' || !control || !data) {
    throw new GokilnError('E_CORRUPT', `${file}: not a binary package (members: ${members.map((m) => m.name).join(', ')})`, { file });
  }
  let controlText = '';
  let md5sums = '';
  await readTar(await decompress(control.name, slice(control), file), file, (h, content) => {
    const p = imagePath(h.name, file);
    if (p === '/control' && content) controlText = content.toString('utf8');
    if (p === '/md5sums' && content) md5sums = content.toString('utf8');
  });
  if (!controlText) throw new GokilnError('E_CORRUPT', `${file}: control.tar has no control file`, { file });
  const mtime = opts.mtime ?? 0;
  const files: FileEntry[] = [];
  await readTar(await decompress(data.name, slice(data), file), file, (h, content) => {
    const p = imagePath(h.name, file);
    if (p === null) return;
    const base = { path: p, mode: (h.mode ?? 0o644) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0, mtime };
    if (h.type === 'directory') files.push({ ...base, type: 'dir' });
    else if (h.type === 'symlink') files.push({ ...base, type: 'symlink', linkname: h.linkname ?? '' });
    else if (h.type === 'link') {
      const target = imagePath(h.linkname ?? '', file);
      if (target === null) throw new GokilnError('E_UNSAFE', `${file}: hard link ${p} has no target`, { file });
      files.push({ ...base, type: 'hardlink', linkname: target });
    } else if (content) files.push({ ...base, type: 'file', content: new Uint8Array(content), size: content.length });
    else
      throw new GokilnError('E_UNSUPPORTED', `${file}: ${p} is a ${h.type ?? 'special'} entry, which an image layer does not hold`, {
        file,
      });
  });
  return { control: controlText, md5sums, files };
}
