/**
 * The one image model: a reference is parsed once (image-ref.ts: registry, repository, tag, digest) and
 * every question lint rules, verdicts and generators ask about an image is answered here from the knowledge
 * tables: its family (`kind`), release (`os.release`, `distrolessDebian`, `goVersion`), variant
 * (`distrolessVariant`, `debug`, a golang image's `os`), user (`defaultUser`, from the tag where the tag picks
 * it), libc and its version, shell, users, CA bundle, zoneinfo, whether the tag moves, the environment it
 * sets, and the runtime inspect judges binaries against (loader, libraries, symbol versions, support dates).
 * `findRuntime` is that runtime for any spelling; names are written back by image-names.ts.
 */
import { parseImageRef, type ImageRef } from './image-ref.js';
import { golangImage, GOLANG_IMAGE_ENV, GOLANG_VARIANT_PACKAGES } from './golang-images.js';
import { alpineRelease, ALPINE_BASE_PACKAGES, ALPINE_RELEASES } from './alpine.js';
import { debianRelease, ubuntuRelease } from './distros.js';
import { distrolessImage, DISTROLESS_STATIC_PACKAGES, DISTROLESS_TAGS } from './distroless.js';
import {
  ALPINE_ACCOUNTS,
  DEBIAN_ACCOUNTS,
  DISTROLESS_ACCOUNTS,
  SCRATCH_ACCOUNTS,
  ubuntuAccounts,
  type ImageAccounts,
} from './image-users.js';
import { CHAINGUARD_STATIC, hubMirrorOf, namedBase, ubiMicro, type OtherBase } from './other-bases.js';
import { compareVersions } from '../compare-versions.js';
import { goRelease, GO_RELEASES } from './go-releases.js';
import { DISTROLESS_DEFAULT_DEBIAN } from './distroless.js';
import { latestRelease, runtimeFor, type DistrolessTag, type RuntimeInfo } from './runtimes.js';

export type Distro = 'alpine' | 'debian' | 'ubuntu' | 'rhel';
export type ImageKind = 'scratch' | 'golang' | 'alpine' | 'debian' | 'ubuntu' | 'distroless' | 'busybox' | 'chainguard' | 'ubi' | 'unknown';

export interface ImageFacts {
  kind: ImageKind;
  /** golang images: `1.23` or `1.23.4` as the tag says; undefined for `golang:latest` style tags it cannot date */
  goVersion?: string;
  /** the OS the image is built on, when the tag says it (or the knowledge base knows the default) */
  os?: { distro: Distro; release: string };
  /** `none` for scratch and distroless static; undefined when unknown */
  libc?: 'none' | 'musl' | 'glibc';
  /** glibc version the image provides, e.g. `2.36` */
  glibc?: string;
  /** musl version the image provides (Alpine and golang:*-alpine), e.g. `1.2.5` */
  musl?: string;
  /** true/false when known; undefined when gokiln cannot tell (a custom image) */
  shell?: boolean;
  caCerts?: boolean;
  zoneinfo?: boolean;
  /** golang images: a C compiler is installed (Debian variants) */
  cgoToolchain?: boolean;
  /**
   * golang images: the image sets GOTOOLCHAIN=local (built since 2023-09-15), so a go.mod asking for a newer Go
   * fails instead of downloading it; false for the images built before (golang:1.21.0); undefined before Go 1.21
   */
  gotoolchainLocal?: boolean;
  /** environment the image sets that Go commands in a Dockerfile see (golang: GOPATH, and GOTOOLCHAIN=local where set) */
  env?: Readonly<Record<string, string>>;
  /** the user the image runs as without a USER instruction */
  defaultUser?: string;
  /** a `:debug` image (busybox shell added for troubleshooting) */
  debug?: boolean;
  /** distroless flavour: static, base, base-nossl, cc… */
  distrolessVariant?: string;
  /** distroless Debian release number (12, 13) */
  distrolessDebian?: number;
  /** user names in the image's /etc/passwd; null: the image has no /etc/passwd (scratch); undefined: unknown */
  users?: readonly string[] | null;
  /** group names in /etc/group; null: none; undefined: unknown or not recorded (group names are not checked) */
  groups?: readonly string[] | null;
  /** why the tag follows new releases like `latest` does (`golang:1-alpine` gets every new Go); undefined for a pinned release */
  movingTag?: string;
  /** the Docker Hub image a mirror registry serves under this name (`public.ecr.aws/docker/library/golang` → `golang`) */
  mirrorOf?: string;
  /** the OS release is older than every release the knowledge tables list: past its support, dates not recorded */
  olderThanKnown?: boolean;
  /** golang images: the Go minor is older than every one in the tables (Go 1.10 and before), long past support */
  goOlderThanKnown?: boolean;
  /**
   * The runtime `inspect` judges binaries against on this image (loader, libraries, symbol versions, users,
   * support dates); undefined for a builder or an image outside the runtime catalog. An untagged or `latest`
   * alpine/debian reference gets the release it points at in the knowledge snapshot (runtimes.ts latestRelease).
   */
  runtime?: RuntimeInfo;
}

