/**
 * The build a Dockerfile describes, as data the rules read: stages with their resolved base images,
 * the edges between stages (COPY --from, RUN --mount=from), the Go commands each RUN line runs with the
 * environment they see, and the build context's go.mod and sources when gokiln could read them.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { parseImageRef } from '../knowledge/image-ref.js';
import type { LintKnowledge } from './knowledge-port.js';
import { substitute } from './substitute.js';
import { joinPath, readCopy, readExecForm, readRun } from './steps.js';
import { findStage } from './stage-graph.js';
import type { CommandStep, DockerfileModel, ModelOptions, ModelProblem, Stage } from './model-types.js';

export type {
  BuildContext,
  CopiedBinaryVerdict,
  SourceFacts,
  DepPackage,
  ModelProblem,
  Mount,
  RunStep,
  GoInvocation,
  CgoState,
  CopyStep,
  CommandStep,
  Stage,
  DockerfileModel,
  ModelOptions,
} from './model-types.js';

/** BuildKit sets these in the global scope for every build. */
const PLATFORM_ARGS = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
];

const KNOWN_KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export function buildModel(text: string, opts: ModelOptions): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const spans: { start: number; end: number }[] = [];
  const problems: ModelProblem[] = [];
  const buildArgs = opts.buildArgs ?? {};
  const context = opts.context ?? {};

  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  let cur: Stage | undefined;

  const lookupGlobal = (name: string): string | undefined => {
    if (name in buildArgs) return buildArgs[name];
    if (name in globalArgs) return globalArgs[name];
    return undefined;
  };

  for (const ins of dockerfile.getInstructions()) {
    memoizeArguments(ins);
    const kw = ins.getKeyword();
    const range = ins.getRange();
    const line = range.start.line;
    spans.push({ start: line, end: range.end.line });
    if (!KNOWN_KEYWORDS.has(kw)) {
      problems.push({ line, column: range.start.character, message: `unknown instruction ${JSON.stringify(ins.getInstruction())}` });
      continue;
    }
    if (kw === 'FROM') {
      cur = startStage(ins, stages, lookupGlobal, problems, opts.knowledge, globalArgs);
      stages.push(cur);
      continue;
    }
    if (!cur) {
      if (kw === 'ARG') {
        for (const [name, v] of argDeclarations(ins)) {
          globalArgs[name] = name in buildArgs ? buildArgs[name] : v === null ? undefined : substitute(v, lookupGlobal).value;
        }
        continue;
      }
      problems.push({ line, column: range.start.character, message: `${kw} before the first FROM` });
      continue;
    }
    cur.instructions.push(ins);
    const stage = cur;
    const lookupStage = (name: string): string | undefined => stage.env[name];
    switch (kw) {
      case 'ARG':
        stage.rawEnv.push({ keyword: 'ARG', line, text: ins.getArgumentsContent() ?? '' });
        for (const [name, v] of argDeclarations(ins)) {
          stage.declaredArgs.add(name);
          let value: string | undefined;
          if (name in buildArgs) value = buildArgs[name];
          else if (v !== null) value = substitute(v, lookupStage).value;
          else if (name in globalArgs) value = globalArgs[name];
          // BuildKit fills the platform ARGs itself; keep them symbolic so rules can see where they flow
          else if (PLATFORM_ARGS.includes(name)) value = `$${name}`;
          if (value !== undefined) stage.env[name] = value;
        }
        break;
      case 'ENV':
        stage.rawEnv.push({ keyword: 'ENV', line, text: ins.getArgumentsContent() ?? '' });
        for (const p of (ins as unknown as PropertyLike).getProperties()) {
          const v = p.getValue();
          stage.env[p.getName()] = v === null ? '' : substitute(v, lookupStage).value;
        }
        break;
      case 'WORKDIR': {
        const w = substitute(ins.getArgumentsContent() ?? '', lookupStage).value.trim();
        if (w) stage.workdir = w.startsWith('/') ? w : joinPath(stage.workdir, w);
        break;
      }
      case 'SHELL':
        stage.shellInstruction = line;
        break;
      case 'USER':
        stage.users.push({ line, value: substitute((ins.getArgumentsContent() ?? '').trim(), lookupStage).value });
        break;
      case 'EXPOSE':
        for (const a of ins.getArguments()) stage.exposes.push({ line, port: substitute(a.getValue(), lookupStage).value });
        break;
      case 'ENTRYPOINT':
      case 'CMD':
        stage.commands.push(commandStep(kw, line, ins.getArgumentsContent() ?? '', problems, range.start.character));
        break;
      case 'HEALTHCHECK': {
        const content = ins.getArgumentsContent() ?? '';
        const m = /(?:^|\s)CMD\s+([\s\S]*)$/i.exec(content);
        if (m) stage.commands.push(commandStep('HEALTHCHECK', line, m[1]!, problems, range.start.character));
        break;
      }
      case 'COPY':
      case 'ADD':
        stage.copies.push(readCopy(ins, kw, stages, lookupStage, stage.workdir));
        break;
      case 'RUN':
        readRun(ins, stage, stages, text, lineStarts, lookupStage, opts.knowledge);
        break;
    }
  }

  // an empty file or one without FROM has no line or ARG to correct: say what a Dockerfile starts with
  const noFrom = 'start the file with a FROM instruction (FROM <image> [AS <name>]), or point gokiln at the Dockerfile you build';
  if (stages.length === 0 && !problems.some((p) => /before the first FROM/.test(p.message))) {
    problems.push({ line: 0, column: 0, message: 'no FROM instruction: this is not a Dockerfile gokiln can lint', fix: noFrom });
  } else if (stages.length === 0) {
    problems.push({ line: 0, column: 0, message: 'no FROM instruction', fix: noFrom });
  }
  const final = stages[stages.length - 1];
  if (final) final.isFinal = true;
  return { stages, final, globalArgs, problems, context, lines, spans, dockerfile };
}

