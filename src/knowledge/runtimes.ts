/**
 * The runtime images gokiln judges binaries against: for each, what the kernel and the dynamic loader
 * will find there (loader paths, libraries, symbol versions) and what a Go program may look for at run
 * time (CA certificates, zoneinfo, /etc/passwd, a shell). Built from the per-distribution tables, so a
 * fact is stated once.
 */
import { ALPINE_BASE_PACKAGES, ALPINE_RELEASES, type AlpineRelease } from './alpine.js';
import { DEBIAN_RELEASES, UBUNTU_RELEASES, debianRelease, supportWindow, type DistroRelease } from './distros.js';
import { DISTROLESS_DEFAULT_DEBIAN, DISTROLESS_IMAGES, DISTROLESS_TAGS, DISTROLESS_USERS, type DistrolessImage } from './distroless.js';
import { LIBC6_SONAMES, USR_MERGED, glibcLoader, muslLoader } from './libc.js';
import { SRC, KNOWLEDGE_CHECKED } from './provenance.js';
import { compareVersions } from '../compare-versions.js';
import type { ExtendedSupport } from './eol.js';

export interface RuntimeUser {
  name: string;
  uid: number;
}

export interface SymbolVersionProvider {
  /** The library that defines the versions (`libc.so.6`, `libstdc++.so.6`). */
  soname: string;
  /** `GLIBC_`, `GLIBCXX_`, `CXXABI_`. */
  prefix: string;
  /** Highest version defined (`2.36`). */
  max: string;
}

export interface RuntimeInfo {
  /** Canonical name: `scratch`, `distroless/static-debian12`, `alpine:3.22`, `debian:bookworm`, `ubuntu:22.04`. */
  name: string;
  /** Other spellings findRuntime accepts for this entry. */
  aliases: string[];
  kind: 'scratch' | 'distroless' | 'alpine' | 'debian' | 'ubuntu';
  libc: { family: 'glibc' | 'musl' | 'none'; version: string | null };
  /** Go architecture names the image is published for. Scratch has no platform of its own: all. */
  arches: string[];
  /** Shared objects present, by soname (libc's own included; the loader is in `loaderFor`). */
  libraries: string[];
  /** /lib and /lib64 are links into /usr (USR_MERGED): loader and libraries are found under both spellings. */
  usrMerged: boolean;
  symbolVersions: SymbolVersionProvider[];
  caCerts: boolean;
  caBundle: string | null;
  zoneinfo: boolean;
  shell: string | null;
  /** Entries of /etc/passwd relevant here; null when the image has no /etc/passwd. */
  users: RuntimeUser[] | null;
  defaultUser: RuntimeUser;
  workdir: string;
  /** First day without (regular) support; null when none is announced. */
  eol: string | null;
  /** First day without extended support (Debian LTS, Ubuntu ESM), and how it is had; null without. */
  extendedEol: string | null;
  extendedSupport: ExtendedSupport | null;
  debug: boolean;
  source: string;
  checked: string;
  note?: string;
}

const ALL_ARCHES = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64'];
const ROOT: RuntimeUser = { name: 'root', uid: 0 };
const NOBODY: RuntimeUser = { name: 'nobody', uid: 65534 };

/** The path of the dynamic loader a runtime has for an architecture, or null (none, or not that arch). */
export function loaderFor(rt: RuntimeInfo, arch: string): string | null {
  if (!rt.arches.includes(arch)) return null;
  if (rt.libc.family === 'glibc') return glibcLoader(arch);
  if (rt.libc.family === 'musl') return muslLoader(arch);
  return null;
}

const scratch: RuntimeInfo = {
  name: 'scratch',
  aliases: [],
  kind: 'scratch',
  libc: { family: 'none', version: null },
  arches: ALL_ARCHES,
  libraries: [],
  usrMerged: false,
  symbolVersions: [],
  caCerts: false,
  caBundle: null,
  zoneinfo: false,
  shell: null,
  users: null,
  defaultUser: ROOT,
  workdir: '/',
  eol: null,
  extendedEol: null,
  extendedSupport: null,
  debug: false,
  source: 'Docker: `FROM scratch` is the empty filesystem',
  checked: KNOWLEDGE_CHECKED,
};

function distroless(img: DistrolessImage): RuntimeInfo {
  const name = `distroless/${img.flavour}-debian${img.debian}`;
  const symbolVersions: SymbolVersionProvider[] = [];
  if (img.libc.family === 'glibc') symbolVersions.push({ soname: 'libc.so.6', prefix: 'GLIBC_', max: img.libc.version });
  // distroless installs the Debian release's own libstdc++6
  const glibcxx = img.libstdcxx ? debianRelease(String(img.debian))?.glibcxx : null;
  if (glibcxx) symbolVersions.push({ soname: 'libstdc++.so.6', prefix: 'GLIBCXX_', max: glibcxx });
  return {
    name,
    aliases: [`gcr.io/${name}`, `${name}:latest`, `gcr.io/${name}:latest`],
    kind: 'distroless',
    libc: img.libc.family === 'glibc' ? { family: 'glibc', version: img.libc.version } : { family: 'none', version: null },
    arches: img.arches,
    libraries: img.libraries,
    usrMerged: img.debian >= USR_MERGED.distrolessFrom,
    symbolVersions,
    caCerts: true,
    caBundle: DISTROLESS_TAGS.caBundle,
    zoneinfo: true,
    shell: null,
    users: DISTROLESS_USERS.map((u) => ({ name: u.name, uid: u.uid })),
    defaultUser: ROOT,
    workdir: '/',
    eol: img.eol,
    // distroless builds no images for a Debian release after its regular end: no LTS images
    extendedEol: null,
    extendedSupport: null,
    debug: false,
    source: img.source,
    checked: img.checked,
  };
}

