/**
 * `init --pin-digests`: every base image the Dockerfile names (each group's builder and runtime) resolved
 * to its digest through gokiln's registry client, so the FROM lines read `name:tag@sha256:…` — the tag
 * stays for the reader (and lint's knowledge of what the image is), the digest decides what is pulled.
 * All are resolved before anything is written: one that cannot be resolved refuses the whole init.
 */
import { resolveDigest, type DigestResolution, type ResolveDigestOptions } from '../image/registry/resolve-digest.js';
import { loadRegistriesConf } from '../image/registry/registries-conf.js';
import type { DockerfileSpec } from './dockerfile.js';

/** A base image reference as the generator writes it → its digest. */
export type Pins = Record<string, string>;

/** The external images of the specs, each once, in the order the Dockerfile names them. */
export function baseImages(specs: readonly DockerfileSpec[]): string[] {
  return [...new Set([...specs.map((s) => s.builder), ...specs.map((s) => s.runtime)])];
}

/** `ref@digest` when the ref is pinned, else the ref unchanged. */
export function pinned(ref: string, pins: Pins | undefined): string {
  const d = pins?.[ref];
  return d ? `${ref}@${d}` : ref;
}

/**
 * Resolves every base image of the specs not already in `known` (in parallel: a handful of manifest
 * reads) and returns all pins, `known` included; `resolved` holds the new ones. The registries
 * configuration is read once; the first failure, in the Dockerfile's order, is thrown.
 */
export async function resolvePins(
  specs: readonly DockerfileSpec[],
  opts: ResolveDigestOptions = {},
  known: Pins = {},
): Promise<{ pins: Pins; resolved: DigestResolution[] }> {
  const todo = baseImages(specs).filter((ref) => !known[ref]);
  if (!todo.length) return { pins: { ...known }, resolved: [] };
  const registries = opts.registries ?? loadRegistriesConf({ env: opts.env });
  const results = await Promise.allSettled(todo.map((ref) => resolveDigest(ref, { ...opts, registries })));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const resolved = results.map((r) => (r as PromiseFulfilledResult<DigestResolution>).value);
  return { pins: { ...known, ...Object.fromEntries(resolved.map((r) => [r.ref, r.digest])) }, resolved };
}
