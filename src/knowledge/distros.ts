/** Debian and Ubuntu releases: glibc version, support end, and what their official base images hold. */
import { SRC, KNOWLEDGE_CHECKED } from './provenance.js';
import type { SupportWindow } from './eol.js';

export interface DistroRelease {
  distro: 'debian' | 'ubuntu';
  /** `12`, `22.04` */
  version: string;
  /** `bookworm`, `jammy` */
  codename: string;
  /** `gokiln inspect` judges binaries against this release when no --runtime is given. */
  inspectDefault: boolean;
  glibc: string;
  /** Highest GLIBCXX_ version of the release's libstdc++6 (from its GCC), when the image ships it. */
  glibcxx: string | null;
  released: string;
  /** First day without regular security support (LTS/ESM extends this; see `extendedEol`). */
  eol: string | null;
  extendedEol: string | null;
  /** Shared objects of the official image beyond libc6 (sonames), from its package list. */
  libraries: string[];
  tzdata: boolean;
  caCerts: boolean;
  source: string;
  checked: string;
  note?: string;
}

const GLIBC_SRC = `${SRC.facts} (glibc: pep600_compliance cache, Debian package lists)`;
const GLIBCXX_NOTE =
  'GLIBCXX from the GCC of the release: gcc 8 → 3.4.25, 10 → 3.4.28, 12 → 3.4.30, 14 → 3.4.33 (libstdc++ ABI policy); not re-checked here';

/** Libraries common to the Debian minbase sets (bullseye…trixie). */
const DEBIAN_COMMON = [
  'libgcc_s.so.1',
  'libstdc++.so.6',
  'libz.so.1',
  'libzstd.so.1',
  'liblzma.so.5',
  'libbz2.so.1.0',
  'liblz4.so.1',
  'libcrypt.so.1',
  'libacl.so.1',
  'libattr.so.1',
  'libaudit.so.1',
  'libblkid.so.1',
  'libmount.so.1',
  'libuuid.so.1',
  'libsmartcols.so.1',
  'libcap-ng.so.0',
  'libpam.so.0',
  'libpam_misc.so.0',
  'libpamc.so.0',
  'libpcre2-8.so.0',
  'libseccomp.so.2',
  'libselinux.so.1',
  'libsystemd.so.0',
  'libudev.so.1',
  'libtinfo.so.6',
  'libxxhash.so.0',
  'libdb-5.3.so',
  'libdebconfclient.so.0',
  'libgmp.so.10',
  'libnettle.so.8',
  'libhogweed.so.6',
];

