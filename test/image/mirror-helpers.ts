/**
 * Shared by the `init --pin-digests` tests: a local registry standing in for Docker Hub and gcr.io as the
 * mirror a containers registries.conf names (the primaries blocked, so nothing reaches the Internet), and
 * where each image the generator names sits on it.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qualifiedName } from '../../src/image/registry/resolve-digest.js';

/** A registries.conf in `dir` sending docker.io and gcr.io to `mirror` (under hub/ and gcr/), primaries blocked. */
export function mirrorConf(dir: string, mirror: string, name = 'registries.conf'): string {
  const file = join(dir, name);
  const entry = (prefix: string, path: string) =>
    `[[registry]]\nprefix = "${prefix}"\nlocation = "${prefix}"\nblocked = true\n[[registry.mirror]]\nlocation = "${mirror}/${path}"\ninsecure = true\n`;
  writeFileSync(file, `${entry('docker.io', 'hub')}\n${entry('gcr.io', 'gcr')}`);
  return file;
}

/** Where a generator image sits on the mirror: `golang:1.26-trixie` → `hub/library/golang:1.26-trixie`. */
export function mirrorPath(ref: string): string {
  const { name, tag } = qualifiedName(ref);
  const [host, ...repo] = name.split('/');
  if (host !== 'docker.io' && host !== 'gcr.io') throw new Error(`${ref}: the test mirror serves docker.io and gcr.io only`);
  return `${host === 'docker.io' ? 'hub' : 'gcr'}/${repo.join('/')}:${tag}`;
}

/** The FROM images of a Dockerfile's text that are not earlier stages (they have a tag or a digest). */
export const fromImages = (text: string): string[] =>
  [...text.matchAll(/^FROM (?:--platform=\S+ )?(\S+)/gm)].map((m) => m[1]!).filter((r) => /[:@]/.test(r));

export const sha256 = (b: string | Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
