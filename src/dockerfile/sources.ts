/**
 * The linter's view of a build context's Go sources: the Go-source model (src/gosrc/) summarised into the
 * SourceFacts the rules read, with the packages kept by directory for cgoLinkage. No reading of its own.
 */
import type { SourceFacts } from './model.js';
import { sourcesFromFiles, type GoSources, type SourcePackage } from '../gosrc/sources.js';
import { summarizeSources } from '../gosrc/summary.js';

export { goImports } from '../gosrc/file.js';
export { KNOWN_GOARCH, fileArch } from '../gosrc/target.js';
export type { GoFile } from '../gosrc/file.js';

/** The non-test files of one directory of the module: a package. */
export type LocalPackage = SourcePackage;

/** The facts of the whole module, and the same sources package by package. */
export interface ScannedSources extends SourceFacts {
  /** by directory in the build context (`` for its root) */
  packages: Record<string, LocalPackage>;
}

/** From the model's sources: the summary for a linux build and the packages. */
export function scannedFrom(src: GoSources): ScannedSources {
  return { ...summarizeSources(src), packages: src.packages };
}

/** Sources held in memory (tests): `{ path, text }` per file, paths from the context root. */
export function scanGoSources(files: { path: string; text: string }[]): ScannedSources {
  return scannedFrom(sourcesFromFiles(files));
}
