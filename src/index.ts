/** gokiln's library API: re-exports, and the one place build is wired to verify's checks (two modules of one layer). The CLI (src/cli) is a thin layer over these. */
export { GokilnError, isGokilnError, type ErrorCode } from './errors.js';
export type { ByteSource } from './formats/source.js';
export { BufferSource } from './formats/source.js';
export { FileSource } from './io/file-source.js';
export { hasZstd, zstdDecompressor } from './io/zstd.js';
export type * from './formats/binary.js';
export type * from './formats/go/types.js';
export type * from './analysis/types.js';

// binary formats (pure: bytes in, typed data out)
export { parseBinary, detectFormat } from './formats/open.js';
export { parseElf } from './formats/elf/index.js';
export { parseMacho } from './formats/macho/index.js';
export { parsePe } from './formats/pe/index.js';
export { readBuildInfo, readPclntab, identifyGo, packageOf, deriveMainVersion, readGoNameTable } from './formats/go/index.js';

// inspect: facts, needs and per-runtime verdicts
export { inspectFile, inspectSource, type InspectOptions } from './analysis/inspect.js';
export { inspectFiles, type InspectManyOptions } from './analysis/inspect-many.js';
export { verdictsFor, type BinaryFacts, type VerdictOptions } from './analysis/verdict.js';
export { copiedBinaryJudge, type CopiedBinaryJudge } from './analysis/copied-binary.js';
export { needsFromGo } from './analysis/needs.js';
export { RUNTIMES, findRuntime } from './analysis/runtimes.js';

// size
export { sizeFile, sizeSource, type SizeOptions, type SizeResult } from './analysis/size/analyze.js';
export { diffSize } from './analysis/size/diff.js';

// lint
export { lintDockerfile, type LintOptions } from './dockerfile/lint.js';
export { RULES } from './dockerfile/registry.js';
export { parseLintConfig, DEFAULT_CONFIG, type LintConfig } from './dockerfile/config.js';
export { loadLintConfig, findLintConfig } from './dockerfile/config-file.js';
export { discoverDockerfiles, type Discovered, type InputProblem } from './dockerfile/discover.js';
export type { Finding, Severity, RuleDoc } from './dockerfile/types.js';

// doctor, plan, init
export { runDoctor, type DoctorReport } from './doctor/doctor.js';
export { scanProject, type ProjectScan, type BinaryScan } from './project/scan.js';
export { buildPlan, PARADIGMS, type Plan, type PlanBinary, type Paradigm } from './project/plan.js';
export { generateFiles, writeFiles } from './generate/init.js';
export { resolvePins, baseImages, type Pins } from './generate/pin.js';
export { diffDockerfile, type DiffItem } from './generate/diff.js';

// one function per command: what `gokiln <command>` does, without the printing (src/tasks)
export { lintPaths, parseBuildArgs, type LintPathsOptions, type LintRun } from './tasks/lint.js';
export { initProject, diffInit, type InitProjectOptions, type InitRun, type InitDiff } from './tasks/init.js';
export { planProject, planProjectPackages, type PlanProjectOptions, type PlanPackagesProjectOptions } from './tasks/plan.js';
export { inspectBinaries, type InspectBinariesOptions } from './tasks/inspect.js';
export { sizeBinaries, type SizeBinariesOptions, type SizeRun } from './tasks/size.js';
export { runtimeListing, type RuntimeListing } from './knowledge/runtimes.js';
export { parsePlatforms } from './build/options.js';
export { writeFileAtomic } from './io/write-file.js';
export { runCachedScript } from './io/code-cache.js';
export { gokilnCacheDir } from './io/cache-dir.js';

// the Go-source model: a module's packages per target, from go list or from the sources
export { loadGoModule, type GoModule } from './gosrc/module.js';
export { linuxTarget, type Target } from './gosrc/target.js';
export { closure, cgoUse, type GoPackage, type PackageGraph } from './gosrc/graph.js';

// image reading and verify
export { readImage, parseImageArgument, type ImageView, type ReadImageOptions } from './image/read/read-image.js';
export { verifyImage, type VerifyOptions } from './verify/verify.js';
export type { VerifyResult, Check, RunReport } from './verify/types.js';
// build: Go sources → a reproducible image on the embedded base (OCI layout, docker-archive)
export type { BuildResult } from './build/build.js';
export { buildImage } from './tasks/build.js';
// a tag to its digest through the registry client, mirrors as containers' registries.conf names them
export { resolveDigest, qualifiedName, type DigestResolution, type ResolveDigestOptions } from './image/registry/resolve-digest.js';
export {
  loadRegistriesConf,
  parseRegistriesConf,
  pullSources,
  type RegistriesConf,
  type RegistryEntry,
} from './image/registry/registries-conf.js';
export type { BuildOptions, BuildOutput } from './build/options.js';
export type { ImageCheck } from './build/image-check.js';
export { aptInstallPackages, aptInstallCommand, debianBase, type DebianBaseReport } from './build/debian-base.js';
export { embeddedBase, embeddedLock } from './image/base/embedded.js';
export { spdxDocument } from './image/sbom.js';

// the knowledge gokiln encodes (every fact with a source and a date)
export * as knowledge from './knowledge/index.js';
// Debian bases from packages (docs/debian.md)
export {
  debianPackagesFor,
  assembleTree,
  debianPackagesText,
  debianPackagesJson,
  DebianArchive,
  ContentCache as DebianCache,
  readDeb,
  readDebFile,
  readLockfile,
  writeLockfile,
  lockfileOf,
  checkLockfile,
  defaultMirror as defaultDebianMirror,
  BASE_PACKAGES as DEBIAN_BASE_PACKAGES,
  LOCKFILE_NAME,
  type DebianPackagesOptions,
  type DebianPackagesResult,
  type DebianPackageSet,
  type Lockfile,
  type Reason as DebianPackageReason,
  type ResolvedPackage as DebianResolvedPackage,
  type DebContents,
  planDebianPackages,
  predictedNeeds as predictedDebianNeeds,
  aptNames as debianAptNames,
  type PlanPackagesOptions,
  type PlannedDebianPackages,
} from './image/debian/index.js';
