/**
 * The build a Dockerfile describes, as data the rules read: stages with their resolved base images,
 * the edges between stages (COPY --from, RUN --mount=from), the Go commands each RUN line runs with the
 * environment they see, and the build context's go.mod and sources when gokiln could read them.
 */
import { DockerfileParser, type Instruction, type Dockerfile } from 'dockerfile-ast';
import { parseImageRef, type ImageRef } from './image-ref.js';
import type { ImageFacts, LintKnowledge } from './knowledge-port.js';
import type { GoMod } from '../project/gomod.js';
import { splitCommands, type SimpleCommand } from './shell.js';
import { substitute } from './substitute.js';
import { parseGoCommand, type GoCommand } from './go-command.js';

/** What gokiln could learn from the build context next to the Dockerfile. */
export interface BuildContext {
  goMod?: GoMod;
  /** `vendor/modules.txt` exists */
  hasVendor?: boolean;
  /** undefined when no Go sources were read */
  sources?: SourceFacts;
}

export interface SourceFacts {
  /** imports crypto/tls, makes HTTPS requests or uses an SDK that does; `evidence` says which file */
  usesTls: boolean;
  tlsEvidence?: string;
  loadsTimeZones: boolean;
  zoneEvidence?: string;
  embedsTzdata: boolean;
  importsPprof: boolean;
  importsExpvar: boolean;
}

export interface ModelProblem {
  line: number;
  column: number;
  message: string;
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
}

