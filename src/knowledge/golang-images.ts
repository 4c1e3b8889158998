/**
 * The official `golang` image (docker-library/golang): which Debian suites and Alpine releases each Go
 * release was published on, over time, and what every variant sets up. Read from versions.json at
 * every commit that touched it; a variant set starts at the Go patch release that was current when it
 * changed (the tags of that patch were re-pushed on the new bases).
 */
import { SRC, type Provenance, KNOWLEDGE_CHECKED } from './provenance.js';
import { alpineRelease } from './alpine.js';
import { DEBIAN_RELEASES, debianRelease } from './distros.js';
import { compareVersions } from '../compare-versions.js';
import { parseImageRef, type ImageRef } from './image-ref.js';

export { compareVersions };

export interface GolangVariantSet {
  /** First Go patch release published with this set. */
  from: string;
  /** Day the set appeared in versions.json (commit date). */
  since: string;
  /** Debian suites, default first (`golang:X.Y` is the first). */
  debian: string[];
  /** Alpine releases, newest first (`golang:X.Y-alpine` is the first). */
  alpine: string[];
}

export interface GolangMinorImages {
  /**
   * Newest patch release of this minor: from the image snapshot, and for the minors still supported after
   * it from the Go module proxy's toolchain list (SRC.goToolchains), which docker-library follows within days.
   */
  lastPatch: string;
  /** Last day this minor was seen listed (versions.json, or the proxy for the minors updated from it). */
  lastSeen: string;
  variants: GolangVariantSet[];
}

/**
 * Generated from `git log -- versions.json` of the snapshot (Go 1.16 on; Windows variants left out). When
 * a set changed twice at the same patch release only the later set is kept, dated from the first change
 * (1.16.0 was first published on buster alone, stretch followed on 2021-03-03).
 */