function alpine(r: AlpineRelease): RuntimeInfo {
  const ssl = r.openssl === '3' ? ['libssl.so.3', 'libcrypto.so.3'] : ['libssl.so.1.1', 'libcrypto.so.1.1'];
  return {
    name: `alpine:${r.version}`,
    aliases: [`docker.io/library/alpine:${r.version}`, `library/alpine:${r.version}`],
    kind: 'alpine',
    libc: { family: 'musl', version: r.musl },
    arches: compareVersions(r.version, '3.20') >= 0 ? ALL_ARCHES : ALL_ARCHES.filter((a) => a !== 'riscv64'),
    // musl's loader doubles as libc.musl-<arch>.so.1; the other libc names are answered by the loader (see muslProvides).
    libraries: ['libz.so.1', ...ssl],
    usrMerged: USR_MERGED.alpine,
    symbolVersions: [],
    caCerts: true,
    caBundle: ALPINE_BASE_PACKAGES.caBundle,
    zoneinfo: false,
    shell: '/bin/sh',
    users: [ROOT, NOBODY],
    defaultUser: ROOT,
    workdir: '/',
    eol: r.eol,
    extendedEol: null,
    extendedSupport: null,
    debug: false,
    source: `${r.source}; contents: ${ALPINE_BASE_PACKAGES.source}`,
    checked: r.checked,
    ...(r.note ? { note: r.note } : {}),
  };
}

function glibcDistro(r: DistroRelease, name: string, aliases: string[], arches: string[]): RuntimeInfo {
  const symbolVersions: SymbolVersionProvider[] = [{ soname: 'libc.so.6', prefix: 'GLIBC_', max: r.glibc }];
  if (r.glibcxx) symbolVersions.push({ soname: 'libstdc++.so.6', prefix: 'GLIBCXX_', max: r.glibcxx });
  return {
    name,
    aliases,
    kind: r.distro,
    libc: { family: 'glibc', version: r.glibc },
    arches,
    libraries: [...LIBC6_SONAMES, ...r.libraries],
    usrMerged: compareVersions(r.version, r.distro === 'ubuntu' ? USR_MERGED.ubuntuFrom : USR_MERGED.debianFrom) >= 0,
    symbolVersions,
    caCerts: r.caCerts,
    caBundle: r.caCerts ? '/etc/ssl/certs/ca-certificates.crt' : null,
    zoneinfo: r.tzdata,
    shell: '/bin/sh',
    users: [ROOT, NOBODY],
    defaultUser: ROOT,
    workdir: '/',
    ...supportWindow(r),
    debug: false,
    source: r.source,
    checked: r.checked,
    ...(r.note ? { note: r.note } : {}),
  };
}

const DEBIAN_ARCHES = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x'];

function debian(r: DistroRelease): RuntimeInfo {
  // riscv64 became an official Debian architecture with 13 (trixie)
  const arches = compareVersions(r.version, '13') >= 0 ? [...DEBIAN_ARCHES, 'riscv64'] : DEBIAN_ARCHES;
  return glibcDistro(r, `debian:${r.codename}`, [`debian:${r.version}`, `debian:${r.codename}-slim`, `debian:${r.version}-slim`], arches);
}

function ubuntu(r: DistroRelease): RuntimeInfo {
  // the platforms of each ubuntu tag (docker-library/repo-info repos/ubuntu/remote/{bionic,focal,jammy-20260901.2,
  // noble}.md): riscv64 from 20.04 on, which dropped 386; 18.04 still had 386 and no riscv64
  const arches = ['amd64', 'arm64', 'arm', 'ppc64le', 's390x', ...(compareVersions(r.version, '20.04') >= 0 ? ['riscv64'] : ['386'])];
  return glibcDistro(r, `ubuntu:${r.version}`, [`ubuntu:${r.codename}`], arches);
}

/** The runtimes `gokiln inspect` judges by default, in report order. */
export const RUNTIMES: RuntimeInfo[] = [
  scratch,
  ...(['static', 'base', 'cc'] as const).flatMap((f) => DISTROLESS_IMAGES.filter((i) => i.flavour === f).map(distroless)),
  ...ALPINE_RELEASES.filter((r) => compareVersions(r.version, '3.18') >= 0).map(alpine),
  ...DEBIAN_RELEASES.filter((r) => r.inspectDefault).map(debian),
  ...UBUNTU_RELEASES.filter((r) => r.inspectDefault).map(ubuntu),
];

