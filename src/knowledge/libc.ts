/**
 * Where each libc keeps its dynamic loader and libraries, per Go architecture name. The loader path is
 * what a dynamically linked program's PT_INTERP names: the kernel opens it before the program runs, so a
 * missing one fails the exec itself (ENOENT), before any library is looked at.
 */
import { SRC, type Provenance, KNOWLEDGE_CHECKED, IMAGES_CHECKED } from './provenance.js';
import { compareVersions } from '../compare-versions.js';

export type GoArch = 'amd64' | 'arm64' | 'arm' | '386' | 'ppc64le' | 's390x' | 'riscv64';

export const GLIBC_LOADERS: Record<GoArch, string> = {
  amd64: '/lib64/ld-linux-x86-64.so.2',
  arm64: '/lib/ld-linux-aarch64.so.1',
  arm: '/lib/ld-linux-armhf.so.3',
  '386': '/lib/ld-linux.so.2',
  ppc64le: '/lib64/ld64.so.2',
  s390x: '/lib/ld64.so.1',
  riscv64: '/lib/ld-linux-riscv64-lp64d.so.1',
};

/** Debian multiarch triplets: glibc libraries live in /lib/<triplet>/ (also what glibc names in its errors). */
export const DEBIAN_TRIPLETS: Record<GoArch, string> = {
  amd64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  '386': 'i386-linux-gnu',
  ppc64le: 'powerpc64le-linux-gnu',
  s390x: 's390x-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
};

/** Debian's name for each Go architecture (dpkg --print-architecture; the `binary-<arch>` of the archive). */
export const DEBIAN_ARCH: Record<GoArch, string> = {
  amd64: 'amd64',
  arm64: 'arm64',
  arm: 'armhf',
  '386': 'i386',
  ppc64le: 'ppc64el',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** musl's loader is its libc: /lib/ld-musl-<arch>.so.1 (arch in musl's own naming). */
export const MUSL_ARCH: Record<GoArch, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armhf',
  '386': 'i386',
  ppc64le: 'powerpc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function glibcLoader(arch: string): string | null {
  return (GLIBC_LOADERS as Record<string, string>)[arch] ?? null;
}

export function muslLoader(arch: string): string | null {
  const a = (MUSL_ARCH as Record<string, string>)[arch];
  return a ? `/lib/ld-musl-${a}.so.1` : null;
}

/** The path glibc prints for a library it loaded from the system directories (Debian layout). */
export function debianLibPath(arch: string, soname: string): string {
  const t = (DEBIAN_TRIPLETS as Record<string, string>)[arch];
  return t ? `/lib/${t}/${soname}` : `/lib/${soname}`;
}

/**
 * Shared objects the libc6 package installs (plus the loader). glibc 2.34 merged libpthread, libdl,
 * librt, libutil and libanl into libc.so.6 but still ships the old sonames as stubs, so binaries linked
 * against older glibc keep loading.
 */
export const LIBC6_SONAMES = [
  'libc.so.6',
  'libm.so.6',
  'libmvec.so.1',
  'libpthread.so.0',
  'libdl.so.2',
  'librt.so.1',
  'libresolv.so.2',
  'libutil.so.1',
  'libanl.so.1',
  'libnss_files.so.2',
  'libnss_dns.so.2',
  'libnss_compat.so.2',
  'libnss_hesiod.so.2',
  'libnsl.so.1',
  'libBrokenLocale.so.1',
  'libthread_db.so.1',
] as const;

export const LIBC6_PROVENANCE: Provenance = {
  source: SRC.hostLibc6,
  checked: KNOWLEDGE_CHECKED,
  note: 'the same set is assumed for libc6 2.31 (bullseye) and 2.41 (trixie); libmvec exists on amd64 and arm64 only',
};

/**
 * musl's loader answers for these names itself (ldso/dynlink.c treats `libc`, `libpthread`, `librt`,
 * `libm`, `libdl`, `libutil`, `libxnet` followed by `.` as the already-loaded libc), so a musl program
 * linked with musl-gcc (DT_NEEDED `libc.so`) or on Alpine (`libc.musl-x86_64.so.1`) runs wherever the
 * loader exists.
 */