export const DEBIAN_RELEASES: DistroRelease[] = [
  {
    distro: 'debian',
    version: '9',
    inspectDefault: false,
    codename: 'stretch',
    glibc: '2.24',
    glibcxx: '3.4.22',
    released: '2017-06-17',
    eol: '2020-07-06',
    extendedEol: '2022-06-30',
    libraries: ['libgcc_s.so.1', 'libstdc++.so.6', 'libz.so.1'],
    tzdata: true,
    caCerts: false,
    source: 'Debian release pages (from memory; only listed because old golang images used it)',
    checked: KNOWLEDGE_CHECKED,
    note: 'library list partial',
  },
  {
    distro: 'debian',
    version: '10',
    inspectDefault: false,
    codename: 'buster',
    glibc: '2.28',
    glibcxx: '3.4.25',
    released: '2019-07-06',
    eol: '2022-09-10',
    extendedEol: '2024-06-30',
    libraries: ['libgcc_s.so.1', 'libstdc++.so.6', 'libz.so.1'],
    tzdata: true,
    caCerts: false,
    source: GLIBC_SRC,
    checked: KNOWLEDGE_CHECKED,
    note: 'library list partial; dates from Debian release pages, from memory',
  },
  {
    distro: 'debian',
    version: '11',
    inspectDefault: true,
    codename: 'bullseye',
    glibc: '2.31',
    glibcxx: '3.4.28',
    released: '2021-08-14',
    eol: '2024-08-14',
    extendedEol: '2026-08-31',
    libraries: [
      ...DEBIAN_COMMON,
      'libssl.so.1.1',
      'libcrypto.so.1.1',
      'libgnutls.so.30',
      'libffi.so.7',
      'libgcrypt.so.20',
      'libgpg-error.so.0',
      'libidn2.so.0',
      'libunistring.so.2',
      'libp11-kit.so.0',
      'libtasn1.so.6',
      'libgssapi_krb5.so.2',
      'libkrb5.so.3',
      'libk5crypto.so.3',
      'libkrb5support.so.0',
      'libkeyutils.so.1',
      'libcom_err.so.2',
      'libnsl.so.2',
      'libtirpc.so.3',
      'libpcre.so.3',
      'libsemanage.so.1',
      'libsepol.so.1',
      'libext2fs.so.2',
      'libss.so.2',
      'libapt-pkg.so.6.0',
    ],
    tzdata: true,
    caCerts: false,
    source: `${SRC.debootstrap}; ${GLIBC_SRC}`,
    checked: KNOWLEDGE_CHECKED,
    note: GLIBCXX_NOTE,
  },
  {
    distro: 'debian',
    version: '12',
    inspectDefault: true,
    codename: 'bookworm',
    glibc: '2.36',
    glibcxx: '3.4.30',
    released: '2023-06-10',
    eol: '2026-07-11',
    extendedEol: '2028-06-30',
    libraries: [
      ...DEBIAN_COMMON,
      'libgnutls.so.30',
      'libffi.so.8',
      'libgcrypt.so.20',
      'libgpg-error.so.0',
      'libidn2.so.0',
      'libunistring.so.2',
      'libp11-kit.so.0',
      'libtasn1.so.6',
      'libcap.so.2',
      'libmd.so.0',
      'libsemanage.so.2',
      'libsepol.so.2',
      'libext2fs.so.2',
      'libss.so.2',
      'libcom_err.so.2',
      'libapt-pkg.so.6.0',
    ],
    tzdata: true,
    caCerts: false,
    source: `${SRC.debootstrap}; ${GLIBC_SRC}`,
    checked: KNOWLEDGE_CHECKED,
    note: `no libssl3 in debian:bookworm (apt uses GnuTLS there). eol: facts.md and debian.club say 2026-07-11, several other pages 2026-06-10 (three years after release); both are past. ${GLIBCXX_NOTE}`,
  },
  {
    distro: 'debian',
    version: '13',
    inspectDefault: true,
    codename: 'trixie',
    glibc: '2.41',
    glibcxx: '3.4.33',
    released: '2025-08-09',
    eol: '2028-08-09',
    extendedEol: '2030-06-30',
    libraries: [
      ...DEBIAN_COMMON,
      'libssl.so.3',
      'libcrypto.so.3',
      'libsqlite3.so.0',
      'libcap.so.2',
      'libmd.so.0',
      'libbsd.so.0',
      'liblastlog2.so.2',
      'libsemanage.so.2',
      'libsepol.so.2',
      'libapt-pkg.so.7.0',
    ],
    tzdata: true,
    caCerts: false,
    source: `${SRC.debootstrap}; ${GLIBC_SRC}`,
    checked: KNOWLEDGE_CHECKED,
    note: `minbase of trixie pulls libssl3t64 (apt 3 uses OpenSSL) and libsqlite3-0 (liblastlog2). ${GLIBCXX_NOTE}`,
  },
];

const UBUNTU_COMMON = [
  'libgcc_s.so.1',
  'libstdc++.so.6',
  'libz.so.1',
  'libzstd.so.1',
  'liblzma.so.5',
  'libbz2.so.1.0',
  'liblz4.so.1',
  'libcrypt.so.1',
  'libacl.so.1',
  'libattr.so.1',
  'libselinux.so.1',
  'libpcre2-8.so.0',
  'libsystemd.so.0',
  'libudev.so.1',
  'libtinfo.so.6',
  'libblkid.so.1',
  'libmount.so.1',
  'libuuid.so.1',
  'libpam.so.0',
  'libgmp.so.10',
];
const UBUNTU_NOTE =
  'library list: the libraries relevant to cgo programs, read from repo-info where checked; ubuntu images ship neither tzdata nor ca-certificates';