/** Every runtime findRuntime can resolve (adds base-nossl, older Alpine/Debian/Ubuntu, ubuntu 26.04). */
export const KNOWN_RUNTIMES: RuntimeInfo[] = [
  ...RUNTIMES,
  ...DISTROLESS_IMAGES.filter((i) => i.flavour === 'base-nossl').map(distroless),
  ...ALPINE_RELEASES.filter((r) => compareVersions(r.version, '3.18') < 0).map(alpine),
  ...DEBIAN_RELEASES.filter((r) => !r.inspectDefault).map(debian),
  ...UBUNTU_RELEASES.filter((r) => !r.inspectDefault).map(ubuntu),
];

/**
 * A runtime by what its reference names, as the image model (image-model.ts, `findRuntime`) read it: no
 * spelling is parsed here. A distroless tag picks the user, workdir and shell of that variant.
 */
export type RuntimeQuery =
  | { family: 'scratch' }
  | { family: 'distroless'; flavour: string; debian: number; tag: DistrolessTag }
  | { family: 'alpine'; release: string }
  | { family: 'debian'; codename: string }
  | { family: 'ubuntu'; version: string };

export type DistrolessTag = 'latest' | 'nonroot' | 'debug' | 'debug-nonroot';

export function runtimeFor(q: RuntimeQuery): RuntimeInfo | null {
  if (q.family === 'scratch') return scratch;
  const name =
    q.family === 'distroless'
      ? `distroless/${q.flavour}-debian${q.debian}`
      : q.family === 'alpine'
        ? `alpine:${q.release}`
        : q.family === 'debian'
          ? `debian:${q.codename}`
          : `ubuntu:${q.version}`;
  const base = KNOWN_RUNTIMES.find((r) => r.name === name) ?? null;
  if (!base || q.family !== 'distroless' || q.tag === 'latest') return base;
  const t = DISTROLESS_TAGS[q.tag];
  const user = DISTROLESS_USERS.find((u) => u.uid === t.uid) ?? DISTROLESS_USERS[0]!;
  return {
    ...base,
    name: `${base.name}:${q.tag}`,
    aliases: [],
    defaultUser: { name: user.name, uid: user.uid },
    workdir: t.workdir,
    shell: t.shell,
    debug: q.tag.startsWith('debug'),
  };
}

/**
 * The release a `latest` (or untagged) alpine/debian reference names as of the knowledge snapshot: the
 * newest release in the tables that was out by KNOWLEDGE_CHECKED. So a release added to the tables moves it.
 */
export function latestRelease(family: 'alpine' | 'debian'): string {
  const out = <T extends { version: string; released: string }>(list: T[]) =>
    list
      .filter((r) => r.released <= KNOWLEDGE_CHECKED)
      .sort((x, y) => compareVersions(x.version, y.version))
      .at(-1);
  if (family === 'alpine') return out(ALPINE_RELEASES)!.version;
  return out(DEBIAN_RELEASES)!.codename;
}

/** One accepted runtime for `--list-runtimes`: its name, whether inspect judges it by default, the spellings. */
export interface RuntimeListing {
  name: string;
  default: boolean;
  spellings: string[];
}

/**
 * Every runtime findRuntime (image-model.ts) accepts, with the spellings it accepts for each, generated from the tables
 * (names, aliases, distroless tags and the unsuffixed default release) so the list cannot drift from
 * the resolver. Spellings that only differ by a registry prefix (`docker.io/library/`, `gcr.io/`), an
 * `@digest` or a patch release are not repeated.
 */
export function runtimeListing(): RuntimeListing[] {
  const defaults = new Set(RUNTIMES.map((r) => r.name));
  return KNOWN_RUNTIMES.map((rt) => {
    const spellings = new Set<string>([rt.name, ...rt.aliases.filter((a) => !/^(gcr\.io|docker\.io|library)\//.test(a))]);
    if (rt.kind === 'distroless') {
      const m = /^distroless\/(.+)-debian(\d+)$/.exec(rt.name);
      const short = m && Number(m[2]) === DISTROLESS_DEFAULT_DEBIAN.debian ? `distroless/${m[1]}` : null;
      if (short) spellings.add(short);
      for (const tag of ['nonroot', 'debug', 'debug-nonroot']) {
        spellings.add(`${rt.name}:${tag}`);
        if (short) spellings.add(`${short}:${tag}`);
      }
    }
    if (rt.kind === 'alpine' && `alpine:${latestRelease('alpine')}` === rt.name) spellings.add('alpine');
    if (rt.kind === 'debian' && `debian:${latestRelease('debian')}` === rt.name) spellings.add('debian');
    return { name: rt.name, default: defaults.has(rt.name), spellings: [...spellings] };
  });
}

export const RUNTIMES_PROVENANCE = {
  source: `${SRC.distrolessConfig}; ${SRC.repoInfoAlpine}; ${SRC.debootstrap}; ${SRC.repoInfoUbuntu}`,
  checked: KNOWLEDGE_CHECKED,
} as const;
