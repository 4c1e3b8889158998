/**
 * What one Go source file says about the container it will run in, read from text without a Go
 * parser: package name, imports, cgo directives, and calls that need files at run time.
 * Comments and string literals are stripped first so `time.LoadLocation` inside a comment is not a use.
 */

export interface GoFileFacts {
  packageName: string | null;
  imports: string[];
  /** `import "C"` present. */
  cgo: boolean;
  /** `#cgo pkg-config:` names, in order, deduplicated. */
  pkgConfig: string[];
  /** `-lNAME` from `#cgo LDFLAGS:` lines. */
  ldLibs: string[];
  /** `time.LoadLocation(` or `time.LoadLocationFromTZData(` called (zone names read from the system). */
  loadLocation: boolean;
  /** `//go:embed` directives. */
  embed: boolean;
  /** The patterns of the `//go:embed` lines, as written (`dist`, `static/*`, `all:web`), unquoted. */
  embedPatterns: string[];
  /** `//go:build` expression, when the file has one. */
  buildConstraint: string | null;
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
      while (i < n && src[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && next === '*') {
      out += '  ';
      i += 2;
      while (i < n && !(src[i] === '*' && src[i + 1] === '/')) { out += src[i] === '\n' ? '\n' : ' '; i++; }
      out += '  ';
      i += 2;
    } else if (c === '"' || c === "'") {
      out += c;
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') { out += ' '; i++; }
        out += ' ';
        i++;
      }
      out += c;
      i++;
    } else if (c === '`') {
      out += c;
      i++;
      while (i < n && src[i] !== '`') { out += src[i] === '\n' ? '\n' : ' '; i++; }
      out += '`';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_SPEC = /^\s*(?:[A-Za-z_][\w]*\s+|\.\s+|_\s+)?"([^"]+)"/;

export function analyzeGoSource(src: string): GoFileFacts {
  const facts: GoFileFacts = { packageName: null, imports: [], cgo: false, pkgConfig: [], ldLibs: [], loadLocation: false, embed: false, embedPatterns: [], buildConstraint: null };
  const bc = /^\/\/go:build\s+(.+)$/m.exec(src);
  if (bc) facts.buildConstraint = bc[1]!.trim();
  facts.embed = /^\/\/go:embed\s/m.test(src);
  for (const m of src.matchAll(/^\/\/go:embed\s+(.*)$/gm)) facts.embedPatterns.push(...embedPatternWords(m[1]!));

  // cgo directives live in comments, so read them from the raw text, line by line
  for (const line of src.split('\n')) {
    const m = /^\s*(?:\/\/\s*)?#cgo\s+(?:[!\w, ]+\s+)?(pkg-config|LDFLAGS|CFLAGS|CPPFLAGS|CXXFLAGS|FFLAGS):\s*(.*)$/.exec(line);
    if (!m) continue;
    const args = m[2]!.trim().split(/\s+/).filter(Boolean);
    if (m[1] === 'pkg-config') {
      for (const a of args) if (!a.startsWith('-') && !facts.pkgConfig.includes(a)) facts.pkgConfig.push(a);
    } else if (m[1] === 'LDFLAGS') {
      for (const a of args) {
        const l = /^-l(.+)$/.exec(a);
        if (l && !facts.ldLibs.includes(l[1]!)) facts.ldLibs.push(l[1]!);
      }
    }
  }

  // imports: read the raw text after the package clause, where the specs are plain string literals
  const code = stripCommentsAndStrings(src);
  const pkg = /^\s*package\s+([A-Za-z_]\w*)/m.exec(code);
  if (pkg) facts.packageName = pkg[1]!;
  const rawLines = src.split('\n');
  const codeLines = code.split('\n');
  let inBlock = false;
  for (let i = 0; i < codeLines.length; i++) {
    const cl = codeLines[i]!;
    const raw = rawLines[i] ?? '';
    if (!inBlock) {
      if (/^\s*import\s*\(/.test(cl)) {
        inBlock = true;
        const rest = raw.slice(raw.indexOf('(') + 1);
        const m = IMPORT_SPEC.exec(rest);
        if (m) facts.imports.push(m[1]!);
        if (/\)\s*$/.test(cl.slice(cl.indexOf('(') + 1))) inBlock = false;
        continue;
      }
      const single = /^\s*import\s+/.exec(cl);
      if (single) {
        const m = IMPORT_SPEC.exec(raw.slice(single[0].length));
        if (m) facts.imports.push(m[1]!);
      } else if (/^\s*(func|type|var|const)\b/.test(cl)) {
        break; // imports come before any declaration
      }
    } else {
      if (/^\s*\)/.test(cl)) { inBlock = false; continue; }
      const m = IMPORT_SPEC.exec(raw);
      if (m) facts.imports.push(m[1]!);
    }
  }
  facts.cgo = facts.imports.includes('C');
  // a file without import "C" has no cgo preamble; `#cgo` text elsewhere is not a directive
  if (!facts.cgo) { facts.pkgConfig = []; facts.ldLibs = []; }
  facts.loadLocation = /\btime\s*\.\s*LoadLocation(?:FromTZData)?\s*\(/.test(code);
  return facts;
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
    if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) out.push(JSON.parse(`"${m[1]}"`) as string);
    else if ((m = /^`([^`]*)`/.exec(rest))) out.push(m[1]!);
    else if ((m = /^\S+/.exec(rest))) out.push(m[0]);
    else break;
    rest = rest.slice(m[0].length).trim();
  }
  return out;
}