function accounts(a: ImageAccounts): Pick<ImageFacts, 'users' | 'groups'> {
  return a.groups === undefined ? { users: a.users } : { users: a.users, groups: a.groups };
}

/** `3.11` is older than the oldest Alpine in the tables (their records start at 3.15). */
function alpineOlderThanKnown(version: string): boolean {
  const m = /^v?(\d+\.\d+)/.exec(version);
  return m !== null && compareVersions(m[1]!, ALPINE_RELEASES[0]!.version) < 0;
}

function golang(ref: ImageRef): ImageFacts {
  const tag = ref.tag ?? 'latest';
  const g = golangImage(ref);
  const moving = /^(\d+\.\d+)/.test(tag) ? undefined : `golang:${tag} names no Go minor, so it follows every new Go release like latest`;
  if (!g) {
    // a Go release older than the image history (golang:1.14-alpine3.11): the version and OS the tag names still count
    const f: ImageFacts = { kind: 'golang', shell: true, defaultUser: 'root', env: { GOPATH: GOLANG_IMAGE_ENV.GOPATH } };
    const v = /^(\d+\.\d+(?:\.\d+)?)/.exec(tag);
    if (v) f.goVersion = v[1]!;
    if (v && !goRelease(v[1]!) && compareVersions(v[1]!, GO_RELEASES[0]!.minor) < 0) f.goOlderThanKnown = true;
    const a = /-alpine(\d+\.\d+)?$/.exec(tag);
    const suite = /-(jessie|stretch|buster|bullseye)$/.exec(tag);
    // golang:1.15-windowsservercore-1809 and -nanoserver-…: Windows images, built on no Debian
    const windows = /-(windowsservercore|nanoserver)(-|$)/.test(tag);
    // minors before the image history (Go 1.15 and older, and 1.16's pre-releases, out before 1.16.0 where the
    // history starts) were published on Alpine before 3.15 and on Debian before bullseye (docker-library/golang
    // history): every one of those releases is past its support
    const beforeHistory = v !== null && (compareVersions(v[1]!, '1.16') < 0 || /^1\.16(?:rc|beta)\d/.test(tag));
    if (a?.[1]) {
      f.os = { distro: 'alpine', release: a[1] };
      f.libc = 'musl';
      if (alpineOlderThanKnown(a[1])) f.olderThanKnown = true;
    } else if (a && beforeHistory) {
      f.os = { distro: 'alpine', release: `before ${ALPINE_RELEASES[0]!.version}` };
      f.libc = 'musl';
      f.olderThanKnown = true;
    } else if (suite) {
      f.os = { distro: 'debian', release: suite[1]! };
      f.libc = 'glibc';
      if (suite[1] === 'jessie') f.olderThanKnown = true;
    } else if (!a && !windows && beforeHistory) {
      f.os = { distro: 'debian', release: 'before bullseye' };
      f.libc = 'glibc';
      f.olderThanKnown = true;
    }
    if (moving) f.movingTag = moving;
    return f;
  }
  const alpineTz =
    g.os === 'alpine'
      ? ALPINE_BASE_PACKAGES.tzdata || (GOLANG_VARIANT_PACKAGES.alpine.added as readonly string[]).includes('tzdata')
      : undefined;
  const f: ImageFacts = {
    kind: 'golang',
    os: { distro: g.os, release: g.release },
    libc: g.libc,
    shell: true,
    cgoToolchain: g.hasCgoToolchain,
    defaultUser: 'root',
  };
  if (g.goVersion) f.goVersion = g.goVersion;
  if (g.gotoolchainLocal !== null) f.gotoolchainLocal = g.gotoolchainLocal;
  f.env = g.gotoolchainLocal ? { GOTOOLCHAIN: 'local', GOPATH: GOLANG_IMAGE_ENV.GOPATH } : { GOPATH: GOLANG_IMAGE_ENV.GOPATH };
  if (g.libc === 'glibc' && g.libcVersion) f.glibc = g.libcVersion;
  const musl = g.os === 'alpine' ? alpineRelease(g.release)?.musl : undefined;
  if (musl) f.musl = musl;
  if (alpineTz !== undefined) f.zoneinfo = alpineTz;
  if (moving) f.movingTag = moving;
  Object.assign(f, accounts(g.os === 'alpine' ? ALPINE_ACCOUNTS : DEBIAN_ACCOUNTS));
  return f;
}

