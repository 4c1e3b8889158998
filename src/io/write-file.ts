import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GokilnError } from '../errors.js';

/**
 * Writes a file so that readers never see half of it: the bytes go to a temporary name in the same
 * directory and are renamed into place. An existing file is kept unless `force` is set (E_EXISTS).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { force?: boolean; mode?: number } = {}): void {
  if (!opts.force && existsSync(path)) {
    throw new GokilnError('E_EXISTS', `${path} exists; pass --force to overwrite it`, { file: path });
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.gokiln-tmp-${basename(path)}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(tmp, data, { mode: opts.mode ?? 0o644 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof GokilnError) throw e;
    throw new GokilnError('E_IO', `cannot write ${path}: ${(e as Error).message}`, { file: path });
  }
}
