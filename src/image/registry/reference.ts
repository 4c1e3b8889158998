/**
 * Where a reference lives on the wire: registry host, repository path for `/v2/<name>/…`, tag or digest,
 * and the scheme. Plain HTTP only for loopback hosts or hosts named with --insecure-registry.
 */
import { GokilnError } from '../../errors.js';
import { parseImageRef } from '../../knowledge/image-ref.js';

export interface RegistryRef {
  /** `host[:port]` as written; Docker Hub is `registry-1.docker.io` on the wire */
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** `http://host` or `https://host` */
  base: string;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function registryRef(raw: string, insecure: readonly string[] = []): RegistryRef {
  const r = parseImageRef(raw);
  if (!r.repository || /[^a-z0-9._/-]/.test(r.repository))
    throw new GokilnError('E_USAGE', `${raw}: not an image reference (registry/path[:tag][@sha256:…])`);
  const host = r.registry ?? 'docker.io';
  const wire = host === 'docker.io' ? 'registry-1.docker.io' : host;
  const repository = host === 'docker.io' && !r.repository.includes('/') ? `library/${r.repository}` : r.repository;
  const plain = isLoopback(wire) || insecure.includes(host);
  const ref: RegistryRef = { host, repository, base: `${plain ? 'http' : 'https'}://${wire}` };
  if (r.tag) ref.tag = r.tag;
  if (r.digest) ref.digest = r.digest;
  return ref;
}
