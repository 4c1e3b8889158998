/**
 * gcr.io/distroless images (GoogleContainerTools/distroless): what each flavour holds per Debian release.
 * Distroless installs the listed .deb packages without their dependencies, so e.g. base-debian12 has
 * libc6 but not libgcc-s1 — only what the config names is there.
 */
import { SRC, KNOWLEDGE_CHECKED, IMAGES_CHECKED } from './provenance.js';
import { LIBC6_SONAMES } from './libc.js';

export type DistrolessFlavour = 'static' | 'base-nossl' | 'base' | 'cc';
export type DistrolessDebian = 11 | 12 | 13;

export interface DistrolessUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface DistrolessImage {
  flavour: DistrolessFlavour;
  debian: DistrolessDebian;
  /** Debian packages installed on top of the static set. */
  packages: string[];
  libc: { family: 'glibc'; version: string } | { family: 'none'; version: null };
  /** Shared objects present (sonames), libc6's included. */
  libraries: string[];
  /** libssl/libcrypto present (base, cc). */
  libssl: boolean;
  libstdcxx: boolean;
  arches: string[];
  eol: string | null;
  source: string;
  checked: string;
}

export const DISTROLESS_STATIC_PACKAGES: Record<DistrolessDebian, string[]> = {
  11: ['base-files', 'netbase', 'tzdata'],
  12: ['base-files', 'netbase', 'tzdata', 'media-types'],
  13: ['base-files', 'netbase', 'tzdata', 'tzdata-legacy', 'media-types'],
};

const ARCHES: Record<DistrolessDebian, string[]> = {
  11: ['amd64', 'arm64', 'arm', 's390x', 'ppc64le'],
  12: ['amd64', 'arm64', 'arm', 's390x', 'ppc64le'],
  13: ['amd64', 'arm64', 'arm', 's390x', 'ppc64le', 'riscv64'],
};

const LIBC: Record<DistrolessDebian, string> = { 11: '2.31', 12: '2.36', 13: '2.41' };

const FLAVOUR_PACKAGES: Record<DistrolessFlavour, Record<DistrolessDebian, string[]>> = {
  static: { 11: [], 12: [], 13: [] },
  'base-nossl': { 11: ['libc6'], 12: ['libc6'], 13: ['libc6'] },
  base: { 11: ['libc6', 'libssl1.1', 'openssl'], 12: ['libc6', 'libssl3'], 13: ['libc6', 'libssl3t64', 'libzstd1', 'zlib1g'] },
  cc: {
    11: ['libc6', 'libssl1.1', 'openssl', 'libgomp1', 'libstdc++6', 'libgcc-s1', 'gcc-10-base'],
    12: ['libc6', 'libssl3', 'libgomp1', 'libstdc++6', 'libgcc-s1', 'gcc-12-base'],
    13: ['libc6', 'libssl3t64', 'libzstd1', 'zlib1g', 'libgomp1', 'libstdc++6', 'libgcc-s1', 'gcc-14-base'],
  },
};

const PACKAGE_SONAMES: Record<string, string[]> = {
  libc6: [...LIBC6_SONAMES],
  'libssl1.1': ['libssl.so.1.1', 'libcrypto.so.1.1'],
  libssl3: ['libssl.so.3', 'libcrypto.so.3'],
  libssl3t64: ['libssl.so.3', 'libcrypto.so.3'],
  libzstd1: ['libzstd.so.1'],
  zlib1g: ['libz.so.1'],
  libgomp1: ['libgomp.so.1'],
  'libstdc++6': ['libstdc++.so.6'],
  'libgcc-s1': ['libgcc_s.so.1'],
};

/**
 * Debian 11 images: "debian 12 release day + 1yr" per SUPPORT_POLICY.md @019fd5b (Debian 12 was released on
 * 2023-06-10); distroless tracks Debian's regular support, not Debian LTS (which patched bullseye until
 * 2026-08-31), so no images with LTS fixes were published. Debian 12 images: "Sept 2026" per SUPPORT_POLICY.md
 * (taken as the first of October); 13: Debian 14 release + 1 year (not yet known).
 */
const EOL: Record<DistrolessDebian, string | null> = { 11: '2024-06-10', 12: '2026-10-01', 13: null };

function distrolessImages(releases: readonly DistrolessDebian[]): DistrolessImage[] {
  return (['static', 'base-nossl', 'base', 'cc'] as const).flatMap((flavour) => releases.map((debian) => describeRelease(flavour, debian)));
}

