/**
 * What the lint rules need to know about images and Go releases, as one small interface. The facts
 * themselves live in src/knowledge (with their sources and dates); this file only adapts them, so rules
 * never hold a fact of their own and tests can see exactly which questions a rule asks.
 */
import type { ImageRef } from '../knowledge/image-ref.js';
import type { SupportWindow } from '../knowledge/eol.js';

export type Distro = 'alpine' | 'debian' | 'ubuntu';
export type ImageKind = 'scratch' | 'golang' | 'alpine' | 'debian' | 'ubuntu' | 'distroless' | 'busybox' | 'unknown';

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
}

export interface LintKnowledge {
  image(ref: ImageRef): ImageFacts;
  /** ISO date on which support for this Go minor (`1.23`) ended or ends; undefined if unknown */
  goSupportEnd(goMinor: string): string | undefined;
  /** first day without support for this OS release (`eol`), and without extended support (LTS/ESM) and how it is had; undefined if unknown */
  osSupport(distro: Distro | 'distroless', release: string): SupportWindow | undefined;
  /** a module that needs cgo to do its job (e.g. github.com/mattn/go-sqlite3), with the note to show */
  cgoOnlyModule(modulePath: string): { note: string } | undefined;
  /** what a GOAMD64=`level` program prints when the CPU is below that level */
  cpuLevelRefusal(level: string): string;
  /**
   * The highest glibc version Go's own C code (runtime/cgo, the cgo parts of net and os/user) needs of a
   * cgo program linked against `builderGlibc`: 2.34 from glibc 2.34 on (libpthread merged into libc), the
   * builder's version before that. The program's own C code and C libraries may need more.
   */
  goCgoGlibcNeed(builderGlibc: string): string;
  /**
   * Runtime images on the same OS release as `os` (so with the same glibc), in support on `today`:
   * `debian:bookworm-slim`, `gcr.io/distroless/base-debian12`…; empty when none is known.
   */
  sameReleaseRuntimes(os: { distro: Distro; release: string }, today: string): string[];
  /** the words runc stops a container with when USER names a user (or group) the image lacks */
  userLookupFailure(kind: 'user' | 'group', name: string): string;
  /** where a source fact was taken from, shown in rule docs */
  source: string;
}
