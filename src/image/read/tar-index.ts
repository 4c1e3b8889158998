/**
 * Where each member of an uncompressed tar file starts, read from its 512-byte headers without reading
 * the members (a docker-archive of a 1 GB image is indexed by reading a few KB). POSIX ustar headers with
 * the GNU long-name (`L`) and pax (`x`) extensions, which is what `docker save`, skopeo and podman write.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GokilnError } from '../../errors.js';

export interface TarMember {
  offset: number;
  size: number;
  type: string;
}

const BLOCK = 512;
const MAX_META = 1024 * 1024;

function cstr(b: Buffer, off: number, len: number): string {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end === -1 || end > off + len ? off + len : end);
}

/** An octal field, or GNU base-256 when its first byte has the high bit set. */
function num(b: Buffer, off: number, len: number): number {
  if ((b[off]! & 0x80) !== 0) {
    let v = b[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i]!;
    return v;
  }
  const s = cstr(b, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** pax records: "LEN key=value\n" … */
function paxPath(data: Buffer): string | null {
  let off = 0;
  let path: string | null = null;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp === -1) break;
    const len = parseInt(data.toString('utf8', off, sp), 10);
    if (!Number.isSafeInteger(len) || len <= 0) break;
    const rec = data.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (rec.slice(0, eq) === 'path') path = rec.slice(eq + 1);
    off += len;
  }
  return path;
}

export function indexTar(file: string): Map<string, TarMember> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GokilnError(code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `${file}: ${(e as Error).message}`, { file });
  }
  const out = new Map<string, TarMember>();
  try {
    const total = fstatSync(fd).size;
    const h = Buffer.alloc(BLOCK);
    let off = 0;
    let longName: string | null = null;
    while (off + BLOCK <= total) {
      if (readSync(fd, h, 0, BLOCK, off) !== BLOCK) break;
      if (h.every((x) => x === 0)) break;
      const size = num(h, 124, 12);
      const type = String.fromCharCode(h[156] || 0x30);
      const dataOff = off + BLOCK;
      if (!Number.isSafeInteger(size) || dataOff + size > total) {
        throw new GokilnError('E_TRUNCATED', `${file}: tar member at byte ${off} runs past the end of the file`, { file, offset: off });
      }
      if (type === 'L' || type === 'x') {
        if (size > MAX_META) throw new GokilnError('E_UNSAFE', `${file}: a ${size}-byte tar name record`, { file });
        const data = Buffer.alloc(size);
        readSync(fd, data, 0, size, dataOff);
        longName = type === 'L' ? cstr(data, 0, size) : (paxPath(data) ?? longName);
      } else if (type !== 'g') {
        const prefix = cstr(h, 345, 155);
        const base = cstr(h, 0, 100);
        const name = (longName ?? (prefix ? `${prefix}/${base}` : base))
          .split('/')
          .filter((p) => p !== '' && p !== '.')
          .join('/');
        longName = null;
        out.set(name, { offset: dataOff, size, type });
      }
      off = dataOff + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
