/**
 * `gokiln.lock.json`: the Debian packages of an image pinned by suite, architecture, name, version, URL
 * and sha256 (schema: schemas/lock.schema.json). A build with a lockfile installs exactly its packages,
 * fetched by URL and checked against its sha256 (from the cache when the mirror is unreachable); `update`
 * resolves again from the signed indexes and rewrites it. Written under a temporary name, then renamed.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { GokilnError } from '../../errors.js';
import type { DebianPackageSet, LockedPackage } from './resolve.js';

export const LOCKFILE_NAME = 'gokiln.lock.json';
export const LOCKFILE_VERSION = 1;

export interface Lockfile {
  lockfileVersion: 1;
  suite: string;
  arch: string;
  mirror: string;
  packages: LockedPackage[];
}

export function lockfileOf(set: DebianPackageSet, mirror: string): Lockfile {
  return {
    lockfileVersion: LOCKFILE_VERSION,
    suite: set.suite,
    arch: set.arch,
    mirror,
    packages: set.packages.map((p) => ({
      name: p.name,
      version: p.version,
      architecture: p.architecture,
      url: p.url,
      sha256: p.sha256,
      size: p.size,
    })),
  };
}

export function formatLockfile(lock: Lockfile): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

export async function readLockfile(path: string): Promise<Lockfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new GokilnError('E_NOT_FOUND', `${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new GokilnError('E_PARSE', `${path}: not JSON: ${(e as Error).message}`, { file: path });
  }
  return checkLockfile(v, path);
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The same rules as schemas/lock.schema.json, checked without a validator at run time. */
export function checkLockfile(v: unknown, path: string): Lockfile {
  const bad = (why: string): never => {
    throw new GokilnError('E_PARSE', `${path}: ${why}`, { file: path });
  };
  if (typeof v !== 'object' || v === null) return bad('not an object');
  const o = v as Record<string, unknown>;
  if (o.lockfileVersion !== LOCKFILE_VERSION) bad(`lockfileVersion must be ${LOCKFILE_VERSION}`);
  for (const k of ['suite', 'arch', 'mirror'] as const) if (typeof o[k] !== 'string' || !o[k]) bad(`${k} must be a non-empty string`);
  if (!Array.isArray(o.packages)) return bad('packages must be an array');
  const names = new Set<string>();
  for (const [i, p] of (o.packages as unknown[]).entries()) {
    const q = p as Record<string, unknown>;
    for (const k of ['name', 'version', 'architecture', 'url'] as const)
      if (typeof q?.[k] !== 'string' || !q[k]) bad(`packages[${i}].${k} must be a non-empty string`);
    if (typeof q.sha256 !== 'string' || !SHA256.test(q.sha256)) bad(`packages[${i}].sha256 must be 64 lowercase hex digits`);
    if (!Number.isSafeInteger(q.size) || (q.size as number) < 0) bad(`packages[${i}].size must be a non-negative integer`);
    if (!/^https?:\/\//.test(q.url as string)) bad(`packages[${i}].url must be an http(s) URL`);
    if (names.has(q.name as string)) bad(`package ${String(q.name)} is listed twice`);
    names.add(q.name as string);
  }
  return v as Lockfile;
}

/** Writes the lockfile; an existing one is replaced only with `update` (else E_EXISTS). */
export async function writeLockfile(path: string, lock: Lockfile, opts: { update?: boolean } = {}): Promise<void> {
  if (existsSync(path) && !opts.update) throw new GokilnError('E_EXISTS', `${path} exists; refresh it with --update`, { file: path });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, formatLockfile(lock));
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}
