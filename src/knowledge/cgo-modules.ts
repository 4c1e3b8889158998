/**
 * Go modules that need cgo to do their job, and the system packages their C side needs at build time and
 * at run time. Used by lint and plan to pick the cgo paradigm and the packages to install.
 */
import { SRC } from './provenance.js';

export interface CgoModule {
  /** Module path (a package path under it matches too). */
  module: string;
  /** What happens without cgo. */
  withoutCgo: string;
  /** Packages to build against (Debian, Alpine) when not vendored/bundled. */
  build: { debian: string[]; alpine: string[] };
  /** Shared libraries the binary will need at run time ([] when the C code is compiled in). */
  runtimeLibraries: string[];
  source: string;
  checked: string;
  note?: string;
}

export const CGO_MODULES: CgoModule[] = [
  {
    module: 'github.com/mattn/go-sqlite3',
    withoutCgo: "builds, then fails at run time: \"Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub\"",
    build: { debian: ['gcc', 'libc6-dev'], alpine: ['gcc', 'musl-dev'] },
    runtimeLibraries: [],
    source: `${SRC.facts}; mattn/go-sqlite3 README (SQLite amalgamation compiled in unless -tags libsqlite3)`,
    checked: '2026-11-26',
    note: 'with -tags libsqlite3 it links the system libsqlite3.so.0 (Debian libsqlite3-dev / Alpine sqlite-dev to build)',
  },
];

export function cgoModule(modulePath: string): CgoModule | null {
  return CGO_MODULES.find((m) => modulePath === m.module || modulePath.startsWith(m.module + '/')) ?? null;
}
