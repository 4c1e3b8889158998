/**
 * A tag to the digest a Dockerfile pins: `golang:1.26-trixie` → the digest of the manifest the registry
 * serves for it — for a multi-platform image the index's, which is what `docker pull` prints and what a
 * pinned `FROM name:tag@sha256:…` must name so every platform still resolves. The bytes are hashed here
 * (the registry's Docker-Content-Digest, when sent, must agree), never taken on trust.
 *
 * The name is looked up as containers' registries.conf says (mirrors first, then the primary, skipping
 * blocked hosts); a mirror serves the same manifest bytes, so the digest is the image's under its own
 * name. Credentials per host as `build --push` reads them ($DOCKER_CONFIG/config.json, helpers).
 */
import { GokilnError, type ErrorCode } from '../../errors.js';
import { parseImageRef } from '../../knowledge/image-ref.js';
import { MANIFEST_ACCEPT, isIndexMediaType, isManifestMediaType, sha256Digest } from '../oci.js';
import { RegistryClient, registryErrorCodes } from './client.js';
import { credentialsFor } from './credentials.js';
import { registryRef } from './reference.js';
import { findRegistry, loadRegistriesConf, pullSources, type RegistriesConf } from './registries-conf.js';

export interface DigestResolution {
  /** the reference as asked for (`golang:1.26-trixie`) */
  ref: string;
  /** the same, fully qualified (`docker.io/library/golang:1.26-trixie`) */
  name: string;
  digest: string;
  mediaType: string;
  /** where the manifest was read (a mirror's reference when a mirror answered) */
  source: string;
  /** an index's platforms (`linux/amd64`…); empty for a single-platform manifest */
  platforms: string[];
}

export interface ResolveDigestOptions {
  env?: NodeJS.ProcessEnv;
  /** the registries configuration; read from the usual files (registries-conf.ts) when absent */
  registries?: RegistriesConf;
  /** hosts reached over plain HTTP besides loopback ones and registries.conf's insecure entries */
  insecure?: string[];
  attempts?: number;
  backoffMs?: number;
}

/** `golang` → `docker.io/library/golang:latest`, `gcr.io/distroless/static:nonroot` as written. */
export function qualifiedName(raw: string): { name: string; tag: string } {
  const r = parseImageRef(raw);
  const host = r.registry ?? 'docker.io';
  const repo = host === 'docker.io' && !r.repository.includes('/') ? `library/${r.repository}` : r.repository;
  return { name: `${host}/${repo}`, tag: r.tag ?? 'latest' };
}

interface Attempt {
  source: string;
  code: ErrorCode;
  message: string;
  /** blocked by the configuration: never a reason to report over what a registry answered */
  blocked?: boolean;
}

// the error that tells most: a registry that answered "no such tag" over one that refused, over one unreachable
const RANK: ErrorCode[] = ['E_NOT_FOUND', 'E_AUTH', 'E_DIGEST', 'E_REGISTRY', 'E_NETWORK'];

export async function resolveDigest(raw: string, opts: ResolveDigestOptions = {}): Promise<DigestResolution> {
  const parsed = parseImageRef(raw);
  const { name, tag } = qualifiedName(raw);
  if (parsed.digest) throw new GokilnError('E_USAGE', `${raw} already names a digest`);
  const conf = opts.registries ?? loadRegistriesConf({ env: opts.env });
  const attempts: Attempt[] = [];
  for (const s of pullSources(conf, `${name}:${tag}`)) {
    const host = qualifiedName(s.ref).name.split('/')[0]!;
    const blockedBy = findRegistry(conf, host);
    if (blockedBy?.blocked) {
      attempts.push({ source: s.ref, code: 'E_REGISTRY', message: `${host} is blocked in ${blockedBy.file}`, blocked: true });
      continue;
    }
    try {
      const got = await manifestDigest(s.ref, { ...opts, insecure: [...(opts.insecure ?? []), ...(s.insecure ? [host] : [])] });
      return { ref: raw, name: `${name}:${tag}`, source: s.ref, ...got };
    } catch (e) {
      if (!(e instanceof GokilnError)) throw e;
      attempts.push({ source: s.ref, code: e.code, message: e.message });
    }
  }
  const answered = attempts.filter((a) => !a.blocked);
  const code = answered.length ? (RANK.find((c) => answered.some((a) => a.code === c)) ?? answered[0]!.code) : 'E_REGISTRY';
  // with mirrors, say where they come from: the user may not know a registries.conf applies
  const entry = attempts.length > 1 ? findRegistry(conf, name) : null;
  const where = entry ? ` (mirrors of ${entry.prefix} in ${entry.file})` : '';
  const each = attempts.length === 1 ? attempts[0]!.message : attempts.map((a) => `${a.source}: ${a.message}`).join('; ');
  throw new GokilnError(code, `cannot resolve ${raw} to a digest${where}: ${each}`);
}

async function manifestDigest(ref: string, opts: ResolveDigestOptions): Promise<Omit<DigestResolution, 'ref' | 'name' | 'source'>> {
  const rr = registryRef(ref, opts.insecure ?? []);
  const reference = rr.tag ?? 'latest';
  const client = new RegistryClient(rr, {
    credentials: credentialsFor(rr.host, opts.env),
    ...(opts.attempts ? { attempts: opts.attempts } : {}),
    ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
  });
  const path = `/v2/${rr.repository}/manifests/${reference}`;
  const res = await client.request(path, { method: 'GET', headers: { Accept: MANIFEST_ACCEPT.join(', ') }, accept: [404] });
  if (res.status === 404) {
    const codes = registryErrorCodes(await res.text().catch(() => ''));
    const what = codes.includes('NAME_UNKNOWN') ? `no repository ${rr.repository}` : `no tag ${reference} in ${rr.repository}`;
    throw new GokilnError('E_NOT_FOUND', `${rr.host} has ${what} (HTTP 404${codes.length ? ` ${codes.join(', ')}` : ''})`);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const digest = sha256Digest(bytes);
  const said = res.headers.get('docker-content-digest');
  if (said && said !== digest)
    throw new GokilnError('E_DIGEST', `${rr.host}: GET ${path} says ${said}, the bytes received hash to ${digest}`);
  let doc: { mediaType?: string; manifests?: Array<{ platform?: { os?: string; architecture?: string; variant?: string } }> };
  try {
    doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
  } catch {
    throw new GokilnError('E_REGISTRY', `${rr.host}: GET ${path} answered something that is not JSON`);
  }
  // a manifest's own mediaType wins over the header: some registries answer with a generic content type
  const mediaType = doc.mediaType ?? (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!isIndexMediaType(mediaType) && !isManifestMediaType(mediaType)) {
    throw new GokilnError(
      'E_REGISTRY',
      `${rr.host}: ${ref} is a ${mediaType || 'manifest without a media type'}, not an image manifest or index gokiln can pin`,
    );
  }
  const platforms = isIndexMediaType(mediaType)
    ? (doc.manifests ?? []).flatMap((m) =>
        m.platform?.os && m.platform.architecture
          ? [`${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ''}`]
          : [],
      )
    : [];
  return { digest, mediaType, platforms };
}
