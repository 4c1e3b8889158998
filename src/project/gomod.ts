/**
 * A go.mod reader: text in, typed data out, no file system. It follows the grammar of
 * `golang.org/x/mod/modfile` (line and block directives, quoted or raw-quoted tokens, `//` comments)
 * closely enough to read every real go.mod; anything it cannot read is an E_PARSE with the line number.
 */
import { GokilnError } from '../errors.js';

export interface ModRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}
export interface ModReplace {
  old: { path: string; version: string | null };
  /** A local directory replacement has `version: null` and a path starting with `./`, `../` or `/`. */
  new: { path: string; version: string | null };
  line: number;
}
export interface ModExclude {
  path: string;
  version: string;
  line: number;
}
export interface GoMod {
  module: string | null;
  /** The `go` line (`1.22`, `1.21.3`), a minimum since Go 1.21. */
  go: string | null;
  goLine: number | null;
  toolchain: string | null;
  godebug: Array<{ key: string; value: string; line: number }>;
  require: ModRequire[];
  replace: ModReplace[];
  exclude: ModExclude[];
  retract: Array<{ version: string; line: number }>;
  tool: string[];
}

const KNOWN = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']);

/** One line split into tokens; `comment` is the text after `//` (used for `// indirect`). */
interface Tokens {
  words: string[];
  comment: string;
}

function tokenize(text: string, lineNo: number, file: string | undefined): Tokens {
  const words: string[] = [];
  let i = 0;
  let comment = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      comment = text.slice(i + 2).trim();
      break;
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          out += text[j + 1];
          j += 2;
        } else out += text[j++];
      }
      if (j >= text.length) throw err(`unterminated quoted string`, lineNo, file);
      words.push(out);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j < 0) throw err(`unterminated raw string`, lineNo, file);
      words.push(text.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')') {
      words.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !' \t\r()"`'.includes(text[j]!) && !text.startsWith('//', j)) j++;
    words.push(text.slice(i, j));
    i = j;
  }
  return { words, comment };
}

function err(message: string, line: number, file: string | undefined): GokilnError {
  return new GokilnError('E_PARSE', `${file ?? 'go.mod'}:${line}: ${message}`, { file, line });
}

const VERSION_RE = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const GO_VERSION_RE = /^1(?:\.\d+){1,2}(?:(?:rc|beta)\d+)?$/;
const TOOLCHAIN_RE = /^go1(?:\.\d+){1,2}(?:(?:rc|beta)\d+)?(?:-[\w.-]+)?$|^default$/;

function isLocalPath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../') || p.startsWith('/') || p === '.' || p === '..' || /^[A-Za-z]:[\\/]/.test(p);
}

/** Parses go.mod text. `file` only names the file in error messages. */
export function parseGoMod(text: string, file?: string): GoMod {
  const mod: GoMod = {
    module: null,
    go: null,
    goLine: null,
    toolchain: null,
    godebug: [],
    require: [],
    replace: [],
    exclude: [],
    retract: [],
    tool: [],
  };
  const lines = text.split('\n');
  let block: string | null = null;
  let blockLine = 0;
  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1;
    const { words, comment } = tokenize(lines[idx]!, lineNo, file);
    if (words.length === 0) continue;
    if (block !== null) {
      if (words[0] === ')') {
        if (words.length > 1) throw err(`unexpected text after ')'`, lineNo, file);
        block = null;
        continue;
      }
      if (words.includes('(') || words.includes(')')) throw err(`unexpected parenthesis inside ${block} block`, lineNo, file);
      directive(mod, block, words, comment, lineNo, file);
      continue;
    }
    const verb = words[0]!;
    if (!KNOWN.has(verb)) throw err(`unknown directive: ${verb}`, lineNo, file);
    if (words[1] === '(') {
      if (words.length !== 2) throw err(`unexpected text after '('`, lineNo, file);
      if (verb === 'module' || verb === 'go' || verb === 'toolchain') throw err(`${verb} cannot be a block`, lineNo, file);
      block = verb;
      blockLine = lineNo;
      continue;
    }
    if (words.includes('(') || words.includes(')')) throw err(`unexpected parenthesis`, lineNo, file);
    directive(mod, verb, words.slice(1), comment, lineNo, file);
  }
  // reported where the file ends, as the go command does, naming where the block began
  if (block !== null) throw err(`syntax error (unterminated ${block} block started at line ${blockLine})`, lines.length, file);
  return mod;
}

