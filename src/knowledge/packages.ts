/**
 * Package managers as lint reads a RUN line: which options take a value (so the value is not a package
 * name) and what meta-packages pull in, for the packages lint reasons about (a C compiler and C headers).
 */
import type { Provenance } from './provenance.js';
import { IMAGES_CHECKED } from './provenance.js';

export type PackageManager = 'apk' | 'apt' | 'dnf';

export interface OptionTable extends Provenance {
  /** options followed by a separate value word (`-t NAME`, `--repository URL`) */
  withValue: readonly string[];
}

/**
 * apk-tools 2.x: global options with an argument, and `add`'s own (`-t/--virtual NAME`). `--opt=value`
 * forms carry their value in the same word and need no entry.
 */
export const APK_OPTIONS: OptionTable = {
  withValue: [
    '-t',
    '--virtual',
    '-X',
    '--repository',
    '-p',
    '--root',
    '--arch',
    '--cache-dir',
    '--keys-dir',
    '--repositories-file',
    '--wait',
    '--timeout',
    '--progress-fd',
    '--cache-max-age',
  ],
  source:
    'apk(8) and apk-add(8), apk-tools 2.14 (wiki.alpinelinux.org/wiki/Alpine_Package_Keeper; gitlab.alpinelinux.org/alpine/apk-tools doc/apk.8.scd, doc/apk-add.8.scd)',
  checked: IMAGES_CHECKED,
};

/** apt-get(8) and apt(8): the options that take an argument. */
export const APT_OPTIONS: OptionTable = {
  withValue: [
    '-o',
    '--option',
    '-c',
    '--config-file',
    '-t',
    '--target-release',
    '--default-release',
    '-a',
    '--host-architecture',
    '-P',
    '--build-profiles',
  ],
  source: 'apt-get(8), Debian apt 2.6 (manpages.debian.org/bookworm/apt/apt-get.8.en.html, OPTIONS)',
  checked: IMAGES_CHECKED,
};

/** dnf(8), yum(8), microdnf: options with a separate argument. */
export const DNF_OPTIONS: OptionTable = {
  withValue: [
    '-x',
    '--exclude',
    '--enablerepo',
    '--disablerepo',
    '--releasever',
    '--installroot',
    '-c',
    '--config',
    '--setopt',
    '--repo',
    '--repoid',
  ],
  source: 'dnf(8) OPTIONS (dnf.readthedocs.io/en/latest/command_ref.html)',
  checked: IMAGES_CHECKED,
};

export const OPTION_TABLES: Record<PackageManager, OptionTable> = { apk: APK_OPTIONS, apt: APT_OPTIONS, dnf: DNF_OPTIONS };

export interface MetaPackage extends Provenance {
  manager: PackageManager;
  name: string;
  /** the dependencies lint cares about (a C compiler, libc headers, make) */
  brings: readonly string[];
}

export const META_PACKAGES: readonly MetaPackage[] = [
  {
    manager: 'apk',
    name: 'build-base',
    brings: ['binutils', 'file', 'fortify-headers', 'g++', 'gcc', 'libc-dev', 'make', 'musl-dev', 'patch'],
    source:
      'Alpine aports main/build-base/APKBUILD (depends="binutils file gcc g++ make libc-dev fortify-headers patch"); libc-dev is musl-dev on Alpine (pkgs.alpinelinux.org/package/edge/main/x86_64/build-base)',
    checked: IMAGES_CHECKED,
  },
  {
    manager: 'apk',
    name: 'alpine-sdk',
    brings: ['abuild', 'build-base', 'binutils', 'g++', 'gcc', 'git', 'libc-dev', 'make', 'musl-dev'],
    source: 'Alpine aports main/alpine-sdk/APKBUILD (depends="abuild build-base git"), build-base as above',
    checked: IMAGES_CHECKED,
  },
  {
    manager: 'apk',
    name: 'libc-dev',
    brings: ['musl-dev'],
    source: 'Alpine aports main/libc-dev/APKBUILD (depends on musl-dev for the default libc)',
    checked: IMAGES_CHECKED,
  },
  {
    manager: 'apt',
    name: 'build-essential',
    brings: ['dpkg-dev', 'g++', 'gcc', 'libc6-dev', 'make'],
    source:
      'Debian build-essential package (Depends: libc6-dev | libc-dev, gcc, g++, make, dpkg-dev); `apt-cache depends build-essential` on Debian 12',
    checked: IMAGES_CHECKED,
  },
  {
    manager: 'dnf',
    name: 'gcc',
    brings: ['gcc', 'glibc-devel'],
    source: 'RHEL/Fedora gcc package Requires glibc-devel (rpm -qR gcc)',
    checked: IMAGES_CHECKED,
  },
];

/** The package and what it brings; the package alone when it is no meta-package gokiln knows. */
export function packageProvides(manager: PackageManager, name: string): readonly string[] {
  const m = META_PACKAGES.find((p) => p.manager === manager && p.name === name);
  return m ? [name, ...m.brings] : [name];
}