export const UBUNTU_RELEASES: DistroRelease[] = [
  {
    distro: 'ubuntu',
    version: '18.04',
    inspectDefault: false,
    codename: 'bionic',
    glibc: '2.27',
    glibcxx: '3.4.25',
    released: '2018-04-26',
    eol: '2023-05-31',
    extendedEol: '2028-04-01',
    libraries: UBUNTU_COMMON,
    tzdata: false,
    caCerts: false,
    source: GLIBC_SRC,
    checked: KNOWLEDGE_CHECKED,
    note: `${UBUNTU_NOTE}; dates from the Ubuntu release cycle page, from memory`,
  },
  {
    distro: 'ubuntu',
    version: '20.04',
    inspectDefault: true,
    codename: 'focal',
    glibc: '2.31',
    glibcxx: '3.4.28',
    released: '2020-04-23',
    eol: '2025-05-29',
    extendedEol: '2030-04-01',
    libraries: UBUNTU_COMMON,
    tzdata: false,
    caCerts: false,
    source: GLIBC_SRC,
    checked: KNOWLEDGE_CHECKED,
    note: `${UBUNTU_NOTE}; whether focal's image has libssl1.1 was not checked, so it is not listed; dates from the Ubuntu release cycle page, from memory`,
  },
  {
    distro: 'ubuntu',
    version: '22.04',
    inspectDefault: true,
    codename: 'jammy',
    glibc: '2.35',
    glibcxx: '3.4.30',
    released: '2022-04-21',
    eol: '2027-04-01',
    extendedEol: '2032-04-01',
    libraries: [...UBUNTU_COMMON, 'libssl.so.3', 'libcrypto.so.3'],
    tzdata: false,
    caCerts: false,
    source: `${SRC.repoInfoUbuntu} (jammy: libssl3 3.0.2); ${GLIBC_SRC}`,
    checked: KNOWLEDGE_CHECKED,
    note: UBUNTU_NOTE,
  },
  {
    distro: 'ubuntu',
    version: '24.04',
    inspectDefault: true,
    codename: 'noble',
    glibc: '2.39',
    glibcxx: '3.4.33',
    released: '2024-04-25',
    eol: '2029-05-31',
    extendedEol: '2034-04-01',
    libraries: [...UBUNTU_COMMON, 'libssl.so.3', 'libcrypto.so.3'],
    tzdata: false,
    caCerts: false,
    source: `${SRC.repoInfoUbuntu} (noble: libssl3t64 3.0.13, zlib1g, no tzdata, no ca-certificates); ${GLIBC_SRC}`,
    checked: KNOWLEDGE_CHECKED,
    note: UBUNTU_NOTE,
  },
  {
    distro: 'ubuntu',
    version: '26.04',
    inspectDefault: false,
    codename: 'resolute',
    glibc: '2.43',
    glibcxx: null,
    released: '2026-04-23',
    eol: '2031-05-31',
    extendedEol: null,
    libraries: UBUNTU_COMMON,
    tzdata: false,
    caCerts: false,
    source: GLIBC_SRC,
    checked: KNOWLEDGE_CHECKED,
    note: `${UBUNTU_NOTE}; release/eol days approximate (April 2026 + 5 years); OpenSSL and libstdc++ versions not checked`,
  },
];

export const DISTRO_RELEASES: DistroRelease[] = [...DEBIAN_RELEASES, ...UBUNTU_RELEASES];

/** By number (`12`, `12.7`), codename (`bookworm`, `bookworm-slim`) or `debian:`-less tag. */
export function debianRelease(nameOrVersion: string): DistroRelease | null {
  const s = nameOrVersion.replace(/-slim$/, '');
  const m = /^(\d+)(\.\d+)?$/.exec(s);
  return DEBIAN_RELEASES.find((r) => (m ? r.version === m[1] : r.codename === s)) ?? null;
}

/** By version (`22.04`, `22.04.3`) or codename (`jammy`, or a dated `jammy-20240101`). */
export function ubuntuRelease(nameOrVersion: string): DistroRelease | null {
  const m = /^(\d+\.\d+)(\.\d+)?$/.exec(nameOrVersion);
  return (
    UBUNTU_RELEASES.find((r) => (m ? r.version === m[1] : r.codename === nameOrVersion || nameOrVersion.startsWith(`${r.codename}-`))) ??
    null
  );
}

/** glibc version of a Debian/Ubuntu release named either way (`bookworm`, `12`, `ubuntu:22.04`). */
export function glibcOf(distro: 'debian' | 'ubuntu', release: string): string | null {
  return (distro === 'debian' ? debianRelease(release) : ubuntuRelease(release))?.glibc ?? null;
}

/**
 * A release's support window as inspect and lint judge it: Debian LTS patches the public archive (so the
 * `debian:` image), Ubuntu ESM only machines with Ubuntu Pro (sources: wiki.debian.org/LTS, ubuntu.com/about/release-cycle).
 */
export function supportWindow(r: DistroRelease): Required<SupportWindow> {
  return { eol: r.eol, extendedEol: r.extendedEol, extendedSupport: r.extendedEol ? (r.distro === 'debian' ? 'lts' : 'esm') : null };
}