function describeRelease(flavour: DistrolessFlavour, debian: DistrolessDebian): DistrolessImage {
  const packages = FLAVOUR_PACKAGES[flavour][debian];
  return {
    flavour,
    debian,
    packages,
    libc: packages.includes('libc6') ? { family: 'glibc', version: LIBC[debian] } : { family: 'none', version: null },
    libraries: packages.flatMap((p) => PACKAGE_SONAMES[p] ?? []),
    libssl: packages.some((p) => p.startsWith('libssl')),
    libstdcxx: packages.includes('libstdc++6'),
    arches: ARCHES[debian],
    eol: EOL[debian],
    source:
      debian === 11
        ? RETIRED_SOURCE
        : `${SRC.distrolessConfig}; libc6 ${LIBC[debian]} per ${SRC.distrolessLock}; eol per ${SRC.distrolessSupport}`,
    checked: debian === 11 ? IMAGES_CHECKED : KNOWLEDGE_CHECKED,
  };
}

const RETIRED_SOURCE =
  'GoogleContainerTools/distroless base/base.bzl @057f005, cc/BUILD @06811be, base/testdata/debian11.yaml @03399ae; ' +
  'libc6 2.31 is Debian 11\'s (packages.debian.org/bullseye/libc6); eol per SUPPORT_POLICY.md @019fd5b ("debian 12 release day + 1yr")';

/** The images distroless publishes now (inspect judges these by default). */
export const DISTROLESS_IMAGES: DistrolessImage[] = distrolessImages([12, 13]);

/**
 * Debian 11 images, no longer built (their end of life passed): still found in Dockerfiles (gcr.io/distroless/
 * static-debian11), so lint knows their libc (glibc 2.31, OpenSSL 1.1 in base and cc) and support status.
 * Sources: base/base.bzl @057f005 (static: base-files, netbase, tzdata; base adds libc6, libssl1.1, openssl),
 * cc/BUILD @06811be (cc adds libgcc, libgomp1, libstdc++6; gcc-10-base is bullseye's), base/testdata/
 * debian11.yaml @03399ae (os-release "Debian GNU/Linux 11 (bullseye)"); glibc 2.31 is bullseye's libc6.
 */
export const DISTROLESS_RETIRED_IMAGES: DistrolessImage[] = distrolessImages([11]);

/** /etc/passwd of every distroless image (common/BUILD.bazel). */
export const DISTROLESS_USERS: DistrolessUser[] = [
  { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/sbin/nologin' },
  { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent', shell: '/sbin/nologin' },
  { name: 'nonroot', uid: 65532, gid: 65532, home: '/home/nonroot', shell: '/sbin/nologin' },
];

/** /etc/group of every distroless image. */
export const DISTROLESS_GROUPS = [
  { name: 'root', gid: 0 },
  { name: 'nobody', gid: 65534 },
  { name: 'tty', gid: 5 },
  { name: 'staff', gid: 50 },
  { name: 'nonroot', gid: 65532 },
] as const;

/** Tag variants: root runs as 0 in `/`, nonroot as 65532 in /home/nonroot; debug adds busybox at /busybox (ENTRYPOINT /busybox/sh). */
export const DISTROLESS_TAGS = {
  latest: { uid: 0, workdir: '/', shell: null },
  nonroot: { uid: 65532, workdir: '/home/nonroot', shell: null },
  debug: { uid: 0, workdir: '/', shell: '/busybox/sh' },
  'debug-nonroot': { uid: 65532, workdir: '/home/nonroot', shell: '/busybox/sh' },
  caBundle: '/etc/ssl/certs/ca-certificates.crt',
  env: { SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  source: `${SRC.distrolessCommon}; static/static.bzl (USER_VARIANTS, debug entrypoint)`,
  checked: KNOWLEDGE_CHECKED,
} as const;

export function distrolessImage(flavour: string, debian: number): DistrolessImage | null {
  return (
    DISTROLESS_IMAGES.find((i) => i.flavour === flavour && i.debian === debian) ??
    DISTROLESS_RETIRED_IMAGES.find((i) => i.flavour === flavour && i.debian === debian) ??
    null
  );
}

/**
 * The Debian release behind the unsuffixed names (`gcr.io/distroless/static`, `…/static:nonroot`, the same
 * for base, base-nossl and cc): BUILD's DEFAULT_DISTRO. The project moved it from debian12 to debian13 on
 * 2026-01-30 and advises naming the release; gokiln accepts the short name as that release.
 */
export const DISTROLESS_DEFAULT_DEBIAN: { debian: DistrolessDebian; source: string; checked: string } = {
  debian: 13,
  source: 'GoogleContainerTools/distroless BUILD: DEFAULT_DISTRO = "debian13" (commit 4aa1087d, 2026-01-30; snapshot cd08076, 2026-08-21)',
  checked: IMAGES_CHECKED,
};