function commandStep(keyword: CommandStep['keyword'], line: number, text: string, problems: ModelProblem[], column: number): CommandStep {
  const form = readExecForm(text);
  if (form.kind === 'invalid') problems.push({ line, column, message: `${keyword} has ${form.message}: docker build stops here` });
  const step: CommandStep = { keyword, line, shellForm: form.kind === 'shell', text };
  if (form.kind === 'shell' && form.jsonError !== undefined) step.jsonError = form.jsonError;
  return step;
}

/**
 * dockerfile-ast re-tokenizes an instruction's text on every getter (getArguments, getFlags, getImage…),
 * which made that tokenizer most of a lint run's time. The text never changes, so the tokens are
 * computed once per instruction; callers get a fresh array because the library shifts flags off it.
 */
function memoizeArguments(ins: Instruction): void {
  const target = ins as unknown as { getRawArguments?: () => unknown[] };
  const original = target.getRawArguments;
  if (typeof original !== 'function') return;
  let cached: unknown[] | undefined;
  target.getRawArguments = () => (cached ??= original.call(ins)).slice();
}

/** `ARG A B=2 C="x"`: BuildKit's syntax (dockerfile-ast reads `ARG A B` the old ENV way, as A=B). */
function argDeclarations(ins: Instruction): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (const a of ins.getArguments()) {
    const w = a.getValue();
    const eq = w.indexOf('=');
    if (eq < 0) out.push([w, null]);
    else out.push([w.slice(0, eq), w.slice(eq + 1).replace(/^"(.*)"$|^'(.*)'$/s, '$1$2')]);
  }
  return out;
}

interface PropertyLike {
  getProperties(): { getName(): string; getValue(): string | null }[];
}

function startStage(
  ins: Instruction,
  stages: Stage[],
  lookupGlobal: (n: string) => string | undefined,
  problems: ModelProblem[],
  knowledge: LintKnowledge,
  globalArgs: Record<string, string | undefined>,
): Stage {
  const range = ins.getRange();
  const line = range.start.line;
  const from = ins as unknown as {
    getImage(): string | null;
    getBuildStage(): string | null;
    getPlatformFlag(): { getValue(): string | null } | null;
  };
  const fromRaw = from.getImage() ?? '';
  const lookup = (n: string) => lookupGlobal(n) ?? (PLATFORM_ARGS.includes(n) ? `$${n}` : undefined);
  const sub = substitute(fromRaw, lookup);
  const fromResolved = sub.value;
  if (!fromRaw) problems.push({ line, column: range.start.character, message: 'FROM without an image' });
  // an ARG declared before the first FROM without a default is a normal build parameter (a Makefile or CI
  // passes --build-arg): the stage's base is unknown to lint, which says so once (GK000, info); an ARG
  // never declared is empty to docker, which then refuses the FROM
  const declaredLater = sub.unresolved.filter((n) => n in globalArgs);
  const undeclared = sub.unresolved.filter((n) => !(n in globalArgs));
  for (const name of undeclared) {
    problems.push({
      line,
      column: range.start.character,
      message: `FROM ${fromRaw} uses ${name}, which no ARG before the first FROM declares, so docker reads it as empty: declare ARG ${name} (with a default) before the first FROM`,
    });
  }
  const platform = from.getPlatformFlag()?.getValue() ?? undefined;
  const name = from.getBuildStage() ?? undefined;
  const parent = findStage(stages, fromResolved);
  const stage: Stage = {
    index: stages.length,
    line,
    fromRaw,
    fromResolved,
    baseLine: line,
    image: { kind: 'unknown' },
    env: {},
    declaredArgs: new Set(),
    rawEnv: [],
    runs: [],
    goCommands: [],
    opaqueBuilds: [],
    copies: [],
    commands: [],
    users: [],
    exposes: [],
    packages: new Set(),
    workdir: '/',
    isFinal: false,
    instructions: [],
  };
  if (name !== undefined) stage.name = name;
  if (platform !== undefined) stage.platform = platform;
  if (declaredLater.length) stage.unresolvedArgs = declaredLater;
  if (parent) {
    stage.parentStage = parent.index;
    if (parent.base) stage.base = parent.base;
    stage.baseLine = parent.baseLine;
    stage.image = parent.image;
    stage.env = { ...parent.env };
    stage.packages = new Set(parent.packages);
    stage.workdir = parent.workdir;
    stage.users = [...parent.users];
    stage.exposes = [...parent.exposes];
    stage.commands = [...parent.commands];
    if (parent.shellInstruction !== undefined) stage.shellInstruction = parent.shellInstruction;
  } else if (fromResolved && sub.unresolved.length === 0 && !fromResolved.includes('$')) {
    stage.base = parseImageRef(fromResolved);
    stage.image = knowledge.image(stage.base);
    // what the image's own ENV sets (the golang image's GOPATH and GOTOOLCHAIN=local), from the image model
    Object.assign(stage.env, stage.image.env);
  }
  return stage;
}