function alpine(ref: ImageRef): ImageFacts {
  const f: ImageFacts = {
    kind: 'alpine',
    libc: 'musl',
    shell: true,
    caCerts: ALPINE_BASE_PACKAGES.caBundle !== undefined,
    zoneinfo: ALPINE_BASE_PACKAGES.tzdata,
    defaultUser: 'root',
    ...accounts(ALPINE_ACCOUNTS),
  };
  const tag = ref.tag ?? 'latest';
  if (!/^\d+\.\d+/.test(tag)) f.movingTag = `alpine:${tag} names no Alpine release, so it follows every new one like latest`;
  const r = alpineRelease(tag);
  // the runtime catalog takes only a release tag (`3.22`, `3.22.1`) or latest, not `3.22-foo` or `v3.22`
  const exact = tag === 'latest' ? latestRelease('alpine') : /^(\d+\.\d+)(\.\d+)?$/.exec(tag)?.[1];
  const rt = exact ? runtimeFor({ family: 'alpine', release: exact }) : null;
  if (rt) f.runtime = rt;
  if (r) {
    f.os = { distro: 'alpine', release: r.version };
    f.musl = r.musl;
  } else if (alpineOlderThanKnown(tag)) {
    f.os = { distro: 'alpine', release: /^v?(\d+\.\d+)/.exec(tag)![1]! };
    f.olderThanKnown = true;
  }
  return f;
}

/** Debian suite aliases that move from release to release. */
const DEBIAN_MOVING = new Set(['latest', 'stable', 'testing', 'unstable', 'sid', 'oldstable', 'experimental', 'rc-buggy']);
const UBUNTU_MOVING = new Set(['latest', 'rolling', 'devel']);

function debianLike(ref: ImageRef, distro: 'debian' | 'ubuntu'): ImageFacts {
  const f: ImageFacts = { kind: distro, libc: 'glibc', shell: true, defaultUser: 'root' };
  const tag = (ref.tag ?? 'latest').replace(/-slim$/, '');
  if ((distro === 'debian' ? DEBIAN_MOVING : UBUNTU_MOVING).has(tag))
    f.movingTag = `${distro}:${ref.tag ?? 'latest'} follows whichever release is current, like latest`;
  const r = distro === 'debian' ? debianRelease(tag) : ubuntuRelease(tag);
  const rt = r
    ? runtimeFor(distro === 'debian' ? { family: 'debian', codename: r.codename } : { family: 'ubuntu', version: r.version })
    : distro === 'debian' && (ref.tag ?? 'latest') === 'latest'
      ? runtimeFor({ family: 'debian', codename: latestRelease('debian') })
      : null;
  if (rt) f.runtime = rt;
  if (r) {
    f.os = { distro, release: r.codename };
    f.glibc = r.glibc;
    f.caCerts = r.caCerts;
    f.zoneinfo = r.tzdata;
    Object.assign(f, accounts(distro === 'debian' ? DEBIAN_ACCOUNTS : ubuntuAccounts(r.version)));
  } else if (
    (distro === 'debian' && /^(jessie|wheezy|squeeze|[5-8])(\.\d+)?$/.test(tag)) ||
    (distro === 'ubuntu' && /^1[0-7]\.\d\d$/.test(tag))
  ) {
    // releases before the tables (Debian 9, Ubuntu 18.04): long out of support, LTS and ESM included
    f.os = { distro, release: tag };
    f.olderThanKnown = true;
  }
  return f;
}

/** gcr.io/distroless/<flavour>[-debianN][:latest|nonroot|debug|debug-nonroot][-arch] */
function distroless(ref: ImageRef, name: string): ImageFacts {
  const m = /^(static|base-nossl|base|cc)(?:-debian(\d+))?$/.exec(name);
  const tag = (ref.tag ?? 'latest').replace(/-(amd64|arm64|arm|s390x|ppc64le|riscv64)$/, '');
  const variant = DISTROLESS_TAGS[tag as 'latest' | 'nonroot' | 'debug' | 'debug-nonroot'] as
    { uid: number; shell: string | null } | undefined;
  // every distroless image lacks /bin/sh; :debug adds busybox only under /busybox
  const f: ImageFacts = {
    kind: 'distroless',
    shell: false,
    caCerts: true,
    debug: tag.startsWith('debug'),
    ...accounts(DISTROLESS_ACCOUNTS),
  };
  if (variant) f.defaultUser = variant.uid === 0 ? 'root' : String(variant.uid);
  if (!m) return f;
  // no -debianN: the release the project's unsuffixed names follow
  const rt = variant
    ? runtimeFor({
        family: 'distroless',
        flavour: m[1]!,
        debian: m[2] ? Number(m[2]) : DISTROLESS_DEFAULT_DEBIAN.debian,
        tag: tag as DistrolessTag,
      })
    : null;
  if (rt) f.runtime = rt;
  f.distrolessVariant = m[1]!;
  if (m[1] === 'static') f.libc = 'none';
  if (m[2]) {
    const img = distrolessImage(m[1]!, Number(m[2]));
    if (img) {
      f.distrolessDebian = img.debian;
      f.libc = img.libc.family === 'glibc' ? 'glibc' : 'none';
      if (img.libc.version) f.glibc = img.libc.version;
      // every flavour is built on the static set, which carries tzdata
      f.zoneinfo = DISTROLESS_STATIC_PACKAGES[img.debian].includes('tzdata');
    }
  }
  return f;
}

