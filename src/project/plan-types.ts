/**
 * The shape of a container plan (schemas/plan.schema.json): the per-binary and module-wide verdicts, the
 * libraries and reasons. plan.ts computes it; generators and reporters read only these types.
 */
import type { ProjectScan, MainPackage } from './scan.js';
import type { VersionStamp } from './version-stamp.js';
import type { Serving } from './serving.js';
import type { ImageChoice } from '../knowledge/image-choice.js';

export type Paradigm = 'alpine' | 'ubuntu' | 'distroless';

export interface PlanLibrary {
  name: string;
  via: Array<'pkg-config' | 'ldflags' | 'module'>;
  /** Names as written in the source (`zlib`, `-lz`). */
  refs: string[];
  /** DT_NEEDED names the binary will carry for it. */
  sonames: string[];
  packages: string[];
  debian: { build: string[]; runtime: string[] };
  alpine: { build: string[]; runtime: string[] };
  source: string;
}

export interface Reason {
  code: string;
  message: string;
}

export interface Alternative {
  paradigm: Paradigm;
  viable: boolean;
  tradeoffs: { size: string; attackSurface: string; debuggability: string; buildTime: string };
  caveats: string[];
}

/** One command of the module: whether it is built, what it links, and its own paradigm and runtime. */
export interface PlanBinary extends MainPackage {
  /** built into an image (see `excluded` for why not, and --binary / --all-binaries) */
  selected: boolean;
  /** why it is left out by default (an example, a test, a tool); null for a program to ship */
  excluded: string | null;
  /** the module's main binary: the last stage, the one a plain `docker build` builds */
  main: boolean;
  cgo: { required: boolean; own: ProjectScan['cgo']['own']; deps: Array<{ pkg: string; module: string }>; libcOnly: boolean; cxx: boolean };
  /** names of the C libraries it links (entries of the plan's `libraries`) and those gokiln cannot map */
  libraries: string[];
  unknownLibraries: string[];
  needs: { caCerts: boolean; tzdata: boolean };
  paradigm: Paradigm;
  /** its runtime image per paradigm, as the generator writes it */
  runtimes: Record<Paradigm, string>;
  /** the paradigms it runs on */
  viable: Paradigm[];
  reasons: Reason[];
  /** the variable its version is stamped into, and where the project says so; null: none found */
  version: VersionStamp | null;
  /** literal listen ports and a health path it serves, each with its source */
  serving: Serving;
}

export interface Plan {
  schema: 'gokiln/plan@1';
  dir: string;
  module: string | null;
  scan: { method: ProjectScan['method']; note: string | null };
  go: { mod: string | null; toolchain: string | null; builderMinor: string; beyondKnownImages: boolean; raisedFrom: string | null };
  /** The day support windows were judged on. */
  today: string;
  /** Every command of the module, in directory order; the module-wide fields below cover the selected ones. */
  binaries: PlanBinary[];
  /** The main binary's name and why it is the main one; null without a selected binary. */
  mainBinary: { name: string; why: string } | null;
  /** Directories of the main module's packages (`.`, `./internal/x`), so generators never exclude them. */
  packageDirs: string[];
  /** `//go:embed` patterns of those packages (package directory and pattern): what they match is never excluded from the build context. */
  embedPatterns: ProjectScan['embedPatterns'];
  cgo: {
    required: boolean;
    own: ProjectScan['cgo']['own'];
    deps: Array<{ pkg: string; module: string; note: string | null }>;
    /** Every linked library is libc or compiled in from bundled sources: glibc alone suffices at run time. */
    libcOnly: boolean;
    cxx: boolean;
  };
  libraries: PlanLibrary[];
  /** `-l`/pkg-config names gokiln has no package mapping for. */
  unknownLibraries: string[];
  needs: {
    caCerts: boolean;
    tzdata: boolean;
    tzdataEmbedded: boolean;
    osUser: boolean;
    dns: boolean;
    dnsResolver: 'go' | 'cgo-capable' | null;
    embed: boolean;
    pprof: boolean;
  };
  vendor: ProjectScan['vendor'];
  recommended: { paradigm: Paradigm; reasons: Reason[] };
  alternatives: Alternative[];
  images: ImageChoice;
  /** Runtime image per paradigm, as the generator will write it. */
  runtimes: Record<Paradigm, string>;
  /** Evidence behind `needs`, one line each. */
  evidence: string[];
  warnings: Reason[];
}
