/**
 * What one Go source file says, read from its text without a Go parser: the package clause, the imports,
 * the build constraint, the cgo preamble's directives, `//go:embed` patterns, and calls or imports that
 * need files in the image at run time (time zones, TLS roots). Comments and string literals are understood,
 * so `time.LoadLocation` inside a comment is not a call. Pure: text in, facts out.
 */
import { headerConstraint } from './target.js';

/** One `#cgo` directive of a cgo preamble: `#cgo linux,amd64 LDFLAGS: -lz`. */
export interface CgoDirective {
  /** the build condition before the variable (`linux,amd64`), empty when none */
  cond: string;
  kind: 'pkg-config' | 'LDFLAGS' | 'CFLAGS' | 'CPPFLAGS' | 'CXXFLAGS' | 'FFLAGS';
  args: string[];
}

export interface GoFile {
  /** the file's path from the module root (`cmd/api/main.go`), `/`-separated */
  path: string;
  /** the file name (`main.go`) */
  name: string;
  /** the package clause; null when the file has none */
  packageName: string | null;
  /** import paths in order, `C` left out (see `cgo`) */
  imports: string[];
  /** `import "C"` present */
  cgo: boolean;
  /** the `#cgo` directives of the preamble (only with `import "C"`) */
  cgoDirectives: CgoDirective[];
  /** the header's build constraint (`//go:build`, or `// +build` lines as one expression) */
  constraint?: string;
  /** `//go:embed` patterns as written, unquoted */
  embedPatterns: string[];
  /** the first `time.LoadLocation(arg)` whose argument is not "UTC", "Local" or "" */
  loadLocation?: { arg: string; literal: boolean };
  /** why the file needs TLS roots (`imports crypto/tls`), when it does */
  tls?: string;
  /** package-level variables a linker `-X` can set: declared `string`, or initialised from a literal or a constant */
  stringVars: string[];
  /** literal listen addresses the program sets by default (`":8080"` in a Listen call or a flag default), each with its line */
  listens: Array<{ port: number; line: number; text: string; kind: 'listen' | 'default' }>;
  /** health-check paths the program serves (`HandleFunc("/healthz"`), each with its line */
  healthPaths: Array<{ path: string; line: number }>;
}

