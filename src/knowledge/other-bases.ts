/**
 * Well-known bases outside Docker Hub's official images: Chainguard's static image, Red Hat's UBI micro,
 * and the registries that mirror Docker Hub's official images under another name. Each record says what
 * lint and verdicts ask of a base (libc, shell, CA bundle, zoneinfo, default user, accounts) with its source.
 */
import type { Provenance } from './provenance.js';
import { IMAGES_CHECKED } from './provenance.js';

export interface OtherBase extends Provenance {
  /** undefined when the image does not say (busybox's untagged variant) */
  libc?: 'none' | 'glibc' | 'musl';
  /** glibc version when the libc is glibc and the release says it */
  glibc?: string;
  shell: boolean;
  caCerts?: boolean;
  zoneinfo?: boolean;
  defaultUser: string;
  users: string[];
}

/**
 * cgr.dev/chainguard/static: wolfi-baselayout, ca-certificates-bundle and tzdata, no libc and no shell,
 * runs as nonroot (65532). `:latest-glibc` adds glibc; the `-dev` tags add busybox and apk and run as root.
 */
export const CHAINGUARD_STATIC: Record<'latest' | 'latest-glibc' | 'dev', OtherBase> = {
  latest: {
    libc: 'none',
    shell: false,
    caCerts: true,
    zoneinfo: true,
    defaultUser: '65532',
    users: ['root', 'nobody', 'nonroot'],
    source: 'edu.chainguard.dev/chainguard/chainguard-images/reference/static/overview (packages, users: root, nobody, nonroot 65532)',
    checked: IMAGES_CHECKED,
  },
  'latest-glibc': {
    libc: 'glibc',
    shell: false,
    caCerts: true,
    zoneinfo: true,
    defaultUser: '65532',
    users: ['root', 'nobody', 'nonroot'],
    source: 'edu.chainguard.dev/chainguard/chainguard-images/reference/static/overview (the latest-glibc variant adds glibc)',
    checked: IMAGES_CHECKED,
  },
  dev: {
    libc: 'none',
    shell: true,
    caCerts: true,
    zoneinfo: true,
    defaultUser: 'root',
    users: ['root', 'nobody', 'nonroot'],
    source: 'edu.chainguard.dev: -dev variants add busybox (a shell) and apk-tools and run as root',
    checked: IMAGES_CHECKED,
  },
};

/** setup's /etc/passwd in RHEL 8–10 images (the `setup` package). */
const RHEL_USERS = ['root', 'bin', 'daemon', 'adm', 'lp', 'sync', 'shutdown', 'halt', 'mail', 'operator', 'games', 'ftp', 'nobody'];

/** glibc of the RHEL major a UBI image is built from. */
export const UBI_GLIBC: Record<string, string> = { '8': '2.28', '9': '2.34', '10': '2.39' };

/**
 * registry.access.redhat.com/ubiN/ubi-micro: no package manager, but bash, coreutils-single, glibc and
 * tzdata's package; no ca-certificates package (the CA bundle is not in the package set); runs as root.
 * Whether /usr/share/zoneinfo is complete is not recorded (ubi-minimal strips it), so it stays unknown.
 */
export function ubiMicro(major: string): OtherBase | undefined {
  const glibc = UBI_GLIBC[major];
  if (!glibc) return undefined;
  return {
    libc: 'glibc',
    glibc,
    shell: true,
    caCerts: false,
    defaultUser: 'root',
    users: RHEL_USERS,
    source:
      'docs.redhat.com "Understanding the UBI micro images" (no package manager); package set as installed by the ubi-micro build ' +
      '(fatherlinux/ubi-micro issue #5: bash, coreutils-single, glibc, glibc-minimal-langpack, setup, tzdata…; no ca-certificates)',
    checked: IMAGES_CHECKED,
    note: 'glibc per RHEL major: 8 → 2.28, 9 → 2.34, 10 → 2.39 (glibc-2.34-100.el9 in UBI 9 package lists)',
  };
}

/**
 * Registries that serve Docker Hub's official images under another path, the same bytes: an image there is
 * judged as the Hub image it mirrors. `quay.io/projectquay/golang` is Quay's copy of the golang image.
 */
export const HUB_MIRRORS: { registry: string; prefix: string; source: string }[] = [
  {
    registry: 'public.ecr.aws',
    prefix: 'docker/library/',
    source: 'gallery.ecr.aws/docker (ECR Public Gallery: Docker Official Images under docker/library)',
  },
  {
    registry: 'mirror.gcr.io',
    prefix: 'library/',
    source: 'cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images (mirror.gcr.io caches Docker Hub)',
  },
  {
    registry: 'mirror.gcr.io',
    prefix: '',
    source: 'cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images (mirror.gcr.io caches Docker Hub)',
  },
  { registry: 'quay.io', prefix: 'projectquay/', source: 'quay.io/repository/projectquay/golang (a copy of Docker Hub golang)' },
  {
    registry: 'ghcr.io',
    prefix: 'ghcri/',
    source: 'github.com/ghcri (GitHub Container Registry Images: Docker Hub official images copied to ghcr.io/ghcri)',
  },
];

/** The Hub repository a mirrored reference names, or undefined. Only the official images gokiln knows are mapped. */
export function hubMirrorOf(registry: string | undefined, repository: string): { repository: string; source: string } | undefined {
  if (registry === undefined) return undefined;
  for (const m of HUB_MIRRORS) {
    if (m.registry !== registry || !repository.startsWith(m.prefix)) continue;
    const rest = repository.slice(m.prefix.length);
    if (/^(golang|alpine|debian|ubuntu|busybox)$/.test(rest)) return { repository: rest, source: m.source };
  }
  return undefined;
}