export function muslProvides(soname: string, arch: string): boolean {
  if (/^lib(c|pthread|rt|m|dl|util|xnet)\./.test(soname)) return true;
  const a = (MUSL_ARCH as Record<string, string>)[arch];
  return a !== undefined && soname === `libc.musl-${a}.so.1`;
}

export const MUSL_RESERVED_PROVENANCE: Provenance = {
  source: SRC.muslLdso,
  checked: KNOWLEDGE_CHECKED,
  note: 'verified by running a musl-gcc binary (DT_NEEDED libc.so) in a rootfs that holds only /lib/ld-musl-x86_64.so.1',
};

/**
 * The highest GLIBC_ symbol version a cgo Go program needs for Go's own C code (runtime/cgo, and the cgo
 * parts of net and os/user) when it is linked against glibc 2.34 or newer. glibc 2.34 merged libpthread,
 * libdl, libutil and libanl into libc.so.6 and gave the moved functions (pthread_create, pthread_attr_*,
 * dlopen…) the new version GLIBC_2.34, so such a program needs GLIBC_2.34 — and nothing newer from Go's
 * side: it runs on any glibc >= 2.34 (Ubuntu 22.04's 2.35 included). Linked against an older glibc, it
 * needs at most that glibc's version. The program's own C code (import "C") and C libraries may need newer
 * symbols of the builder's glibc (e.g. __isoc23_strtol@GLIBC_2.38 from C23 headers), which Go's do not.
 */
export const GO_CGO_GLIBC_FLOOR: Provenance & { value: string; since: string } = {
  value: '2.34',
  since: '2.34',
  source:
    'glibc 2.34 NEWS (released 2021-08-02): "all functionality formerly implemented in the libraries libpthread, libdl, libutil, libanl has been integrated into libc"; ' +
    'verified with readelf -V on CGO_ENABLED=1 go1.26 builds (net/http + os/user; a trivial import "C") linked against glibc 2.36 (Debian 12): GLIBC_2.2.5, 2.3.2, 2.32, 2.34, nothing newer (test/dockerfile/ground-truth.test.ts)',
  checked: KNOWLEDGE_CHECKED,
  note: "checked for amd64 builds on glibc 2.36; a newer glibc adds versions only for new functions, which Go's C code does not call",
};

/** What Go's own cgo code needs from the runtime's glibc, given the glibc the program was linked against. */
export function goCgoGlibcNeed(builderGlibc: string): string {
  return compareVersions(builderGlibc, GO_CGO_GLIBC_FLOOR.since) >= 0 ? GO_CGO_GLIBC_FLOOR.value : builderGlibc;
}

/**
 * Merged /usr: /lib, /lib64 (and /bin, /sbin) are links into /usr, so a file is found under both
 * spellings (`/lib64/ld-linux-x86-64.so.2` and `/usr/lib64/ld-linux-x86-64.so.2`). Otherwise only the
 * path the package installed exists. Per image family, from the first release built merged.
 */
export const USR_MERGED: Provenance & { debianFrom: string; ubuntuFrom: string; distrolessFrom: number; alpine: boolean } = {
  debianFrom: '12',
  ubuntuFrom: '20.04',
  distrolessFrom: 13,
  alpine: false,
  source:
    'debian: debuerreotype/debuerreotype#143 (merged /usr for bookworm, 2022-09-16) and #50 (split for released suites); ' +
    'ubuntu: debootstrap scripts/gutsy (bionic and older split) and debuerreotype/docker-debian-artifacts#180 (focal and jammy images ship /bin -> usr/bin); ' +
    'distroless: README "Debian 13 distroless images use the debian UsrMerge scheme", private/repos/deb/deb.MODULE.bazel mergedusr = trixie only (snapshot cd08076)',
  checked: IMAGES_CHECKED,
  note: 'Alpine keeps /lib and /usr/lib apart in the releases gokiln knows (its loader is only /lib/ld-musl-<arch>.so.1)',
};
