/** Splits an image reference (`registry/path:tag@digest`) the way Docker does, without any network. */

export interface ImageRef {
  /** as written after ARG substitution */
  raw: string;
  /** registry host when the first path part looks like one (has a dot or colon, or is localhost) */
  registry?: string;
  /** repository path without registry, with `library/` dropped: `golang`, `gcr.io`'s `distroless/static-debian12` */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(raw: string): ImageRef {
  let rest = raw.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = undefined;
  if (rest.startsWith('library/') && registry === undefined) rest = rest.slice('library/'.length);
  const ref: ImageRef = { raw, repository: rest.toLowerCase() };
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** `docker.io` for Docker Hub images, else the registry host. */
export function registryOf(ref: ImageRef): string {
  return ref.registry ?? 'docker.io';
}
