/**
 * Go minor releases: first release day, end of support, newest patch known. Go supports each minor until
 * two newer minors exist, so a minor's support ends the day minor+2 is released.
 */
import { SRC, KNOWLEDGE_CHECKED } from './provenance.js';
import { GOLANG_IMAGE_HISTORY } from './golang-images.js';
import { compareVersions } from '../compare-versions.js';

export interface GoRelease {
  /** `1.24` */
  minor: string;
  /** Day X.Y.0 was released. */
  released: string;
  /** First day without support (release day of minor+2); null while not yet known. */
  eol: string | null;
  /** Newest patch release known (from the golang image history snapshot). */
  latestPatch: string;
  source: string;
  checked: string;
  /** Changes that matter to gokiln (linking, toolchain, platform floor). */
  notes: string[];
}

const RELEASED: Array<[string, string, string[]]> = [
  // before the golang image history: binaries built with them are still found (esbuild's npm builds use 1.15)
  ['1.11', '2018-08-24', ['modules behind GO111MODULE']],
  ['1.12', '2019-02-25', []],
  ['1.13', '2019-09-03', ['GOPROXY defaults to proxy.golang.org']],
  ['1.14', '2020-02-25', []],
  ['1.15', '2020-08-11', ['pclntab magic 0xfffffffb, the last release with the 1.2 layout']],
  ['1.16', '2021-02-16', ['pclntab magic 0xfffffffa', 'module mode by default (GO111MODULE=on)', 'embed package']],
  ['1.17', '2021-08-16', ['register ABI on amd64', 'pruned module graphs (go 1.17 in go.mod)']],
  [
    '1.18',
    '2022-03-15',
    ['pclntab magic 0xfffffff0', 'generics', 'build info records vcs.* and build settings (inline strings)', 'GOAMD64'],
  ],
  ['1.19', '2022-08-02', ['GOMEMLIMIT soft memory limit']],
  [
    '1.20',
    '2023-02-01',
    [
      'pclntab magic 0xfffffff1',
      'linker picks the glibc or musl interpreter at link time',
      'cgo off by default when no C compiler is found',
    ],
  ],
  ['1.21', '2023-08-08', ['go line is a strict minimum', 'toolchain directive and GOTOOLCHAIN', 'log/slog']],
  ['1.22', '2024-02-06', ['per-iteration loop variables (go 1.22 in go.mod)']],
  ['1.23', '2024-08-13', ['range over func', 'telemetry']],
  [
    '1.24',
    '2025-02-11',
    ['requires Linux kernel 3.2+', 'main module version from VCS tag (+dirty)', 'GNU build-id by default', 'tool directives in go.mod'],
  ],
  ['1.25', '2025-08-12', ['container-aware GOMAXPROCS']],
  [
    '1.26',
    '2026-02-10',
    ['.gopclntab in the rodata segment, textStart 0', 'moduledata in .go.module', '.gosymtab removed', 'ELF sections sorted by address'],
  ],
  ['1.27', '2026-08-19', ['.go.type, .go.func, .go.module, .go.fipsinfo sections']],
];

/** Last patch of the minors older than the golang image history (go.dev/doc/devel/release, golang.org/dl). */
const OLD_LAST_PATCH: Record<string, string> = {
  '1.11': '1.11.13',
  '1.12': '1.12.17',
  '1.13': '1.13.15',
  '1.14': '1.14.15',
  '1.15': '1.15.15',
};

export const GO_RELEASES: GoRelease[] = RELEASED.map(([minor, released, notes], i) => ({
  minor,
  released,
  eol: RELEASED[i + 2]?.[1] ?? null,
  latestPatch: GOLANG_IMAGE_HISTORY[minor]?.lastPatch ?? OLD_LAST_PATCH[minor] ?? `${minor}.0`,
  source: `${SRC.goReleaseNotes}; latest patch: ${GOLANG_IMAGE_HISTORY[minor] ? SRC.golangVersions : 'go.dev/doc/devel/release'}`,
  checked: KNOWLEDGE_CHECKED,
  notes,
}));

/** `go1.24.3`, `1.24`, `go1.24rc1` → `1.24`; anything else is returned as given. */
export function goMinor(v: string): string {
  const m = /^(?:go)?(\d+\.\d+)/.exec(v);
  return m ? m[1]! : v;
}

/** `go1.24.3`, `1.24.3`, `1.24`, `go1.24rc1` → the minor's record. */
export function goRelease(version: string): GoRelease | null {
  const m = /^(?:go)?(\d+\.\d+)/.exec(version.trim());
  if (!m) return null;
  return GO_RELEASES.find((r) => r.minor === m[1]) ?? null;
}

/** Minors still supported on `date` (ISO day). */
export function supportedGoMinors(date: string): string[] {
  return GO_RELEASES.filter((r) => r.released <= date && (r.eol === null || date < r.eol)).map((r) => r.minor);
}

/** Newest Go minor released on or before `date`. */
export function newestGoMinor(date: string): string | null {
  const rel = GO_RELEASES.filter((r) => r.released <= date).map((r) => r.minor);
  return rel.sort(compareVersions).at(-1) ?? null;
}