/**
 * busybox images by repository, and the tags that name no release: what lint asks of them. Docker Hub's
 * busybox is a busybox binary (the glibc variant with glibc copied from Debian) and buildroot's skeleton
 * /etc/passwd; no CA bundle and no zoneinfo (only /etc/localtime, UTC); USER is not set, so root.
 * Prometheus' quay.io/prometheus/busybox (also `-linux-<arch>` and `-<arch>-linux` names, and prom/busybox on
 * Docker Hub) is that image plus Debian's CA bundle, zoneinfo and /etc/services, used under most Prometheus
 * projects' Dockerfiles. On Docker Hub a tag naming no busybox release (stable, glibc, stable-glibc…) moves while
 * release tags exist; Prometheus' image has only latest, glibc and uclibc (GK003 still warns on latest itself).
 */
const BUSYBOX_USERS = ['root', 'daemon', 'bin', 'sys', 'sync', 'mail', 'www-data', 'operator', 'nobody'];

export interface NamedBase {
  kind: 'busybox';
  registry: string | undefined;
  /** the repository, or a pattern over it */
  repository: RegExp;
  /** the repository publishes release tags (busybox:1.37.0-glibc): a tag without a release moves and could be pinned */
  versionedTags: boolean;
  /** the facts for a tag (what a tag cannot tell, such as the libc of the untagged busybox, is left out) */
  facts: (tag: string) => OtherBase;
}

const busyboxLibc = (tag: string): OtherBase['libc'] => (/glibc/.test(tag) ? 'glibc' : undefined);

export const NAMED_BASES: NamedBase[] = [
  {
    kind: 'busybox',
    registry: undefined,
    repository: /^(library\/)?busybox$/,
    versionedTags: true,
    facts: (tag) => ({
      ...(busyboxLibc(tag) ? { libc: busyboxLibc(tag)! } : {}),
      shell: true,
      caCerts: false,
      zoneinfo: false,
      defaultUser: 'root',
      users: BUSYBOX_USERS,
      source:
        'docker-library/busybox latest-1/glibc/Dockerfile.builder @0436ae6 (busybox 1.37.0 with glibc and libnss from debian:trixie-slim; ' +
        'buildroot 2026.05.1 system/skeleton/etc/passwd and group; /etc/localtime from UTC only; no USER)',
      checked: IMAGES_CHECKED,
      note: 'the libc of the musl and uclibc variants (a static busybox) and of the untagged image is not recorded: rules about libc stay silent there',
    }),
  },
  {
    kind: 'busybox',
    registry: 'quay.io',
    repository: /^prometheus\/busybox(-[a-z0-9]+-[a-z0-9]+)?$/,
    // only latest, glibc and uclibc are pushed (Makefile tag/push targets): nothing to pin but a digest
    versionedTags: false,
    facts: (tag) => ({
      ...(busyboxLibc(tag) ? { libc: busyboxLibc(tag)! } : {}),
      shell: true,
      caCerts: true,
      zoneinfo: true,
      defaultUser: 'root',
      users: BUSYBOX_USERS,
      source:
        "prometheus/busybox README.md @3f0b318 (latest: busybox:uclibc; glibc: busybox:glibc plus libpthread; both add Debian's " +
        '/etc/ssl/certs/ca-certificates.crt, /usr/share/zoneinfo and /etc/services) and Makefile @266f75c (quay.io/prometheus/busybox, ' +
        'busybox-<arch>-linux names; latest tagged from uclibc)',
      checked: IMAGES_CHECKED,
    }),
  },
  {
    kind: 'busybox',
    registry: undefined,
    repository: /^prom\/busybox$/,
    versionedTags: false,
    facts: (tag) => ({
      ...(busyboxLibc(tag) ? { libc: busyboxLibc(tag)! } : {}),
      shell: true,
      caCerts: true,
      zoneinfo: true,
      defaultUser: 'root',
      users: BUSYBOX_USERS,
      source: 'prometheus/busybox README.md @3f0b318 (prom/busybox on Docker Hub is the same build as quay.io/prometheus/busybox)',
      checked: IMAGES_CHECKED,
    }),
  },
];

/** A tag of a NAMED_BASES image that names no release and so moves (`busybox:stable-glibc`, `quay.io/prometheus/busybox:latest`). */
export const BUSYBOX_MOVING_TAG = /^(latest|stable|glibc|uclibc|musl)$|^stable-(glibc|uclibc|musl)$/;

/** The NAMED_BASES row for a reference, with its facts for the tag; undefined when no row names it. */
export function namedBase(
  registry: string | undefined,
  repository: string,
  tag: string | undefined,
): { kind: NamedBase['kind']; base: OtherBase; movingTag?: string } | undefined {
  const row = NAMED_BASES.find((r) => r.registry === registry && r.repository.test(repository));
  if (!row) return undefined;
  const t = tag ?? 'latest';
  const base = row.facts(t);
  const name = `${registry ? registry + '/' : ''}${repository}:${t}`;
  return row.versionedTags && BUSYBOX_MOVING_TAG.test(t)
    ? { kind: row.kind, base, movingTag: `${name} names no busybox release, so it follows every new one like latest` }
    : { kind: row.kind, base };
}