const TLS_HINTS: [RegExp, string][] = [
  [/"crypto\/tls"/, 'imports crypto/tls'],
  [/"https:\/\//, 'an https:// URL'],
  [/\bhttp\.(Get|Post|Head|PostForm|NewRequest(WithContext)?)\s*\(/, 'an HTTP client call'],
  [/\bhttp\.(DefaultClient|Client\s*\{)/, 'an http.Client'],
  [/"google\.golang\.org\/grpc\/credentials"/, 'gRPC TLS credentials'],
  [/"(cloud\.google\.com\/go|github\.com\/aws\/aws-sdk-go(-v2)?|github\.com\/Azure\/azure-sdk-for-go)[/"]/, 'a cloud SDK'],
];

export function readGoFile(path: string, text: string): GoFile {
  const name = path.split('/').pop() ?? path;
  const head = goHeader(text);
  const pkgAt = text.search(/^package\s/m);
  const constraint = headerConstraint(text.slice(0, Math.max(0, pkgAt)));
  const cgo = head.imports.includes('C');
  const file: GoFile = {
    path,
    name,
    packageName: head.name ?? null,
    imports: head.imports.filter((i) => i !== 'C'),
    cgo,
    cgoDirectives: cgo ? cgoDirectives(text) : [],
    embedPatterns: [...text.matchAll(/^\/\/go:embed\s+(.*)$/gm)].flatMap((m) => embedPatternWords(m[1]!)),
    stringVars: [],
    listens: [],
    healthPaths: [],
  };
  if (constraint !== undefined) file.constraint = constraint;
  const code = stripCommentsAndStrings(text);
  // the argument is read from the raw text at the call's position: the stripped copy blanks string contents
  const call = /\btime\s*\.\s*LoadLocation(?:FromTZData)?\s*\(/g;
  for (let m = call.exec(code); m; m = call.exec(code)) {
    const close = code.indexOf(')', m.index + m[0].length);
    const arg = text.slice(m.index + m[0].length, close < 0 ? undefined : close).trim();
    if (/^"(UTC|Local|)"$/.test(arg)) continue;
    file.loadLocation = { arg, literal: /^"[^"]+"$/.test(arg) };
    break;
  }
  for (const [re, what] of TLS_HINTS) {
    if (re.test(text)) {
      file.tls = what;
      break;
    }
  }
  file.stringVars = stringVars(code);
  readServing(text, code, file);
  return file;
}

/**
 * Top-level `var` names (gofmt puts them at column 0, a `var (` block's specs one tab in) whose type is
 * string or whose value is a literal or an identifier: what `go build -ldflags=-X pkg.name=value` can set.
 */
function stringVars(code: string): string[] {
  const out = new Set<string>();
  const spec = /^([A-Za-z_]\w*)\s+(?:string\b|=\s*(?:"|`|[A-Za-z_]\w*\s*$))/;
  let block = false;
  for (const line of code.split('\n')) {
    if (block) {
      if (/^\)/.test(line)) block = false;
      else if (/^\t[A-Za-z_]/.test(line)) {
        const m = spec.exec(line.slice(1));
        if (m) out.add(m[1]!);
      }
      continue;
    }
    if (/^var\s*\(\s*$/.test(line)) block = true;
    else if (line.startsWith('var ')) {
      const m = spec.exec(line.slice(4).trim());
      if (m) out.add(m[1]!);
    }
  }
  return [...out].sort();
}

/** A line that listens (a Listen or Serve call, a server's Addr field), or defines a flag and its default. */
const LISTEN_CALL = /\bListen\w*\(|\bAddr\s*:/;
/** A flag definition with its default, or a default assigned to an address variable (`addr = ":8080"`). */
const FLAG_DEF = /\bflag\.\w+\(|\.Flag\(|\.Default\(|\bAddFlags\(|\b\w+Var(?:P)?\(|\b\w*(?:[Aa]ddr|[Ll]isten)\w*\s*:?=\s*"/;
const LISTEN_LITERAL = /"((?:0\.0\.0\.0|\[::\])?:(\d{2,5}))"/g;
const PORT_FLAG = /"(?:port|listen-port|http-port)"\s*,\s*(\d{2,5})\b/i;
const HEALTH = /\.Handle(?:Func)?\(\s*"(\/(?:-\/)?(?:healthz?|healthy|readyz?|ready|livez|ping))"/;

/** Listen addresses and health paths, from lines outside comments (the stripped copy says where code is). */
function readServing(text: string, code: string, file: GoFile): void {
  const raw = text.split('\n');
  const stripped = code.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    const c = stripped[i] ?? '';
    if (!c.trim()) continue;
    const kind = LISTEN_CALL.test(c) ? 'listen' : FLAG_DEF.test(c) ? 'default' : null;
    if (kind) {
      for (const m of line.matchAll(LISTEN_LITERAL)) {
        const port = Number(m[2]);
        if (port > 0 && port < 65536) file.listens.push({ port, line: i + 1, text: m[1]!, kind });
      }
      const pf = kind === 'default' ? PORT_FLAG.exec(line) : null;
      if (pf) file.listens.push({ port: Number(pf[1]), line: i + 1, text: pf[0], kind });
    }
    const h = HEALTH.exec(line);
    if (h) file.healthPaths.push({ path: h[1]!, line: i + 1 });
  }
}

/** The `#cgo` lines of the text (the preamble is a comment, so the raw lines are read). */
function cgoDirectives(text: string): CgoDirective[] {
  const out: CgoDirective[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:\/\/\s*)?#cgo\s+(?:([!\w, ]+?)\s+)?(pkg-config|LDFLAGS|CFLAGS|CPPFLAGS|CXXFLAGS|FFLAGS):\s*(.*)$/.exec(line);
    if (m) out.push({ cond: (m[1] ?? '').trim(), kind: m[2] as CgoDirective['kind'], args: m[3]!.trim().split(/\s+/).filter(Boolean) });
  }
  return out;
}

/** Replaces comments and string/rune literals by spaces, keeping line structure. */
export function stripCommentsAndStrings(src: string): string {
  let out = '';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && src[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && next === '*') {
      out += '  ';
      i += 2;
      while (i < n && !(src[i] === '*' && src[i + 1] === '/')) {
        out += src[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += '  ';
      i += 2;
    } else if (c === '"' || c === "'") {
      out += c;
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          out += ' ';
          i++;
        }
        out += ' ';
        i++;
      }
      out += c;
      i++;
    } else if (c === '`') {
      out += c;
      i++;
      while (i < n && src[i] !== '`') {
        out += src[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += '`';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * The words of a `//go:embed` line as the go command splits them: space-separated, or a Go string
 * literal ("a b" or `a b`) for a pattern with spaces.
 */
export function embedPatternWords(line: string): string[] {
  const out: string[] = [];
  let rest = line.trim();
  while (rest) {
    let m: RegExpExecArray | null;
    if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) out.push(unquote(`"${m[1]}"`));
    else if ((m = /^`([^`]*)`/.exec(rest))) out.push(m[1]!);
    else if ((m = /^\S+/.exec(rest))) out.push(m[0]);
    else break;
    rest = rest.slice(m[0].length).trim();
  }
  return out;
}

/** The import paths of a Go file (`import "C"` as `C`), in order; none after the first other declaration. */
export function goImports(text: string): string[] {
  return goHeader(text).imports;
}

/** The package clause's name and the import paths of a Go file: the declarations Go requires first. */
export function goHeader(text: string): { name?: string; imports: string[] } {
  const toks = goTokens(text, 4000);
  const out: string[] = [];
  let i = 0;
  if (toks[i] !== 'package') return { imports: out };
  const name = toks[i + 1];
  i += 2;
  while (toks[i] === ';') i++;
  while (toks[i] === 'import') {
    i++;
    const spec = () => {
      // [name | . | _] "path"
      if (toks[i] !== undefined && !toks[i]!.startsWith('"') && !toks[i]!.startsWith('`')) i++;
      const t = toks[i];
      if (t !== undefined && (t.startsWith('"') || t.startsWith('`'))) {
        out.push(t.startsWith('`') ? t.slice(1, -1) : unquote(t));
        i++;
      }
    };
    if (toks[i] === '(') {
      i++;
      while (i < toks.length && toks[i] !== ')') {
        if (toks[i] === ';') i++;
        else {
          const before = i;
          spec();
          if (i === before) i++;
        }
      }
      i++;
    } else spec();
    while (toks[i] === ';') i++;
  }
  return name !== undefined && /^[A-Za-z_\u0080-\uffff]/.test(name) ? { name, imports: out } : { imports: out };
}

function unquote(s: string): string {
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.slice(1, -1);
  }
}

/** Go tokens, enough for the package clause and imports: identifiers, strings, punctuation, newlines as `;`. */
function goTokens(text: string, max: number): string[] {
  const toks: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && toks.length < max) {
    const c = text[i]!;
    if (c === '\n') {
      if (toks.length && toks[toks.length - 1] !== ';') toks.push(';');
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '/' && text[i + 1] === '/') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      const body = text.slice(i, e < 0 ? n : e);
      if (body.includes('\n') && toks.length && toks[toks.length - 1] !== ';') toks.push(';');
      i = e < 0 ? n : e + 2;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      toks.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === '`') {
      const e = text.indexOf('`', i + 1);
      toks.push(text.slice(i, e < 0 ? n : e + 1));
      i = e < 0 ? n : e + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_\u0080-\uffff]/.test(text[j]!)) j++;
      toks.push(text.slice(i, j));
      i = j;
    } else {
      toks.push(c);
      i++;
    }
  }
  return toks;
}
