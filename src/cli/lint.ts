/** `gokiln lint [PATH...]`: find Dockerfiles, read their build contexts, lint, print, set the exit code by threshold. */
import type { Command } from 'commander';
import { readFileSync, readdirSync, statSync, existsSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { GokilnError, fsError, isGokilnError } from '../errors.js';
import { checkDirectory, readTextFile } from '../io/fs-errors.js';
import { EXIT, colors, errorLine, toJson } from './output.js';
import { lintDockerfile, sortFindings } from '../dockerfile/lint.js';
import { parseLintConfig, DEFAULT_CONFIG, type LintConfig } from '../dockerfile/config.js';
import { loadBuildContext } from '../dockerfile/context.js';
import { copiedBinaryJudge, type CopiedBinaryJudge } from '../analysis/copied-binary.js';
import { RULES } from '../dockerfile/registry.js';
import { SEVERITY_RANK, type Finding, type Severity } from '../dockerfile/types.js';
import { lintTty } from '../report/lint-tty.js';
import { lintJson } from '../report/lint-json.js';
import { lintSarif, lintSarifError } from '../report/lint-sarif.js';
import { lintGithub } from '../report/lint-github.js';
import { VERSION } from '../version.js';
import { isCalendarDay } from '../knowledge/eol.js';

interface LintFlags {
  format?: string;
  json?: boolean;
  config?: string;
  failureThreshold?: string;
  buildArg: string[];
  listRules?: boolean;
  context?: string;
  today?: string;
}

const FORMATS = ['tty', 'json', 'sarif', 'github'];

export function registerLint(program: Command, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('lint Dockerfiles that build Go programs (directories are searched for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile; - reads stdin)')
    .argument('[paths...]', 'Dockerfiles or directories', ['.'])
    .option('--format <format>', 'tty, json, sarif or github (default: tty)')
    .option('--json', 'the same as --format json')
    .option('--config <file>', 'config file (default: .gokiln.yaml in the current directory, if present)')
    .option('--failure-threshold <severity>', 'exit 1 when a finding is at least this severe: error, warning or info (default: error, or lint.failureThreshold)')
    .option('--build-arg <K=V>', 'a build argument, as docker build takes it (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--context <dir>', 'build context to read go.mod and Go sources from (default: each Dockerfile\'s directory)')
    .option('--today <YYYY-MM-DD>', 'the day end-of-support dates are compared with (default: today, UTC)')
    .option('--list-rules', 'print the rules and exit')
    .action(async (paths: string[], flags: LintFlags) => {
      const format = outputFormat(flags);
      try {
        await lint(paths, flags, format, setExit);
      } catch (e) {
        // a lint that fails before it could lint (a bad config or flag): a JSON or SARIF reader still gets a
        // document that says why, not an empty file; the exit code stays 2
        if (!isGokilnError(e) || (format !== 'json' && format !== 'sarif')) throw e;
        process.stderr.write(`gokiln: ${e.code}: ${e.message}\n`);
        process.stdout.write(format === 'json' ? toJson({ error: { code: e.code, message: e.message, ...(e.details.file === undefined ? {} : { file: e.details.file }) } }) : lintSarifError(e.code, e.message, VERSION));
        setExit(EXIT.INPUT);
      }
    });
}

/** `--json` is `--format json`; both given must agree. An unknown format is an error before anything is printed. */
function outputFormat(flags: LintFlags): string {
  if (flags.json && flags.format !== undefined && flags.format !== 'json') throw new GokilnError('E_USAGE', `--json contradicts --format ${flags.format}`);
  const format = flags.format ?? (flags.json ? 'json' : 'tty');
  if (!FORMATS.includes(format)) throw new GokilnError('E_USAGE', `--format must be one of ${FORMATS.join(', ')}`);
  return format;
}

async function lint(paths: string[], flags: LintFlags, format: string, setExit: (code: number) => void): Promise<void> {
  if (flags.listRules) {
    process.stdout.write(listRules(format));
    return;
  }
  const config = readConfig(flags.config);
  const threshold = (flags.failureThreshold ?? config.failureThreshold ?? 'error') as Severity;
  if (!(threshold in SEVERITY_RANK)) throw new GokilnError('E_USAGE', '--failure-threshold must be error, warning or info');
  const buildArgs: Record<string, string> = {};
  for (const kv of flags.buildArg) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new GokilnError('E_USAGE', `--build-arg wants NAME=value, got ${JSON.stringify(kv)}`);
    buildArgs[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  if (flags.today !== undefined && !isCalendarDay(flags.today)) throw new GokilnError('E_USAGE', `--today wants a real day as YYYY-MM-DD, got ${JSON.stringify(flags.today)}`);
  if (flags.context !== undefined) checkContextDir(flags.context);

  const findings: Finding[] = [];
  const contexts = new Map<string, ReturnType<typeof loadBuildContext>>();
  const judges = new Map<string, CopiedBinaryJudge>();
  let linted = 0;
  let unreadable = 0;
  let inputProblem = false;
  const unlisted = (f: Finding): void => {
    unreadable++;
    findings.push(f);
  };
  for (const target of expand(paths, unlisted)) {
    const display = target === '-' ? '-' : displayPath(target);
    let text: string;
    try {
      text = target === '-' ? readFileSync(0, 'utf8') : readFileSync(target, 'utf8');
    } catch (e) {
      inputProblem = true;
      unreadable++;
      findings.push(readProblem(display, e));
      continue;
    }
    linted++;
    const ctxDir = flags.context ?? (target === '-' ? process.cwd() : dirname(target));
    const known = contexts.get(ctxDir);
    const loaded = known ?? loadBuildContext(ctxDir);
    contexts.set(ctxDir, loaded);
    const { context } = loaded;
    // a go.mod problem is reported once per context, not once per Dockerfile in it
    const notes = known ? [] : loaded.notes;
    for (const n of notes) findings.push({ file: displayPath(n.file), line: n.line, column: 1, rule: 'GK000', severity: 'error', message: n.message, fix: 'Fix go.mod so the go command can read it.' });
    // prebuilt binaries the Dockerfile copies from the context are read with inspect's reader and judged
    const judgeCopied = judges.get(ctxDir) ?? copiedBinaryJudge(ctxDir, flags.today ? new Date(`${flags.today}T00:00:00Z`) : undefined);
    judges.set(ctxDir, judgeCopied);
    const opts: Parameters<typeof lintDockerfile>[1] = { file: display, buildArgs, context: { ...context, judgeCopied }, config };
    if (flags.today) opts.today = flags.today;
    findings.push(...lintDockerfile(text, opts));
  }
  if (findings.some((f) => f.rule === 'GK000')) inputProblem = true;
  const sorted = sortFindings(findings);
  process.stdout.write(render(format, sorted, linted, unreadable));
  if (sorted.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold])) setExit(EXIT.FINDINGS);
  if (inputProblem) setExit(EXIT.INPUT);
}