export const GOLANG_IMAGE_HISTORY: Record<string, GolangMinorImages> = {
  '1.16': {
    lastPatch: '1.16.15',
    lastSeen: '2022-03-03',
    variants: [
      { from: '1.16.0', since: '2021-02-16', debian: ['buster', 'stretch'], alpine: ['3.13', '3.12'] },
      { from: '1.16.5', since: '2021-06-16', debian: ['buster', 'stretch'], alpine: ['3.14', '3.13'] },
      { from: '1.16.7', since: '2021-08-16', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.14', '3.13'] },
      { from: '1.16.10', since: '2021-11-29', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.15', '3.14'] },
    ],
  },
  '1.17': {
    lastPatch: '1.17.13',
    lastSeen: '2022-08-01',
    variants: [
      { from: '1.17.0', since: '2021-08-16', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.14', '3.13'] },
      { from: '1.17.3', since: '2021-11-29', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.15', '3.14'] },
      { from: '1.17.10', since: '2022-05-24', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.16', '3.15'] },
      { from: '1.17.11', since: '2022-07-11', debian: ['bullseye', 'buster'], alpine: ['3.16', '3.15'] },
    ],
  },
  '1.18': {
    lastPatch: '1.18.10',
    lastSeen: '2023-01-12',
    variants: [
      { from: '1.18.0', since: '2022-03-15', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.15', '3.14'] },
      { from: '1.18.2', since: '2022-05-24', debian: ['bullseye', 'buster', 'stretch'], alpine: ['3.16', '3.15'] },
      { from: '1.18.3', since: '2022-07-11', debian: ['bullseye', 'buster'], alpine: ['3.16', '3.15'] },
      { from: '1.18.8', since: '2022-11-30', debian: ['bullseye', 'buster'], alpine: ['3.17', '3.16'] },
    ],
  },
  '1.19': {
    lastPatch: '1.19.13',
    lastSeen: '2023-09-08',
    variants: [
      { from: '1.19.0', since: '2022-08-02', debian: ['bullseye', 'buster'], alpine: ['3.16', '3.15'] },
      { from: '1.19.3', since: '2022-11-30', debian: ['bullseye', 'buster'], alpine: ['3.17', '3.16'] },
      { from: '1.19.9', since: '2023-05-10', debian: ['bullseye', 'buster'], alpine: ['3.18', '3.17'] },
      { from: '1.19.10', since: '2023-06-13', debian: ['bookworm', 'bullseye'], alpine: ['3.18', '3.17'] },
    ],
  },
  '1.20': {
    lastPatch: '1.20.14',
    lastSeen: '2024-02-06',
    variants: [
      { from: '1.20.0', since: '2023-02-01', debian: ['bullseye', 'buster'], alpine: ['3.17', '3.16'] },
      { from: '1.20.4', since: '2023-05-10', debian: ['bullseye', 'buster'], alpine: ['3.18', '3.17'] },
      { from: '1.20.5', since: '2023-06-13', debian: ['bookworm', 'bullseye'], alpine: ['3.18', '3.17'] },
      { from: '1.20.12', since: '2023-12-07', debian: ['bookworm', 'bullseye'], alpine: ['3.19', '3.18'] },
    ],
  },
  '1.21': {
    lastPatch: '1.21.13',
    lastSeen: '2024-08-06',
    variants: [
      { from: '1.21.0', since: '2023-08-08', debian: ['bookworm', 'bullseye'], alpine: ['3.18', '3.17'] },
      { from: '1.21.5', since: '2023-12-07', debian: ['bookworm', 'bullseye'], alpine: ['3.19', '3.18'] },
      { from: '1.21.10', since: '2024-05-22', debian: ['bookworm', 'bullseye'], alpine: ['3.20', '3.19'] },
    ],
  },
  '1.22': {
    lastPatch: '1.22.12',
    lastSeen: '2025-02-05',
    variants: [
      { from: '1.22.0', since: '2024-02-06', debian: ['bookworm', 'bullseye'], alpine: ['3.19', '3.18'] },
      { from: '1.22.3', since: '2024-05-22', debian: ['bookworm', 'bullseye'], alpine: ['3.20', '3.19'] },
      { from: '1.22.10', since: '2024-12-05', debian: ['bookworm', 'bullseye'], alpine: ['3.21', '3.20'] },
    ],
  },
  '1.23': {
    lastPatch: '1.23.12',
    lastSeen: '2025-08-12',
    variants: [
      { from: '1.23.0', since: '2024-08-13', debian: ['bookworm', 'bullseye'], alpine: ['3.20', '3.19'] },
      { from: '1.23.4', since: '2024-12-05', debian: ['bookworm', 'bullseye'], alpine: ['3.21', '3.20'] },
      { from: '1.23.9', since: '2025-05-30', debian: ['bookworm', 'bullseye'], alpine: ['3.22', '3.21'] },
      { from: '1.23.12', since: '2025-08-12', debian: ['trixie', 'bookworm'], alpine: ['3.22', '3.21'] },
    ],
  },
  '1.24': {
    lastPatch: '1.24.13',
    lastSeen: '2026-02-08',
    variants: [
      { from: '1.24.0', since: '2025-02-11', debian: ['bookworm', 'bullseye'], alpine: ['3.21', '3.20'] },
      { from: '1.24.3', since: '2025-05-30', debian: ['bookworm', 'bullseye'], alpine: ['3.22', '3.21'] },
      { from: '1.24.6', since: '2025-08-12', debian: ['trixie', 'bookworm'], alpine: ['3.22', '3.21'] },
      { from: '1.24.11', since: '2025-12-03', debian: ['trixie', 'bookworm'], alpine: ['3.23', '3.22'] },
    ],
  },
  '1.25': {
    lastPatch: '1.25.14',
    lastSeen: '2026-08-19',
    variants: [
      { from: '1.25.0', since: '2025-08-12', debian: ['trixie', 'bookworm'], alpine: ['3.22', '3.21'] },
      { from: '1.25.5', since: '2025-12-03', debian: ['trixie', 'bookworm'], alpine: ['3.23', '3.22'] },
      { from: '1.25.11', since: '2026-06-10', debian: ['trixie', 'bookworm'], alpine: ['3.24', '3.23'] },
    ],
  },
  '1.26': {
    lastPatch: '1.26.11',
    lastSeen: KNOWLEDGE_CHECKED,
    variants: [
      { from: '1.26.0', since: '2026-02-10', debian: ['trixie', 'bookworm'], alpine: ['3.23', '3.22'] },
      { from: '1.26.4', since: '2026-06-10', debian: ['trixie', 'bookworm'], alpine: ['3.24', '3.23'] },
    ],
  },
  '1.27': {
    lastPatch: '1.27.4',
    lastSeen: KNOWLEDGE_CHECKED,
    variants: [{ from: '1.27.0', since: '2026-08-19', debian: ['trixie', 'bookworm'], alpine: ['3.24', '3.23'] }],
  },
};

export const GOLANG_IMAGE_PROVENANCE: Provenance = {
  source: `${SRC.golangVersions}; newest patches of 1.26 and 1.27: ${SRC.goToolchains}`,
  checked: KNOWLEDGE_CHECKED,
};

/** Environment every golang image sets (Dockerfile-linux.template). */
export const GOLANG_IMAGE_ENV = {
  GOPATH: '/go',
  PATH: '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  GOROOT: '/usr/local/go',
  WORKDIR: '/go',
  source: SRC.golangTemplate,
  checked: KNOWLEDGE_CHECKED,
} as const;

/**
 * `ENV GOTOOLCHAIN=local` was added to the template on this day (commit b643595, docker-library/golang#472):
 * images built since never download a newer toolchain for a go.mod asking for one, they fail instead.
 */
export const GOTOOLCHAIN_LOCAL_SINCE = {
  value: '2023-09-15',
  source: SRC.golangTemplate + ' git log -S GOTOOLCHAIN',
  checked: KNOWLEDGE_CHECKED,
} as const;

/** Go patch releases whose images were last built before GOTOOLCHAIN_LOCAL_SINCE (1.21.0 was replaced by 1.21.1 on 2023-09-06). */
const BUILT_BEFORE_GOTOOLCHAIN_LOCAL = new Set(['1.21.0']);

/**
 * What the variants install: Debian ones are `buildpack-deps:<suite>-scm` plus `g++ gcc libc6-dev make
 * pkg-config`, so a C compiler is there and cgo is on by default (`go env CGO_ENABLED` is 1 when `gcc`
 * is found); Alpine ones add only `ca-certificates` to `alpine:<release>` — no gcc, no musl-dev — so cgo
 * defaults to off and `apk add gcc musl-dev` is needed for it.
 */
export const GOLANG_VARIANT_PACKAGES = {
  debian: { base: 'buildpack-deps:<suite>-scm', added: ['g++', 'gcc', 'libc6-dev', 'make', 'pkg-config'], cgoToolchain: true },
  alpine: { base: 'alpine:<release>', added: ['ca-certificates'], cgoToolchain: false },
  source: SRC.golangTemplate,
  checked: KNOWLEDGE_CHECKED,
} as const;

export interface GolangImage {
  /** The tag as given, without `golang:`/registry prefix and digest. */
  tag: string;
  /** The Go version the tag names: `1.26`, `1.24.3`; null for `latest`/`alpine`/suite-only tags. */
  goVersion: string | null;
  /** `1.26`. */
  goMinor: string;
  /** The patch release the tag pointed at last, as far as the snapshot knows (`1.26.7`). */
  resolvedGoVersion: string;
  os: 'alpine' | 'debian';
  /** `trixie`, `bookworm` or an Alpine `3.23`. */
  release: string;
  /** The tag spells the release (`-alpine3.23`, `-bookworm`) rather than taking the default. */
  releaseExplicit: boolean;
  libc: 'glibc' | 'musl';
  /** glibc (`2.41`) or musl (`1.2.5`) version of that release; null if the knowledge base lacks it. */
  libcVersion: string | null;
  /** A C compiler is installed, so CGO_ENABLED defaults to 1. */
  hasCgoToolchain: boolean;
  /** `GOTOOLCHAIN=local` is set (null for Go before 1.21, which has no GOTOOLCHAIN). */
  gotoolchainLocal: boolean | null;
  /** The (Go, variant) pair was really published, per versions.json history. */
  published: boolean;
  source: string;
  checked: string;
}

/** Suites a golang tag may name: every Debian release in the tables, and forky, the testing suite with no release record yet. */
const DEBIAN_SUITES = new Set([...DEBIAN_RELEASES.map((r) => r.codename), 'forky']);

function minorOf(v: string): string {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]}.${m[2]}` : v;
}

/** Newest Go minor the image repository publishes (first non-rc key of versions.json). */
export function newestGolangMinor(): string {
  return Object.keys(GOLANG_IMAGE_HISTORY).sort(compareVersions).at(-1) ?? '1.27';
}

/** The variant set a patch release's tags carried last. */
export function golangVariantsFor(goVersion: string): GolangVariantSet | null {
  const minor = GOLANG_IMAGE_HISTORY[minorOf(goVersion)];
  if (!minor) return null;
  const patch = goVersion.split('.').length === 2 ? minor.lastPatch : goVersion;
  let found: GolangVariantSet | null = null;
  for (const v of minor.variants) if (compareVersions(v.from, patch) <= 0) found = v;
  return found;
}

/**
 * Parses a golang image reference: `golang:1.23-alpine3.20`, `golang:1.26`, `golang:1.25-bookworm`,
 * `golang:1.24.3-alpine`, `docker.io/library/golang:1.26@sha256:…`, `golang` (= latest). Returns null
 * for tags it does not understand (rc, tip, windows, a Go minor it has no history for).
 */
export function golangImage(ref: string | ImageRef): GolangImage | null {
  // the one parse of a reference (image-ref.ts): Docker Hub's golang only; mirrors are mapped by the image model
  const r = typeof ref === 'string' ? parseImageRef(ref) : ref;
  if (r.registry !== undefined || r.repository !== 'golang') return null;
  const tag = r.tag ?? 'latest';

  const m = /^(?:(\d+(?:\.\d+){0,2}))?(?:-?(alpine(\d+\.\d+)?|[a-z]+))?$/.exec(tag === 'latest' ? '' : tag);
  if (!m) return null;
  const [, ver, variant, alpineVer] = m;
  if (ver === undefined && variant === undefined && tag !== 'latest') return null;
  if (ver !== undefined && variant !== undefined && !tag.includes('-')) return null;

  let goVersion: string | null = ver ?? null;
  if (goVersion === '1') goVersion = null; // `golang:1` follows latest
  if (goVersion !== null && goVersion.split('.').length < 2) return null;
  const goMinor = goVersion ? minorOf(goVersion) : newestGolangMinor();
  const history = GOLANG_IMAGE_HISTORY[goMinor];
  if (!history) return null;
  const resolvedGoVersion = goVersion && goVersion.split('.').length === 3 ? goVersion : history.lastPatch;
  const set = golangVariantsFor(resolvedGoVersion);
  if (!set) return null;

  let os: 'alpine' | 'debian';
  let release: string | undefined;
  let explicit = false;
  if (variant === undefined) {
    os = 'debian';
    release = set.debian[0];
  } else if (variant.startsWith('alpine')) {
    os = 'alpine';
    release = alpineVer ?? set.alpine[0];
    explicit = alpineVer !== undefined;
  } else if (DEBIAN_SUITES.has(variant)) {
    os = 'debian';
    release = variant;
    explicit = true;
  } else {
    return null;
  }
  if (release === undefined) return null;
  const rel = release;
  const carries = (v: GolangVariantSet): boolean => (os === 'alpine' ? v.alpine : v.debian).includes(rel);
  const published = history.variants.some(carries);
  // A release named in the tag may have been dropped before the minor's last patch: the tag then stopped
  // at the patch that was current when the variant set changed (it was published on the old set too).
  let resolved = resolvedGoVersion;
  if (explicit && !carries(set) && published && !(goVersion && goVersion.split('.').length === 3)) {
    const idx = history.variants.map(carries).lastIndexOf(true);
    resolved = history.variants[idx + 1]?.from ?? resolved;
  }
  const libcVersion = os === 'alpine' ? (alpineRelease(release)?.musl ?? null) : (debianRelease(release)?.glibc ?? null);
  const gotoolchainLocal = compareVersions(goMinor, '1.21') < 0 ? null : !BUILT_BEFORE_GOTOOLCHAIN_LOCAL.has(resolved);
  return {
    tag,
    goVersion,
    goMinor,
    resolvedGoVersion: resolved,
    os,
    release,
    releaseExplicit: explicit,
    libc: os === 'alpine' ? 'musl' : 'glibc',
    libcVersion,
    // from the variant table (gcc in the Debian variants' added packages), not a second copy of that fact
    hasCgoToolchain: GOLANG_VARIANT_PACKAGES[os].cgoToolchain,
    gotoolchainLocal,
    published,
    source: SRC.golangVersions,
    checked: KNOWLEDGE_CHECKED,
  };
}
