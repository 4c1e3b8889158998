/**
 * Reading COPY/ADD and RUN instructions into model steps: mounts, the script with its line numbers, the
 * simple commands it runs, the Go commands among them with their environment and cgo setting, packages.
 */
import type { Instruction } from 'dockerfile-ast';
import type { CgoState, CopyStep, GoInvocation, Mount, RunStep, Stage } from './model.js';
import { findStage } from './stage-graph.js';
import { splitCommands, type SimpleCommand } from './shell.js';
import { substitute } from './substitute.js';
import { parseGoCommand, type GoCommand } from './go-command.js';
import type { LintKnowledge } from './knowledge-port.js';
import { OPTION_TABLES, type PackageManager } from '../knowledge/packages.js';

/** a stage env marker (not a real variable: no `=` can name it in a Dockerfile) set by `xx-go --wrap` */
export const XX_WRAPPED = 'xx-go --wrap';

const OPAQUE_BUILD = /^(make|gmake|mage|task|just|goreleaser|bazel|bazelisk)$|\.sh$|^\.\//;

export function readCopy(
  ins: Instruction,
  keyword: 'COPY' | 'ADD',
  stages: Stage[],
  lookup: (n: string) => string | undefined,
  workdir = '/',
): CopyStep {
  const flags = (ins as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags();
  const fromFlag = flags.find((f) => f.getName() === 'from');
  const content = ins.getArgumentsContent() ?? '';
  let words: string[];
  const json = (ins as unknown as { getJSONStrings?(): { getJSONValue(): string }[] }).getJSONStrings?.() ?? [];
  if (json.length) words = json.map((j) => j.getJSONValue());
  else
    words = ins
      .getArguments()
      .map((a) => a.getValue())
      .filter((w) => !w.startsWith('--'));
  if (/<</.test(content)) words = words.filter((w) => !w.startsWith('<<'));
  const resolved = words.map((w) => substitute(w, lookup).value);
  const dest = resolved[resolved.length - 1] ?? '';
  const step: CopyStep = {
    line: ins.getRange().start.line,
    keyword,
    sources: resolved.slice(0, -1),
    dest,
    destPath: joinPath(workdir, dest),
  };
  if (fromFlag?.getValue()) {
    const from = substitute(fromFlag.getValue()!, lookup).value;
    step.from = from;
    const s = findStage(stages, from);
    if (s) step.fromStage = s.index;
  }
  return step;
}

export function readRun(
  ins: Instruction,
  stage: Stage,
  stages: Stage[],
  text: string,
  lineStarts: number[],
  lookup: (n: string) => string | undefined,
  knowledge: Pick<LintKnowledge, 'packageProvides'>,
): void {
  const range = ins.getRange();
  const line = range.start.line;
  const flags = (
    ins as unknown as {
      getFlags(): { getName(): string; getValue(): string | null; getOptions(): { getName(): string; getValue(): string | null }[] }[];
    }
  ).getFlags();
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
  // continuations joined (and comment lines inside them dropped) as Docker does before it tries JSON
  const execForm = json.length > 0 && isExecForm(script.replace(/\\\r?\n(?:[ \t]*#[^\n]*\n)*/g, ''));
  const heredocs = (
    ins as unknown as {
      getHeredocs(): { getName(): string; getContentRange(): { start: { line: number }; end: { line: number } } | null }[];
    }
  ).getHeredocs();
  let commands: SimpleCommand[];
  if (execForm) {
    commands = [{ words: json.map((j) => j.getJSONValue()), assignments: {}, line }];
  } else if (heredocs.length) {
    commands = [];
    const first = script.split('\n')[0] ?? '';
    // `RUN <<EOF` runs the body; `RUN bash <<EOF` and `RUN python3 <<EOF` too (we only read shell)
    const prefix = first.replace(/<<-?\s*["']?[A-Za-z_][A-Za-z0-9_]*["']?/g, '').trim();
    if (prefix && !/^(ba|a|da)?sh\b/.test(prefix)) for (const c of splitCommands(prefix, scriptLine)) commands.push(c);
    for (const h of heredocs) {
      const cr = h.getContentRange();
      if (!cr) continue;
      const body = text.slice(lineStarts[cr.start.line] ?? text.length, (lineStarts[cr.end.line + 1] ?? text.length + 1) - 1);
      for (const c of splitCommands(body, cr.start.line)) commands.push(c);
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
    readPackages(c.words, stage.packages, knowledge);
    const base = prog.split('/').pop() ?? prog;
    // tonistiigi/xx: `xx-go --wrap` makes every later `go` of the stage build for TARGETPLATFORM
    if (base === 'xx-go' && c.words[1] === '--wrap') {
      stage.env[XX_WRAPPED] = '1';
      continue;
    }
    if (base === 'go' || base === 'xx-go') {
      const goCmd = parseGoCommand(c.words.slice(1));
      const inline: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.assignments)) inline[k] = substitute(v, (n) => exported[n] ?? lookup(n)).value;
      // xx-go (or go after xx-go --wrap) sets GOOS, GOARCH and the C cross compiler from TARGETPLATFORM itself
      const xx: Record<string, string> =
        base === 'xx-go' || stage.env[XX_WRAPPED] === '1' ? { GOOS: '$TARGETOS', GOARCH: '$TARGETARCH', CC: 'xx-clang' } : {};
      const env = { ...stage.env, ...xx, ...exported, ...inline };
      const inv: GoInvocation = {
        ...goCmd,
        env,
        inlineNames: Object.keys(c.assignments),
        line: c.line,
        run,
        cgo: cgoState(env, stage, { ...exported, ...inline }),
        workdir: stage.workdir,
      };
      const root = contextRootOf(stage, stages);
      if (root !== undefined) inv.contextRoot = root;
      const out = outputPath(goCmd, env, stage.workdir);
      if (out !== undefined) inv.outputPath = out;
      stage.goCommands.push(inv);
      continue;
    }
    if (OPAQUE_BUILD.test(base) || ((base === 'sh' || base === 'bash') && c.words[1] && !c.words[1].startsWith('-'))) {
      if (!/^(apk|apt-get|apt|yum|dnf|microdnf)$/.test(base))
        stage.opaqueBuilds.push({ line: c.line, what: c.words.slice(0, 3).join(' ') });
    }
  }
}

const MANAGERS: Record<string, { manager: PackageManager; verb: string }> = {
  apk: { manager: 'apk', verb: 'add' },
  'xx-apk': { manager: 'apk', verb: 'add' },
  'apt-get': { manager: 'apt', verb: 'install' },
  apt: { manager: 'apt', verb: 'install' },
  'xx-apt-get': { manager: 'apt', verb: 'install' },
  'xx-apt': { manager: 'apt', verb: 'install' },
  yum: { manager: 'dnf', verb: 'install' },
  dnf: { manager: 'dnf', verb: 'install' },
  microdnf: { manager: 'dnf', verb: 'install' },
};

/**
 * The packages an install command adds: the words after the verb that are not options nor an option's
 * value (`apk add --virtual .build-deps gcc`: `.build-deps` names the group, it is no package), each with
 * what it brings when it is a meta-package (build-base → gcc, musl-dev).
 */
export function installedPackages(words: string[], knowledge: Pick<LintKnowledge, 'packageProvides'>): string[] {
  const prog = (words[0] ?? '').split('/').pop() ?? '';
  const m = MANAGERS[prog];
  if (!m) return [];
  const verbAt = words.indexOf(m.verb);
  if (verbAt < 0) return [];
  const withValue = new Set(OPTION_TABLES[m.manager].withValue);
  const out: string[] = [];
  const args = words.slice(1);
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.startsWith('-')) {
      if (!w.includes('=') && withValue.has(w)) i++;
      continue;
    }
    if (i + 1 <= verbAt - 1) continue; // words before the verb are options' values or the verb's prefix
    if (w === m.verb) continue;
    const name = m.manager === 'apk' ? w.replace(/[=<>~].*$/, '') : w.replace(/[=:].*$/, '');
    if (!name || name.includes('$')) continue;
    for (const p of knowledge.packageProvides(m.manager, name)) out.push(p);
  }
  return out;
}

function readPackages(words: string[], into: Set<string>, knowledge: Pick<LintKnowledge, 'packageProvides'>): void {
  for (const p of installedPackages(words, knowledge)) into.add(p);
}

/** The cgo setting a go command builds with, and why: explicit env first, then the toolchain's default. */
function cgoState(env: Record<string, string>, stage: Stage, local: Record<string, string>): CgoState {
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
    const why = img.cgoToolchain
      ? `the Debian-based ${stage.base?.raw ?? 'golang'} image has gcc, so cgo defaults to on`
      : 'gcc is installed in the builder, so cgo defaults to on';
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
      const name =
        pkg && pkg !== '.'
          ? pkg
              .replace(/\/\.\.\.$/, '')
              .split('/')
              .pop()
          : workdir.split('/').pop();
      return name ? joinPath(workdir, name) : undefined;
    }
    return joinPath(workdir, pkg.split('/').pop() ?? pkg);
  }
  if (cmd.sub === 'install') {
    const pkg = (cmd.packages[0] ?? '').replace(/@.*$/, '');
    const bin = env.GOBIN || (env.GOPATH ?? '/go') + '/bin';
    const name = pkg
      .replace(/\/\.\.\.$/, '')
      .split('/')
      .pop();
    return name && name !== '.' ? `${bin}/${name}` : bin;
  }
  return undefined;
}

/** How Docker reads the arguments of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD (BuildKit's parseMaybeJSON). */
export type ExecFormRead =
  /** a JSON array of strings: run without a shell */
  | { kind: 'exec'; words: string[] }
  /** anything else, including a `[` that does not parse as JSON: run as `/bin/sh -c "<text>"` */
  | { kind: 'shell'; jsonError?: string }
  /** a JSON array holding something other than strings: docker build stops */
  | { kind: 'invalid'; message: string };

/**
 * Docker decides the form by parsing the whole text as JSON: only an array of strings is exec form. Text that
 * starts with `[` but does not parse (`["/app", `, `['/app']`, a trailing comma) silently becomes shell form.
 */
export function readExecForm(args: string | null): ExecFormRead {
  const rest = (args ?? '').replace(/^\s+/, '');
  if (!rest.startsWith('[')) return { kind: 'shell' };
  let v: unknown;
  try {
    v = JSON.parse(rest);
  } catch (e) {
    return { kind: 'shell', jsonError: (e as Error).message };
  }
  if (!Array.isArray(v)) return { kind: 'shell', jsonError: 'not a JSON array' };
  if (!v.every((x) => typeof x === 'string')) return { kind: 'invalid', message: 'a JSON array that holds something other than strings' };
  return { kind: 'exec', words: v as string[] };
}

export function isExecForm(args: string | null): boolean {
  return readExecForm(args).kind !== 'shell';
}

/** The strings a broken exec form meant (`["/app", ` → ["/app"]), for a fix; undefined when none can be read. */
export function intendedWords(text: string): string[] | undefined {
  const words: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return words.length ? words : undefined;
}

/**
 * Where the build context's root lies in the image when a RUN runs: the last `COPY . <dest>` (or `./`)
 * from the context in this stage so far, else in its FROM ancestors. Undefined when the context was copied
 * piecemeal (`COPY go.mod ./`, `COPY cmd ./cmd`).
 */
function contextRootOf(stage: Stage, stages: Stage[]): string | undefined {
  for (let s: Stage | undefined = stage; s; s = s.parentStage !== undefined ? stages[s.parentStage] : undefined) {
    for (let i = s.copies.length - 1; i >= 0; i--) {
      const c = s.copies[i]!;
      if (c.from === undefined && c.sources.some((x) => x === '.' || x === './')) return c.destPath;
    }
  }
  return undefined;
}

export function joinPath(dir: string, p: string): string {
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