export interface CommandStep {
  keyword: 'ENTRYPOINT' | 'CMD' | 'HEALTHCHECK';
  line: number;
  shellForm: boolean;
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

/** BuildKit sets these in the global scope for every build. */
const PLATFORM_ARGS = ['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT'];

const KNOWN_KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

const OPAQUE_BUILD = /^(make|gmake|mage|task|just|goreleaser|bazel|bazelisk)$|\.sh$|^\.\//;

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
  let stageArgs: Record<string, string | undefined> = {};

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
      cur = startStage(ins, stages, lookupGlobal, problems, opts.knowledge);
      stages.push(cur);
      stageArgs = {};
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
          stageArgs[name] = value;
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
        stage.commands.push({ keyword: kw, line, shellForm: !isExecForm(ins.getArgumentsContent()), text: ins.getArgumentsContent() ?? '' });
        break;
      case 'HEALTHCHECK': {
        const content = ins.getArgumentsContent() ?? '';
        const m = /(?:^|\s)CMD\s+([\s\S]*)$/i.exec(content);
        if (m) stage.commands.push({ keyword: 'HEALTHCHECK', line, shellForm: !isExecForm(m[1]!), text: m[1]! });
        break;
      }
      case 'COPY':
      case 'ADD':
        stage.copies.push(readCopy(ins, kw, stages, lookupStage));
        break;
      case 'RUN':
        readRun(ins, stage, stages, text, lineStarts, lookupStage, context);
        break;
    }
  }

  if (stages.length === 0 && !problems.some((p) => /before the first FROM/.test(p.message))) {
    problems.push({ line: 0, column: 0, message: 'no FROM instruction: this is not a Dockerfile gokiln can lint' });
  } else if (stages.length === 0) {
    problems.push({ line: 0, column: 0, message: 'no FROM instruction' });
  }
  const final = stages[stages.length - 1];
  if (final) final.isFinal = true;
  return { stages, final, globalArgs, problems, context, lines, spans, dockerfile };
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
): Stage {
  const range = ins.getRange();
  const line = range.start.line;
  const from = ins as unknown as { getImage(): string | null; getBuildStage(): string | null; getPlatformFlag(): { getValue(): string | null } | null };
  const fromRaw = from.getImage() ?? '';
  const lookup = (n: string) => lookupGlobal(n) ?? (PLATFORM_ARGS.includes(n) ? `$${n}` : undefined);
  const sub = substitute(fromRaw, lookup);
  const fromResolved = sub.value;
  if (!fromRaw) problems.push({ line, column: range.start.character, message: 'FROM without an image' });
  for (const name of sub.unresolved) {
    problems.push({
      line,
      column: range.start.character,
      message: `ARG ${name} has no value in FROM ${fromRaw}: declare it with a default before the first FROM or pass --build-arg ${name}=…`,
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
    if (stage.image.kind === 'golang') {
      // docker-library/golang sets these in every image (shared/facts.md)
      stage.env.GOTOOLCHAIN = 'local';
      stage.env.GOPATH = '/go';
    }
  }
  return stage;
}

/** A FROM or --from naming an earlier stage, by name (case-insensitive) or index. */
export function findStage(stages: Stage[], ref: string): Stage | undefined {
  const lower = ref.toLowerCase();
  for (let i = stages.length - 1; i >= 0; i--) if (stages[i]!.name?.toLowerCase() === lower) return stages[i];
  if (/^\d+$/.test(ref)) return stages[Number(ref)];
  return undefined;
}

function isExecForm(args: string | null): boolean {
  return /^\s*\[/.test(args ?? '');
}

function joinPath(dir: string, p: string): string {
  if (p.startsWith('/')) return p;
  const parts = (dir.replace(/\/$/, '') + '/' + p).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

function readCopy(ins: Instruction, keyword: 'COPY' | 'ADD', stages: Stage[], lookup: (n: string) => string | undefined): CopyStep {
  const flags = (ins as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags();
  const fromFlag = flags.find((f) => f.getName() === 'from');
  const content = ins.getArgumentsContent() ?? '';
  let words: string[];
  const json = (ins as unknown as { getJSONStrings?(): { getJSONValue(): string }[] }).getJSONStrings?.() ?? [];
  if (json.length) words = json.map((j) => j.getJSONValue());
  else words = ins.getArguments().map((a) => a.getValue()).filter((w) => !w.startsWith('--'));
  if (/<</.test(content)) words = words.filter((w) => !w.startsWith('<<'));
  const resolved = words.map((w) => substitute(w, lookup).value);
  const step: CopyStep = { line: ins.getRange().start.line, keyword, sources: resolved.slice(0, -1), dest: resolved[resolved.length - 1] ?? '' };
  if (fromFlag?.getValue()) {
    const from = substitute(fromFlag.getValue()!, lookup).value;
    step.from = from;
    const s = findStage(stages, from);
    if (s) step.fromStage = s.index;
  }
  return step;
}

function readRun(
  ins: Instruction,
  stage: Stage,
  stages: Stage[],
  text: string,
  lineStarts: number[],
  lookup: (n: string) => string | undefined,
  context: BuildContext,
): void {
  const range = ins.getRange();
  const line = range.start.line;
  const flags = (ins as unknown as { getFlags(): { getName(): string; getValue(): string | null; getOptions(): { getName(): string; getValue(): string | null }[] }[] }).getFlags();
  const mounts: Mount[] = [];
  for (const f of flags) {
    if (f.getName() !== 'mount') continue;
    const m: Mount = { type: 'bind' };
    for (const o of f.getOptions()) {
      const v = o.getValue() ?? '';
      switch (o.getName()) {
        case 'type':
          m.type = v;
          break;
        case 'target':
        case 'dst':
        case 'destination':
          m.target = substitute(v, lookup).value;
          break;
        case 'from':
          m.from = substitute(v, lookup).value;
          break;
        case 'source':
        case 'src':
          m.source = v;
          break;
      }
    }
    if (m.from) {
      const s = findStage(stages, m.from);
      if (s) m.fromStage = s.index;
    }
    mounts.push(m);
  }
  const json = (ins as unknown as { getJSONStrings(): { getJSONValue(): string }[] }).getJSONStrings();
  const argsRange = ins.getArgumentsRange();
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  // the script as the shell sees it: text after the flags, with heredoc bodies in place (a heredoc RUN
  // runs its body as the script, so the `<<EOF` marker line and the terminator are dropped)
  const script = argsRange ? text.slice(offset(argsRange.start), offset(range.end)) : '';
  const scriptLine = argsRange ? argsRange.start.line : line;
  const execForm = json.length > 0 && isExecForm(script);
  const heredocs = (ins as unknown as { getHeredocs(): { getName(): string; getContentRange(): { start: { line: number }; end: { line: number } } | null }[] }).getHeredocs();
  let commands: SimpleCommand[];
  if (execForm) {
    commands = [{ words: json.map((j) => j.getJSONValue()), assignments: {}, line }];
  } else if (heredocs.length) {
    commands = [];
    const first = script.split('\n')[0] ?? '';
    // `RUN <<EOF` runs the body; `RUN bash <<EOF` and `RUN python3 <<EOF` too (we only read shell)
    const prefix = first.replace(/<<-?\s*["']?[A-Za-z_][A-Za-z0-9_]*["']?/g, '').trim();
    if (prefix && !/^(ba|a|da)?sh\b/.test(prefix)) commands.push(...splitCommands(prefix, scriptLine));
    for (const h of heredocs) {
      const cr = h.getContentRange();
      if (!cr) continue;
      const body = text.slice(lineStarts[cr.start.line] ?? text.length, (lineStarts[cr.end.line + 1] ?? text.length + 1) - 1);
      commands.push(...splitCommands(body, cr.start.line));
    }
  } else {
    commands = splitCommands(script, scriptLine);
  }
  const run: RunStep = { line, endLine: range.end.line, script, commands, mounts, execForm };
  stage.runs.push(run);

  const exported: Record<string, string> = {};
  for (const c of commands) {
    const prog = c.words[0] ?? '';
    if (prog === 'export') {
      for (const w of c.words.slice(1)) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w);
        if (m) exported[m[1]!] = substitute(m[2]!, (n) => exported[n] ?? lookup(n)).value;
      }
      continue;
    }
    readPackages(c.words, stage.packages);
    const base = prog.split('/').pop() ?? prog;
    if (base === 'go') {
      const goCmd = parseGoCommand(c.words.slice(1));
      const inline: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.assignments)) inline[k] = substitute(v, (n) => exported[n] ?? lookup(n)).value;
      const env = { ...stage.env, ...exported, ...inline };
      const inv: GoInvocation = {
        ...goCmd,
        env,
        inlineNames: Object.keys(c.assignments),
        line: c.line,
        run,
        cgo: cgoState(env, stage, context, { ...exported, ...inline }),
      };
      const out = outputPath(goCmd, env, stage.workdir);
      if (out !== undefined) inv.outputPath = out;
      stage.goCommands.push(inv);
      continue;
    }
    if (OPAQUE_BUILD.test(base) || ((base === 'sh' || base === 'bash') && c.words[1] && !c.words[1].startsWith('-'))) {
      if (!/^(apk|apt-get|apt|yum|dnf|microdnf)$/.test(base)) stage.opaqueBuilds.push({ line: c.line, what: c.words.slice(0, 3).join(' ') });
    }
  }
}

function readPackages(words: string[], into: Set<string>): void {
  const prog = words[0];
  if (prog === 'apk' && words[1] === 'add') {
    for (const w of words.slice(2)) if (!w.startsWith('-')) into.add(w.replace(/[=<>~].*$/, ''));
  } else if ((prog === 'apt-get' || prog === 'apt' || prog === 'yum' || prog === 'dnf' || prog === 'microdnf') && words.includes('install')) {
    for (const w of words.slice(words.indexOf('install') + 1)) if (!w.startsWith('-')) into.add(w.replace(/[=:].*$/, ''));
  }
}

/** The cgo setting a go command builds with, and why: explicit env first, then the toolchain's default. */
function cgoState(env: Record<string, string>, stage: Stage, _context: BuildContext, local: Record<string, string>): CgoState {
  const v = env.CGO_ENABLED;
  if (v !== undefined) {
    const where = 'CGO_ENABLED' in local ? 'in the RUN line' : 'by ENV/ARG';
    if (v === '1') return { on: true, explicit: true, reason: `CGO_ENABLED=1 set ${where}` };
    if (v === '0') return { on: false, explicit: true, reason: `CGO_ENABLED=0 set ${where}` };
    if (v === '') {
      // an ARG without a value: the default applies
    } else {
      return { on: undefined, explicit: true, reason: `CGO_ENABLED=${v} cannot be evaluated` };
    }
  }
  const img = stage.image;
  if (img.kind !== 'golang') return { on: undefined, explicit: false, reason: 'builder image is not an official golang image' };
  // Go turns cgo off by default when cross-compiling or when no C compiler is found (Go 1.20+)
  const goarch = env.GOARCH;
  if (goarch !== undefined && goarch !== '' && !/^\$|amd64/.test(goarch) && stage.platform === undefined) {
    return { on: false, explicit: false, reason: `cross-compiling to GOARCH=${goarch} turns cgo off by default` };
  }
  const gcc = img.cgoToolchain === true || stage.packages.has('gcc') || stage.packages.has('build-base') || stage.packages.has('clang');
  if (gcc) {
    const why = img.cgoToolchain ? `the Debian-based ${stage.base?.raw ?? 'golang'} image has gcc, so cgo defaults to on` : 'gcc is installed in the builder, so cgo defaults to on';
    return { on: true, explicit: false, reason: why };
  }
  return { on: false, explicit: false, reason: 'no C compiler in the builder, so cgo defaults to off' };
}

function outputPath(cmd: GoCommand, env: Record<string, string>, workdir: string): string | undefined {
  if (cmd.sub === 'build') {
    const o = cmd.flags.get('o');
    if (typeof o === 'string') return joinPath(workdir, o);
    const pkg = cmd.packages[0];
    if (!pkg || pkg === '.' || pkg.startsWith('./')) {
      const name = pkg && pkg !== '.' ? pkg.replace(/\/\.\.\.$/, '').split('/').pop() : workdir.split('/').pop();
      return name ? joinPath(workdir, name) : undefined;
    }
    return joinPath(workdir, pkg.split('/').pop() ?? pkg);
  }
  if (cmd.sub === 'install') {
    const pkg = (cmd.packages[0] ?? '').replace(/@.*$/, '');
    const bin = env.GOBIN || (env.GOPATH ?? '/go') + '/bin';
    const name = pkg.replace(/\/\.\.\.$/, '').split('/').pop();
    return name && name !== '.' ? `${bin}/${name}` : bin;
  }
  return undefined;
}

/** Stages whose files reach `target` through COPY --from (transitively) or by being its FROM ancestors. */
export function feedingStages(model: DockerfileModel, target: Stage): { stage: Stage; copy?: CopyStep }[] {
  const out: { stage: Stage; copy?: CopyStep }[] = [];
  const seen = new Set<number>();
  const visit = (s: Stage, copy: CopyStep | undefined) => {
    if (seen.has(s.index)) return;
    seen.add(s.index);
    out.push(copy ? { stage: s, copy } : { stage: s });
    if (s.parentStage !== undefined) visit(model.stages[s.parentStage]!, copy);
    for (const c of s.copies) if (c.fromStage !== undefined && c.fromStage !== s.index) visit(model.stages[c.fromStage]!, copy ?? c);
  };
  visit(target, undefined);
  return out;
}

/** Go builds whose output is copied into `target` (or built in it), matched by path when both are known. */
export function buildsReaching(model: DockerfileModel, target: Stage): { inv: GoInvocation; stage: Stage; copy?: CopyStep }[] {
  const out: { inv: GoInvocation; stage: Stage; copy?: CopyStep }[] = [];
  const seen = new Set<number>();
  const visitStage = (s: Stage, copy: CopyStep | undefined) => {
    if (seen.has(s.index)) return;
    seen.add(s.index);
    for (const inv of s.goCommands) {
      if (inv.sub !== 'build' && inv.sub !== 'install') continue;
      if (copy && !copyTakes(copy, inv.outputPath)) continue;
      out.push(copy ? { inv, stage: s, copy } : { inv, stage: s });
    }
    if (s.parentStage !== undefined) visitStage(model.stages[s.parentStage]!, copy);
    for (const c of s.copies) if (c.fromStage !== undefined) visitStage(model.stages[c.fromStage]!, copy ?? c);
  };
  for (const c of target.copies) if (c.fromStage !== undefined && c.fromStage !== target.index) visitStage(model.stages[c.fromStage]!, c);
  // a single-stage build, or a final stage built FROM the builder
  const ownChain: Stage[] = [];
  for (let s: Stage | undefined = target; s; s = s.parentStage !== undefined ? model.stages[s.parentStage] : undefined) ownChain.push(s);
  for (const s of ownChain) {
    for (const inv of s.goCommands) if (inv.sub === 'build' || inv.sub === 'install') out.push({ inv, stage: s });
  }
  return out;
}

function copyTakes(copy: CopyStep, output: string | undefined): boolean {
  if (output === undefined) return true;
  for (const src of copy.sources) {
    if (/[*?[]/.test(src)) return true;
    const p = src.startsWith('/') ? src.replace(/\/+$/, '') : '/' + src.replace(/^\.\//, '').replace(/\/+$/, '');
    if (p === '' || p === '/' || output === p || output.startsWith(p + '/')) return true;
  }
  return false;
}
