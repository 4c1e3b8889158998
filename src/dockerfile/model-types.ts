/**
 * The shapes of the Dockerfile model (stages, steps, Go commands, what the build context says): data the
 * rules read. model.ts builds them from a Dockerfile's text; keeping the shapes apart lets a rule or a test
 * import the types without the parser.
 */
import type { Instruction, Dockerfile } from 'dockerfile-ast';
import type { ImageRef } from '../knowledge/image-ref.js';
import type { ImageFacts, LintKnowledge } from './knowledge-port.js';
import type { GoMod } from '../project/gomod.js';
import type { SourceSummary } from '../gosrc/summary.js';
import type { SimpleCommand } from './shell.js';
import type { GoCommand } from './go-command.js';

/** What gokiln could learn from the build context next to the Dockerfile. */
export interface BuildContext {
  goMod?: GoMod;
  /** `vendor/modules.txt` exists */
  hasVendor?: boolean;
  /** undefined when no Go sources were read */
  sources?: SourceFacts;
  /** packages read from vendor/, by import path: those the module's packages reach (not present: not vendored) */
  vendored?: Record<string, DepPackage>;
  /**
   * Reads a file the Dockerfile copies from the context and judges it against a base image (the caller
   * passes inspect's verdict code, e.g. `copiedBinaryJudge` from src/analysis); undefined: not a binary,
   * not in the context, or an image gokiln has no runtime facts for.
   */
  judgeCopied?: (contextPath: string, image: string, pathInImage: string) => CopiedBinaryVerdict | undefined;
}

/** What the verdict code says of a copied binary on one base image (the shape of inspect's RuntimeVerdict). */
export interface CopiedBinaryVerdict {
  arch: string;
  verdict: { verdict: 'runs' | 'fails'; reason: string; message: string | null; warnings: { code: string; message: string }[] };
}

/**
 * What the build context's Go sources say, as the one Go-source model summarises them (src/gosrc); `imports`
 * is absent when facts are given by hand (tests, a context that could not be read package by package).
 */
export type SourceFacts = Omit<SourceSummary, 'imports'> & { imports?: SourceSummary['imports'] };

/** The imports of one package read from vendor/ (a dependency's sources). */
export interface DepPackage {
  imports: string[];
  /** a file of the package with `import "C"` */
  cgoFile?: string;
}

export interface ModelProblem {
  line: number;
  column: number;
  message: string;
  /** a fix for this problem when GK000's generic one (about lines and ARGs) does not fit */
  fix?: string;
}

export interface Mount {
  type: string;
  target?: string;
  from?: string;
  fromStage?: number;
  source?: string;
}

export interface RunStep {
  line: number;
  endLine: number;
  /** the whole script (after flags), continuations joined, heredoc bodies included */
  script: string;
  commands: SimpleCommand[];
  mounts: Mount[];
  execForm: boolean;
}

export interface GoInvocation extends GoCommand {
  /** the environment the command sees: stage ARG/ENV, `export`s earlier in the RUN, inline assignments */
  env: Record<string, string>;
  /** names of env vars set inline (`CGO_ENABLED=0 go build`) */
  inlineNames: string[];
  line: number;
  run: RunStep;
  cgo: CgoState;
  /** absolute output path when it can be known */
  outputPath?: string;
  /** the WORKDIR the command runs in */
  workdir: string;
  /** where the build context's root was copied (`COPY . .` in this stage or an ancestor, before this RUN) */
  contextRoot?: string;
}

export interface CgoState {
  /** undefined: gokiln cannot tell (custom builder image, CGO_ENABLED from an unset ARG) */
  on: boolean | undefined;
  /** set by the Dockerfile rather than by the toolchain's default */
  explicit: boolean;
  reason: string;
}

export interface CopyStep {
  line: number;
  keyword: 'COPY' | 'ADD';
  from?: string;
  fromStage?: number;
  sources: string[];
  dest: string;
  /** the destination as an absolute path, WORKDIR applied */
  destPath: string;
}

export interface CommandStep {
  keyword: 'ENTRYPOINT' | 'CMD' | 'HEALTHCHECK';
  line: number;
  shellForm: boolean;
  /** the text starts with `[` but is not JSON, so Docker falls back to shell form: why the parse failed */
  jsonError?: string;
  text: string;
}

export interface Stage {
  index: number;
  name?: string;
  line: number;
  /** the image as written in FROM, and after ARG substitution */
  fromRaw: string;
  fromResolved: string;
  /** `--platform` value as written */
  platform?: string;
  /** when FROM names an earlier stage */
  parentStage?: number;
  /** the external image at the root of this stage's FROM chain; undefined for unresolvable FROMs */
  base?: ImageRef;
  /** ARGs declared without a default that FROM uses and no --build-arg gave: the base is chosen at build time */
  unresolvedArgs?: string[];
  /** the line of the FROM that names `base` (this stage's, or an ancestor's) */
  baseLine: number;
  image: ImageFacts;
  /** ENV and ARG values at the end of the stage, inherited ones included */
  env: Record<string, string>;
  /** ARG names declared in this stage */
  declaredArgs: Set<string>;
  /** ENV and ARG instructions of this stage as written */
  rawEnv: { keyword: 'ENV' | 'ARG'; line: number; text: string }[];
  runs: RunStep[];
  goCommands: GoInvocation[];
  /** RUN lines that call make, a script, mage, task or goreleaser: a Go build may hide inside */
  opaqueBuilds: { line: number; what: string }[];
  copies: CopyStep[];
  commands: CommandStep[];
  users: { line: number; value: string }[];
  exposes: { line: number; port: string }[];
  /** packages installed with apk/apt-get/apt/yum/dnf in this stage or its parents */
  packages: Set<string>;
  workdir: string;
  /** line of a SHELL instruction in this stage or its parents */
  shellInstruction?: number;
  isFinal: boolean;
  instructions: Instruction[];
}

export interface DockerfileModel {
  stages: Stage[];
  final?: Stage;
  globalArgs: Record<string, string | undefined>;
  problems: ModelProblem[];
  context: BuildContext;
  /** the source lines, for pragmas and rules that read comments */
  lines: string[];
  /** 0-based first and last line of every instruction */
  spans: { start: number; end: number }[];
  dockerfile: Dockerfile;
}

export interface ModelOptions {
  buildArgs?: Record<string, string>;
  context?: BuildContext;
  knowledge: LintKnowledge;
}