function directive(mod: GoMod, verb: string, a: string[], comment: string, line: number, file: string | undefined): void {
  const need = (n: number, usage: string) => {
    if (a.length !== n) throw err(`usage: ${usage}`, line, file);
  };
  switch (verb) {
    case 'module':
      need(1, 'module module/path');
      if (mod.module !== null) throw err('repeated module statement', line, file);
      mod.module = a[0]!;
      return;
    case 'go':
      need(1, 'go 1.23');
      if (mod.go !== null) throw err('repeated go statement', line, file);
      if (!GO_VERSION_RE.test(a[0]!)) throw err(`invalid go version '${a[0]}': must match format 1.23.0`, line, file);
      mod.go = a[0]!;
      mod.goLine = line;
      return;
    case 'toolchain':
      need(1, 'toolchain go1.23.1');
      if (mod.toolchain !== null) throw err('repeated toolchain statement', line, file);
      if (!TOOLCHAIN_RE.test(a[0]!)) throw err(`invalid toolchain '${a[0]}': must be goVERSION like go1.23.1`, line, file);
      mod.toolchain = a[0]!;
      return;
    case 'godebug': {
      need(1, 'godebug key=value');
      const eq = a[0]!.indexOf('=');
      if (eq <= 0) throw err(`usage: godebug key=value`, line, file);
      mod.godebug.push({ key: a[0]!.slice(0, eq), value: a[0]!.slice(eq + 1), line });
      return;
    }
    case 'require':
      need(2, 'require module/path v1.2.3');
      mod.require.push({ path: a[0]!, version: checkVersion(a[1]!, line, file), indirect: /^indirect\b/.test(comment), line });
      return;
    case 'exclude':
      need(2, 'exclude module/path v1.2.3');
      mod.exclude.push({ path: a[0]!, version: checkVersion(a[1]!, line, file), line });
      return;
    case 'replace': {
      const arrow = a.indexOf('=>');
      if (arrow < 0 || arrow > 2 || a.length - arrow - 1 < 1 || a.length - arrow - 1 > 2 || arrow === 0) {
        throw err(
          'usage: replace module/path [v1.2.3] => other/module v1.4 or replace module/path [v1.2.3] => ../local/directory',
          line,
          file,
        );
      }
      const oldV = arrow === 2 ? checkVersion(a[1]!, line, file) : null;
      const newPath = a[arrow + 1]!;
      const newV = a[arrow + 2] === undefined ? null : checkVersion(a[arrow + 2]!, line, file);
      if (newV === null && !isLocalPath(newPath))
        throw err(`replacement module without version must be directory path (rooted or starting with . or ..)`, line, file);
      if (newV !== null && isLocalPath(newPath)) throw err(`replacement directory cannot have a version`, line, file);
      mod.replace.push({ old: { path: a[0]!, version: oldV }, new: { path: newPath, version: newV }, line });
      return;
    }
    case 'retract':
      if (a.length === 1) mod.retract.push({ version: a[0]!, line });
      else if (a.length === 3 && a[0] === '[') mod.retract.push({ version: a.join(' '), line });
      else mod.retract.push({ version: a.join(' '), line });
      return;
    case 'tool':
      need(1, 'tool module/path/cmd');
      mod.tool.push(a[0]!);
      return;
    case 'ignore':
      return;
    default:
      throw err(`unknown directive: ${verb}`, line, file);
  }
}

/**
 * A semantic version, canonicalised as the go command does for the main module (`v1.2` → `v1.2.0`).
 * Branch names and other queries need the network to resolve, so they are an error here.
 */
function checkVersion(v: string, line: number, file: string | undefined): string {
  const short = /^v(\d+)(?:\.(\d+))?$/.exec(v);
  if (short) return `v${short[1]}.${short[2] ?? '0'}.0`;
  if (!VERSION_RE.test(v)) throw err(`invalid version '${v}': must be of the form v1.2.3`, line, file);
  return v;
}

/** Compares Go versions as the go command does (`1.21` < `1.21rc1` < `1.21.0` < `1.21.1` < `1.22`). */
export function compareGoVersions(a: string, b: string): number {
  const pa = splitGo(a);
  const pb = splitGo(b);
  for (let i = 0; i < pa.length; i++) {
    const d = pa[i]! - pb[i]!;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** [major, minor, kind, n, patch]: kind 0 = language version only, 1 = beta, 2 = rc, 3 = release. */
function splitGo(v: string): number[] {
  const s = v.replace(/^go/, '');
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta)(\d+))?/.exec(s);
  if (!m) return [0, 0, 0, 0, 0];
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  if (m[4]) return [major, minor, m[4] === 'beta' ? 1 : 2, Number(m[5]), 0];
  if (m[3] !== undefined) return [major, minor, 3, 0, Number(m[3])];
  // "1.21" alone is the language version, ordered before its prereleases and releases
  return [major, minor, 0, 0, 0];
}

/** `1.22.3` → `1.22`: the language version a golang image tag is chosen by (knowledge/go-releases.ts). */
export { goMinor } from '../knowledge/go-releases.js';
