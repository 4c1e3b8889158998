/** What a program's Go sources reveal that a runtime image must provide: TLS roots, zoneinfo, profiling endpoints. Text in, facts out. */
import type { SourceFacts } from './model.js';

const TLS_HINTS: [RegExp, string][] = [
  [/"crypto\/tls"/, 'imports crypto/tls'],
  [/"https:\/\//, 'an https:// URL'],
  [/\bhttp\.(Get|Post|Head|PostForm|NewRequest(WithContext)?)\s*\(/, 'an HTTP client call'],
  [/\bhttp\.(DefaultClient|Client\s*\{)/, 'an http.Client'],
  [/"google\.golang\.org\/grpc\/credentials"/, 'gRPC TLS credentials'],
  [/"(cloud\.google\.com\/go|github\.com\/aws\/aws-sdk-go(-v2)?|github\.com\/Azure\/azure-sdk-for-go)[/"]/, 'a cloud SDK'],
];

/** One Go file a linux build may compile: what cgoLinkage needs to follow a build target's imports. */
export interface GoFileFacts {
  /** the path in the build context (`cmd/api/main.go`) */
  path: string;
  /** its imports, `import "C"` left out (see `cgo`) */
  imports: string[];
  cgo: boolean;
  /** the GOARCH its name is for (`x_arm64.go`, `x_linux_arm64.go`), when it names one */
  arch?: string;
  /** its `//go:build` expression, when it has one */
  constraint?: string;
}

/** The non-test files of one directory of the module: a package. */
export interface LocalPackage {
  /** the directory in the build context, `` for its root, `/` separated */
  dir: string;
  /** the package clause (`main` for a command) */
  name: string;
  files: GoFileFacts[];
}

/** scanGoSources' answer: the facts of the whole module, and the same sources package by package. */
export interface ScannedSources extends SourceFacts {
  /** by directory in the build context (`` for its root) */
  packages: Record<string, LocalPackage>;
}

export function scanGoSources(files: { path: string; text: string }[]): ScannedSources {
  const facts: ScannedSources = { usesTls: false, loadsTimeZones: false, embedsTzdata: false, importsPprof: false, importsExpvar: false, imports: {}, packages: {} };
  for (const { path, text } of files) {
    if (builtOnLinux(path, text)) {
      const header = goHeader(text);
      const file: GoFileFacts = { path, imports: [], cgo: false };
      for (const imp of header.imports) {
        if (imp === 'C') {
          facts.cgoFile ??= path;
          file.cgo = true;
        } else {
          facts.imports![imp] ??= path;
          file.imports.push(imp);
        }
      }
      const arch = fileArch(path);
      if (arch) file.arch = arch;
      const constraint = buildConstraint(text);
      if (constraint !== undefined) file.constraint = constraint;
      const slash = path.lastIndexOf('/');
      const dir = slash < 0 ? '' : path.slice(0, slash);
      const pkg = (facts.packages[dir] ??= { dir, name: header.name ?? '', files: [] });
      if (!pkg.name && header.name) pkg.name = header.name;
      pkg.files.push(file);
    }
    if (!facts.usesTls) {
      for (const [re, what] of TLS_HINTS) {
        if (re.test(text)) {
          facts.usesTls = true;
          facts.tlsEvidence = `${what} in ${path}`;
          break;
        }
      }
    }
    if (!facts.loadsTimeZones) {
      const m = /\btime\.LoadLocation\s*\(\s*([^)]*)\)/.exec(text);
      if (m && !/^"(UTC|Local|)"$/.test(m[1]!.trim())) {
        facts.loadsTimeZones = true;
        facts.zoneEvidence = `time.LoadLocation(${m[1]!.trim()}) in ${path}`;
        facts.zoneLiteral = /^"[^"]+"$/.test(m[1]!.trim());
      }
    }
    if (/"time\/tzdata"/.test(text)) facts.embedsTzdata = true;
    if (/"net\/http\/pprof"/.test(text)) facts.importsPprof = true;
    if (/"expvar"/.test(text)) facts.importsExpvar = true;
  }
  return facts;
}

/** GOARCH values `go tool dist list` knows: a file named `x_<arch>.go` is compiled only for that one. */
export const KNOWN_GOARCH = ['386', 'amd64', 'amd64p32', 'arm', 'arm64', 'arm64be', 'armbe', 'loong64', 'mips', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'mipsle', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm'];

/** The GOARCH a file's name restricts it to: `x_arm64.go` and `x_linux_arm64.go`, not `arm64.go`. */
export function fileArch(path: string): string | undefined {
  const parts = (path.split('/').pop() ?? path).replace(/\.go$/, '').split('_');
  const last = parts[parts.length - 1]!;
  return parts.length > 1 && KNOWN_GOARCH.includes(last) ? last : undefined;
}

/** The expression of a file's `//go:build` line (before the package clause), if it has one. */
export function buildConstraint(text: string): string | undefined {
  const header = text.slice(0, Math.max(0, text.search(/^package\s/m)));
  return /^\/\/go:build\s+(.+?)\s*$/m.exec(header)?.[1];
}

const NON_LINUX_GOOS = ['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos'];

/**
 * Whether a file can be part of a linux build: not `//go:build ignore` (generators run with go run) and not
 * named for another OS (`x_windows.go`, `x_darwin_arm64.go`). Other constraints are assumed to hold, so the
 * imports read are a superset of what a linux build compiles.
 */
export function builtOnLinux(path: string, text: string): boolean {
  const base = (path.split('/').pop() ?? path).replace(/\.go$/, '');
  const parts = base.split('_');
  if (parts.length > 1) {
    const last = parts[parts.length - 1]!;
    const prev = parts.length > 2 ? parts[parts.length - 2]! : '';
    if (NON_LINUX_GOOS.includes(last) || NON_LINUX_GOOS.includes(prev)) return false;
  }
  const header = text.slice(0, Math.max(0, text.search(/^package\s/m)));
  return !/^\/\/go:build\s+ignore\s*$/m.test(header) && !/^\/\/\s*\+build\s+ignore\s*$/m.test(header);
}

/**
 * The import paths of a Go file (`import "C"` as `C`): the import declarations after the package clause,
 * read with comments and string literals understood. Stops at the first other declaration, as Go requires
 * imports to come first.
 */
export function goImports(text: string): string[] {
  return goHeader(text).imports;
}

/** The package clause's name and the import paths of a Go file (see goImports). */
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
