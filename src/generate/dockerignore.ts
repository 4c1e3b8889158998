/**
 * A .dockerignore that keeps the build context to what `go build` reads: sources, go.mod/go.sum,
 * embedded files and (for --offline, or whenever the project vendors) vendor/.
 *
 * Docker reads each line as a pattern relative to the context root (`dist` is the top-level dist/ only,
 * `**` crosses directories), a path is excluded when a pattern matches it or one of its parent
 * directories, and a later `!pattern` takes matching paths back. So the generator drops every exclusion
 * that could match a package directory that is built (or a parent of one) or a path a `//go:embed`
 * pattern needs (or a parent of it), and then ends with a `!` exception per embed pattern, which takes
 * back what a pattern crossing directories (`**\/.DS_Store`) would still remove from an embedded tree.
 */

export interface DockerignoreOptions {
  keepVendor: boolean;
  /** Directories of the packages that are built (`.`, `./bin/tool`). */
  packageDirs?: string[];
  /** `//go:embed` patterns with the directory of their package (`{ dir: './web', pattern: 'static/*' }`). */
  embedPatterns?: Array<{ dir: string; pattern: string }>;
}

export function renderDockerignore(opts: DockerignoreOptions): string {
  const needed = [...(opts.packageDirs ?? []).map(contextPath), ...(opts.embedPatterns ?? []).map(embedContextPath)].filter(Boolean);
  const embeds = [...new Set((opts.embedPatterns ?? []).map(embedContextPath).filter(Boolean))].sort();
  // a pattern with ** (any depth) stays: the embed exceptions below take back what it would remove
  const excl = (p: string) => p.includes('**') || !needed.some((n) => mayMatchPathOrParent(p, n));
  const lines = [
    '# Written by gokiln init: the build context holds only what go build needs.',
    '.git',
    '.gitignore',
    '.github',
    '.gitlab-ci.yml',
    '.vscode',
    '.idea',
    '**/.DS_Store',
    '# the Dockerfile and manifests do not go into the image',
    'Dockerfile*',
    '.dockerignore',
    'k8s',
    // named files, not coverage.*: that would also take a coverage.go of the root package
    '# local build output, coverage and secrets',
    'bin',
    'dist',
    '*.test',
    '*.out',
    'coverage.html',
    'coverage.txt',
    '.env',
    '.env.*',
  ].filter((l) => l.startsWith('#') || excl(l));
  if (!opts.keepVendor)
    lines.push('# modules are downloaded in the build (go mod download); a stale vendor/ must not switch on -mod=vendor', 'vendor');
  if (embeds.length) {
    lines.push('# embedded by //go:embed: go build fails when a pattern matches nothing, so these are never excluded');
    for (const e of embeds) lines.push(`!${e}`);
  }
  return lines.join('\n') + '\n';
}

/** `./cmd/api` → `cmd/api`, `.` → `` (the context root). */
function contextPath(dir: string): string {
  return dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
}

/** The context path an embed pattern names: its package directory joined with the pattern, `all:` dropped. */
export function embedContextPath(e: { dir: string; pattern: string }): string {
  const d = contextPath(e.dir);
  const p = e.pattern
    .replace(/^all:/, '')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  return d ? (p && p !== '.' ? `${d}/${p}` : d) : p === '.' ? '' : p;
}

const GLOB = /[*?[\\]/;

/** One path element of a docker pattern as a regular expression (`*` and `?` stay inside the element). */
function elementRegex(el: string): RegExp {
  let r = '';
  for (let i = 0; i < el.length; i++) {
    const c = el[i]!;
    if (c === '*') r += '[^/]*';
    else if (c === '?') r += '[^/]';
    else if (c === '[') {
      const end = el.indexOf(']', i + 1);
      if (end < 0) r += '\\[';
      else {
        r += `[${el
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < el.length) r += `\\${el[++i]}`;
    else r += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${r}$`);
}

/** Whether two path elements, either of which may be a glob, can name the same file. */
function elementsMayMeet(a: string, b: string): boolean {
  const ga = GLOB.test(a);
  const gb = GLOB.test(b);
  if (!ga && !gb) return a === b;
  if (ga && gb) return true; // two globs: assume they can, never drop less than needed
  return ga ? elementRegex(a).test(b) : elementRegex(b).test(a);
}

/**
 * Whether the exclusion pattern `pattern` could match the path `target` (itself possibly a glob) or one
 * of its parent directories, under docker's rules (anchored at the context root, `**` any depth).
 */
export function mayMatchPathOrParent(pattern: string, target: string): boolean {
  const p = pattern
    .replace(/^\/+/, '')
    .split('/')
    .filter((x) => x !== '' && x !== '.');
  const t = target.split('/').filter(Boolean);
  const go = (i: number, j: number): boolean => {
    // the pattern is used up: it matched target[0..j), a parent of target (or target itself)
    if (i === p.length) return j > 0 || t.length === 0;
    if (p[i] === '**') {
      for (let k = j; k <= t.length; k++) if (go(i + 1, k)) return true;
      return false;
    }
    if (j === t.length) return false;
    return elementsMayMeet(p[i]!, t[j]!) && go(i + 1, j + 1);
  };
  return t.length > 0 && go(0, 0);
}