function other(kind: ImageKind, b: OtherBase, os?: { distro: Distro; release: string }): ImageFacts {
  const f: ImageFacts = { kind, shell: b.shell, defaultUser: b.defaultUser, users: b.users };
  if (b.libc) f.libc = b.libc;
  if (b.glibc) f.glibc = b.glibc;
  if (b.caCerts !== undefined) f.caCerts = b.caCerts;
  if (b.zoneinfo !== undefined) f.zoneinfo = b.zoneinfo;
  if (os) f.os = os;
  return f;
}

/** Every fact gokiln knows about the image a reference names; `{ kind: 'unknown' }` when it knows none. */
export function describeImage(refOrText: ImageRef | string): ImageFacts {
  const ref = typeof refOrText === 'string' ? parseImageRef(refOrText) : refOrText;
  const mirror = hubMirrorOf(ref.registry, ref.repository);
  if (mirror) {
    const hub: ImageRef = { ...ref, repository: mirror.repository };
    delete hub.registry;
    return { ...describeImage(hub), mirrorOf: mirror.repository };
  }
  const repo = ref.repository;
  const hub = ref.registry === undefined;
  if (repo === 'scratch')
    return {
      kind: 'scratch',
      libc: 'none',
      shell: false,
      caCerts: false,
      zoneinfo: false,
      defaultUser: 'root',
      ...accounts(SCRATCH_ACCOUNTS),
      runtime: runtimeFor({ family: 'scratch' })!,
    };
  if (hub && repo === 'golang') return golang(ref);
  if (hub && repo === 'alpine') return alpine(ref);
  if (hub && repo === 'debian') return debianLike(ref, 'debian');
  if (hub && repo === 'ubuntu') return debianLike(ref, 'ubuntu');
  if (ref.registry === 'gcr.io' && repo.startsWith('distroless/')) return distroless(ref, repo.slice('distroless/'.length));
  if (ref.registry === 'cgr.dev' && /^chainguard(-private)?\/static$/.test(repo)) {
    // untagged is `latest`, which neither test below matches
    return other(
      'chainguard',
      ref.tag?.endsWith('-dev')
        ? CHAINGUARD_STATIC.dev
        : ref.tag?.startsWith('latest-glibc')
          ? CHAINGUARD_STATIC['latest-glibc']
          : CHAINGUARD_STATIC.latest,
    );
  }
  // registry.access.redhat.com/ubi9/ubi-micro, registry.redhat.io/ubi9-micro, Docker Hub's redhat/ubi9-micro
  const ubi = /^(?:redhat\/)?ubi(\d+)(?:\/ubi-micro|-micro)$/.exec(repo);
  const redHat =
    ref.registry === 'registry.access.redhat.com' || ref.registry === 'registry.redhat.io' || (hub && repo.startsWith('redhat/'));
  if (ubi && redHat) {
    const b = ubiMicro(ubi[1]!);
    if (b) return other('ubi', b, { distro: 'rhel', release: ubi[1]! });
  }
  const named = namedBase(ref.registry, repo, ref.tag);
  if (named) return named.movingTag ? { ...other(named.kind, named.base), movingTag: named.movingTag } : other(named.kind, named.base);
  return { kind: 'unknown' };
}

/**
 * The runtime a name stands for, by any spelling a reference may take (`alpine:3.22.1`, `debian:12.7-slim`,
 * `docker.io/library/ubuntu:jammy`, `gcr.io/distroless/static:debug-nonroot-arm64`, a Docker Hub mirror)
 * and the catalog's own short names, which leave out gcr.io (`distroless/static-debian13`). The reference
 * is parsed once, by parseImageRef, and answered by describeImage; null for an image outside the catalog.
 */
export function findRuntime(name: string): RuntimeInfo | null {
  const ref = parseImageRef(name.trim().toLowerCase());
  if (ref.registry === undefined && ref.repository.startsWith('distroless/')) ref.registry = 'gcr.io';
  return describeImage(ref).runtime ?? null;
}