/** `--context` names the build context for every Dockerfile: it must be a readable directory. */
function checkContextDir(dir: string): void {
  try {
    checkDirectory(dir);
  } catch (e) {
    if (!isGokilnError(e)) throw e;
    throw new GokilnError(e.code, `--context ${e.message} (the build context is the directory docker build is given)`, e.details);
  }
}

function render(format: string, findings: Finding[], linted: number, unreadable: number): string {
  switch (format) {
    case 'json':
      return lintJson(findings);
    case 'sarif':
      return lintSarif(findings, RULES, VERSION);
    case 'github':
      return lintGithub(findings);
    default:
      return lintTty(findings, linted, colors(), unreadable);
  }
}

function listRules(format: string): string {
  if (format === 'json') return toJson(RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title, explanation: r.explanation, fix: r.fix })));
  return RULES.map((r) => `${r.id}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n') + '\n';
}

function readConfig(path: string | undefined): LintConfig {
  const p = path ?? (existsSync('.gokiln.yaml') ? '.gokiln.yaml' : existsSync('.gokiln.yml') ? '.gokiln.yml' : undefined);
  if (p === undefined) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = readTextFile(p);
  } catch (e) {
    if (!isGokilnError(e)) throw e;
    throw new GokilnError(e.code, `config ${e.message}`, e.details);
  }
  return parseLintConfig(text, p);
}

const DOCKERFILE_NAME = /^(Dockerfile|Containerfile|dockerfile)$|\.[Dd]ockerfile$|^(Dockerfile|Containerfile)\./;
/**
 * Names a directory search passes over: `Dockerfile.md` next to a Dockerfile documents it; compressed,
 * archived, binary and editor-swap files (`Containerfile.5.gz`, the man page podman installs in
 * /usr/share/man/man5) are not Dockerfiles either. A file named on the command line is linted whatever its name.
 */
const NOT_DOCKERFILE = /\.(md|txt|json|ya?ml|html?|pdf|png|jpe?g|gif|svg|gz|tgz|bz2|xz|txz|zst|lz|lzma|lz4|Z|zip|tar|7z|rar|deb|rpm|apk|so|o|a|exe|dll|bin|swp|swo|orig|rej)$/;
/** The start of a file a directory search skips: NUL bytes (binary), compression magic, a troff man page. */
function notDockerfileContent(path: string): boolean {
  let head: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } catch {
    // unreadable: keep it, so the read problem is reported
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.includes(0)) return true;
  const magic = [[0x1f, 0x8b], [0x42, 0x5a, 0x68], [0xfd, 0x37, 0x7a, 0x58, 0x5a], [0x28, 0xb5, 0x2f, 0xfd], [0x50, 0x4b, 0x03, 0x04], [0x1f, 0x9d]];
  if (magic.some((m) => m.every((b, i) => head[i] === b))) return true;
  // man pages (man(7) and mdoc(7)) open with a comment or a title macro; a Dockerfile cannot
  const first = head.toString('utf8').split('\n').find((l) => l.trim() !== '') ?? '';
  return /^(\.\\"|'\\"|\.TH\s|\.Dd\s|\.so\s)/.test(first);
}
const SKIP = new Set(['node_modules', 'vendor', '.git', 'testdata']);

/** Paths to lint: files as given, directories searched (sorted, bounded depth); a missing path is a finding. */
function expand(paths: string[], problem: (f: Finding) => void): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push('-');
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      problem(readProblem(displayPath(p), e));
      continue;
    }
    if (!st.isDirectory()) {
      // a named pipe or a device would block the read, or never end (/dev/zero): refused, not read
      if (st.isFile()) out.push(p);
      else problem({ file: displayPath(p), line: 1, column: 1, rule: 'GK000', severity: 'error', message: 'not a regular file (a named pipe, socket or device), so not read', fix: 'Pass the Dockerfile itself, or - to read it from standard input.' });
      continue;
    }
    const before = out.length;
    const walk = (d: string, depth: number) => {
      let names: string[];
      try {
        names = readdirSync(d).sort();
      } catch (e) {
        problem(readProblem(displayPath(d), e));
        return;
      }
      for (const n of names) {
        const full = join(d, n);
        let s;
        try {
          s = statSync(full);
        } catch {
          continue;
        }
        if (s.isDirectory()) {
          if (depth < 6 && !SKIP.has(n) && !n.startsWith('.')) walk(full, depth + 1);
        } else if (s.isFile() && DOCKERFILE_NAME.test(n) && !NOT_DOCKERFILE.test(n) && !notDockerfileContent(full)) out.push(full);
      }
    };
    walk(p, 0);
    if (out.length === before) problem({ file: displayPath(p), line: 1, column: 1, rule: 'GK000', severity: 'error', message: 'no Dockerfile found in this directory', fix: 'Pass a Dockerfile path, or a directory holding Dockerfile, *.Dockerfile, Dockerfile.* or Containerfile.' });
  }
  return out;
}

/**
 * An input that cannot be read: a GK000 finding naming gokiln's error code, and the error line every
 * command prints on stderr for it (the same code inspect or plan would give for that path).
 */
function readProblem(file: string, e: unknown): Finding {
  const err = fsError(e, file);
  process.stderr.write(errorLine(err.code, err.message));
  const why = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
  return { file, line: 1, column: 1, rule: 'GK000', severity: 'error', message: `cannot read (${err.code}): ${why}`, fix: 'Check the path and its permissions.' };
}

function displayPath(p: string): string {
  const abs = isAbsolute(p) ? p : resolve(p);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}
