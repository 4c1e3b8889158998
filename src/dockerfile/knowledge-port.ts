/**
 * What the lint rules need to know about images and Go releases, as one small interface. The facts
 * themselves live in src/knowledge (with their sources and dates); this file only adapts them, so rules
 * never hold a fact of their own and tests can see exactly which questions a rule asks.
 */
import type { ImageRef } from '../knowledge/image-ref.js';
import type { SupportWindow } from '../knowledge/eol.js';
import type { Distro, ImageFacts } from '../knowledge/image-model.js';
import type { RecommendedImages } from '../knowledge/image-choice.js';
import type { PackageManager } from '../knowledge/packages.js';

export type { Distro, ImageKind, ImageFacts } from '../knowledge/image-model.js';
export type { RecommendedImages } from '../knowledge/image-choice.js';

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
  /** the tags gokiln recommends on `today` (newest Go, its Alpine and Debian), for fixes; without a day, the newest the tables know */
  recommended(today?: string): RecommendedImages;
  /**
   * What installing `name` with a package manager brings that lint reasons about (gcc, musl-dev, libc6-dev…):
   * the package itself and, for meta-packages such as build-base or build-essential, what they depend on.
   */
  packageProvides(manager: PackageManager, name: string): readonly string[];
  /** where a source fact was taken from, shown in rule docs */
  source: string;
}
