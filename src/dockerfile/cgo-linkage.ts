/**
 * Whether a Go build with cgo on really links cgo. `CGO_ENABLED=1` only makes cgo available: the binary is
 * linked dynamically (and names the C loader in PT_INTERP) only when some package in it uses cgo, a package
 * with `import "C"` in the module or a dependency, or a standard package that uses cgo when it can (net,
 * os/user, plugin; see std-cgo.ts). A program of pure-Go packages is a static binary either way.
 *
 * What counts is the program: the package(s) the command builds and what they import, not every package of
 * the module. The targets are read from the command's package arguments (`.`, `./cmd/api`, `./...`,
 * `example.com/app/cmd/api`, `main.go`), relative paths taken from the module root, where `COPY . .` puts
 * the build context; the import graph is followed through the module's own packages (import path ↔
 * directory by go.mod's module path) and vendor/. When the target cannot be found, every package of the
 * module is read, as before, and `why` says so.
 */
import { posix } from 'node:path';
import { joinPath } from './steps.js';
import type { BuildContext, SourceFacts } from './model.js';
import type { GoInvocation } from './model.js';
import { KNOWN_GOARCH, type GoFileFacts, type LocalPackage, type ScannedSources } from './sources.js';
import { PURE_GO_TAG, STD_CGO } from './std-cgo.js';

export interface CgoLinkage {
  /** true: the program links cgo; false: nothing in it uses cgo; undefined: gokiln cannot tell */
  links: boolean | undefined;
  /** the evidence, for a message: `main.go imports net/http, which uses cgo through net` */
  why: string;
}

/** A standard-library path: no dot in the first element, and not inside the module (`module x` has no dot either). */
export function isStdImport(path: string, modulePath: string | undefined): boolean {
  if (modulePath && (path === modulePath || path.startsWith(modulePath + '/'))) return false;
  return !(path.split('/')[0] ?? '').includes('.');
}

/** Build tags a go command sets, from `-tags` and from GOFLAGS in its environment. */
function buildTags(inv: Pick<GoInvocation, 'flags' | 'env'>): Set<string> {
  const tags = new Set<string>();
  const add = (v: string) => v.split(/[\s,]+/).filter(Boolean).forEach((t) => tags.add(t));
  const t = inv.flags.get('tags');
  if (typeof t === 'string') add(t);
  for (const m of (inv.env.GOFLAGS ?? '').matchAll(/(?:^|\s)--?tags=(\S+)/g)) add(m[1]!);
  return tags;
}

/**
 * Flags that link with the external linker (a dynamic binary) or need cgo whatever the packages are:
 * `-race`/`-msan`/`-asan`, `-linkmode=external`, `-buildmode` other than exe/default.
 */
function forcesExternalLink(inv: Pick<GoInvocation, 'flags' | 'env'>): string | undefined {
  const goflags = inv.env.GOFLAGS ?? '';
  for (const f of ['race', 'msan', 'asan']) if (inv.flags.has(f) || new RegExp(`(^|\\s)--?${f}(=true)?(\\s|$)`).test(goflags)) return `-${f}`;
  const ld = inv.flags.get('ldflags');
  if (typeof ld === 'string' && /-linkmode(=|\s+)external/.test(ld)) return '-linkmode=external';
  const bm = inv.flags.get('buildmode') ?? /(?:^|\s)--?buildmode=(\S+)/.exec(goflags)?.[1];
  if (typeof bm === 'string' && bm !== 'exe' && bm !== 'default') return `-buildmode=${bm}`;
  return undefined;
}

/** The invocation as cgoLinkage reads it: flags, environment and, when known, the subcommand and package arguments. */
export type CgoInvocation = Pick<GoInvocation, 'flags' | 'env'> & Partial<Pick<GoInvocation, 'sub' | 'packages' | 'workdir' | 'contextRoot'>>;

/**
 * The command's package arguments as paths from the build context's root: a relative pattern means
 * WORKDIR/pattern in the image, and the context root is where `COPY . <dest>` put it. Without a known
 * context root the module root is taken for the WORKDIR, as `COPY . .` in the WORKDIR makes it.
 */
/** A package argument the go command reads as a path from its working directory (`.`, `./x`, `../x`, `main.go`). */
function isPathPattern(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || (p.endsWith('.go') && !p.startsWith('/'));
}

export function contextPatterns(inv: CgoInvocation): { patterns: string[] } | { unresolved: string } {
  const args = inv.packages?.length ? inv.packages : ['.'];
  if (inv.workdir === undefined || inv.contextRoot === undefined) return { patterns: args };
  const root = inv.contextRoot.replace(/\/+$/, '') || '/';
  const out: string[] = [];
  for (const p of args) {
    if (!isPathPattern(p)) {
      out.push(p);
      continue;
    }
    const abs = joinPath(inv.workdir, p);
    if (abs === root) out.push('.');
    else if (abs.startsWith(root === '/' ? '/' : root + '/')) out.push('./' + abs.slice(root === '/' ? 1 : root.length + 1));
    else return { unresolved: `${p} in WORKDIR ${inv.workdir} lies outside the build context, which was copied to ${root}` };
  }
  return { patterns: out };
}

export function cgoLinkage(ctx: BuildContext, inv: CgoInvocation): CgoLinkage {
  const forced = forcesExternalLink(inv);
  if (forced) return { links: true, why: `${forced} links with the C toolchain` };
  const src = ctx.sources as (SourceFacts & Partial<Pick<ScannedSources, 'packages'>>) | undefined;
  if (!src || !src.imports) return { links: undefined, why: 'gokiln read no Go sources in the build context to tell' };
  const tags = buildTags(inv);
  const modulePath = ctx.goMod?.module ?? undefined;
  const goarch = concreteGoarch(inv.env.GOARCH);
  const builds = (f: GoFileFacts) => (!f.arch || !goarch || f.arch === goarch) && (f.constraint === undefined || evalConstraint(f.constraint, tags, goarch) !== false);

  const placed = contextPatterns(inv);
  const target = !src.packages
    ? { unresolved: 'gokiln has no package-by-package reading of the sources' }
    : 'unresolved' in placed
      ? placed
      : buildTargets(src.packages, modulePath, { ...inv, packages: placed.patterns });
  if ('unresolved' in target) {
    const whole = (r: CgoLinkage): CgoLinkage => ({ links: r.links, why: `${r.why}; gokiln read every package of the module, as it could not tell which one is built (${target.unresolved})` });
    // today's reading: every package of the module, then the vendored packages they reach
    if (src.cgoFile) return whole({ links: true, why: `${src.cgoFile} has import "C"` });
    const r = walk(ctx, Object.entries(src.imports), undefined, tags, modulePath, builds);
    return whole(r ?? { links: false, why: 'no package of the module has import "C" or imports net, os/user or plugin' });
  }
  const seeds: [string, string][] = [];
  for (const dir of target.dirs) {
    const pkg = src.packages![dir]!;
    for (const f of pkg.files) {
      if (!builds(f)) continue;
      if (f.cgo) return { links: true, why: `${f.path} has import "C"` };
      for (const imp of f.imports) seeds.push([imp, f.path]);
    }
  }
  const r = walk(ctx, seeds, src.packages, tags, modulePath, builds);
  if (r) return r;
  const label = target.dirs.map((d) => d || '.').join(', ');
  return { links: false, why: `no package that ${label} ${target.dirs.length > 1 ? 'are' : 'is'} built from has import "C" or imports net, os/user or plugin` };
}

/**
 * Breadth first from `seeds` ([import path, the file importing it]): the first standard package that uses
 * cgo or package with `import "C"` decides; an import gokiln cannot read leaves the answer open.
 * `local` given: the module's own packages are followed by directory; not given: they were all read already.
 */
function walk(
  ctx: BuildContext,
  seeds: [string, string][],
  local: Record<string, LocalPackage> | undefined,
  tags: Set<string>,
  modulePath: string | undefined,
  builds: (f: GoFileFacts) => boolean,
): CgoLinkage | undefined {
  const stdReason = (pkg: string): string | undefined => {
    const roots = (STD_CGO[pkg] ?? []).filter((r) => !(PURE_GO_TAG[r] && tags.has(PURE_GO_TAG[r]!)));
    if (!roots.length) return undefined;
    return roots[0] === pkg ? `${pkg}, which uses cgo` : `${pkg}, which uses cgo through ${roots[0]}`;
  };
  let unresolved: string | undefined;
  const queue = [...seeds];
  const seen = new Set(queue.map(([p]) => p));
  const push = (imp: string, from: string) => {
    if (seen.has(imp)) return;
    seen.add(imp);
    queue.push([imp, from]);
  };
  while (queue.length) {
    const [pkg, from] = queue.shift()!;
    if (isStdImport(pkg, modulePath)) {
      const r = stdReason(pkg);
      if (r) return { links: true, why: `${from} imports ${r}` };
      continue;
    }
    if (modulePath && (pkg === modulePath || pkg.startsWith(modulePath + '/'))) {
      if (!local) continue; // a package of the module itself: its files were read with the others
      const own = local[pkg === modulePath ? '' : pkg.slice(modulePath.length + 1)];
      if (own) {
        for (const f of own.files) {
          if (!builds(f)) continue;
          if (f.cgo) return { links: true, why: `${f.path} has import "C"` };
          for (const imp of f.imports) push(imp, f.path);
        }
        continue;
      }
      // not a directory of this context: a nested module (own go.mod), vendored like any dependency
    }
    const dep = ctx.vendored?.[pkg];
    if (!dep) {
      unresolved ??= `${from} imports ${pkg}, whose sources are not in the build context`;
      continue;
    }
    if (dep.cgoFile) return { links: true, why: `${dep.cgoFile} has import "C"` };
    for (const imp of dep.imports) push(imp, `vendor/${pkg}`);
  }
  if (unresolved) return { links: undefined, why: `${unresolved} (gokiln cannot tell whether it uses cgo)` };
  return undefined;
}

/**
 * The directories of the main packages a `go build`/`go install` builds, read from its package arguments
 * (none: `.`). Relative paths are taken from the module root: the invocation does not carry its WORKDIR,
 * and `COPY . .` into the WORKDIR the build runs in is how Dockerfiles build a module. A target that is
 * not a main package of the build context (a library, a path outside the module, `pkg@version`) is
 * unresolved: the caller reads the whole module instead.
 */
export function buildTargets(
  packages: Record<string, LocalPackage>,
  modulePath: string | undefined,
  inv: Partial<Pick<GoInvocation, 'sub' | 'packages'>>,
): { dirs: string[] } | { unresolved: string } {
  if (inv.sub !== undefined && inv.sub !== 'build' && inv.sub !== 'install' && inv.sub !== 'run') return { unresolved: `go ${inv.sub} is not a build` };
  const args = inv.packages?.length ? inv.packages : ['.'];
  // go run's arguments after the package are the program's
  const patterns = inv.sub === 'run' ? args.slice(0, Math.max(1, args.filter((a) => a.endsWith('.go')).length)) : args;
  const dirs: string[] = [];
  const add = (d: string) => {
    if (!dirs.includes(d)) dirs.push(d);
  };
  for (const p of patterns) {
    if (p.includes('@')) return { unresolved: `${p} is a module version outside the build context` };
    let rel: string;
    if (isPathPattern(p)) {
      rel = p;
    } else if (p.startsWith('/')) {
      return { unresolved: `${p} is a path in the image, which gokiln does not map to the build context` };
    } else if (modulePath && (p === modulePath || p.startsWith(modulePath + '/'))) {
      rel = '.' + p.slice(modulePath.length);
    } else {
      return { unresolved: modulePath ? `${p} is not a package of module ${modulePath}` : `${p} cannot be placed without go.mod's module path` };
    }
    if (rel.endsWith('.go')) rel = posix.dirname(rel);
    const wild = /(^|\/)\.\.\.$/.test(rel);
    if (wild) rel = rel.replace(/\/?\.\.\.$/, '') || '.';
    if (rel.includes('...')) return { unresolved: `${p}: gokiln reads \`...\` only at the end of a pattern` };
    const dir = posix.normalize(rel).replace(/\/$/, '');
    if (dir === '..' || dir.startsWith('../')) return { unresolved: `${p} lies outside the module root` };
    const base = dir === '.' ? '' : dir;
    if (wild) {
      const mains = Object.values(packages)
        .filter((pk) => pk.name === 'main' && (base === '' || pk.dir === base || pk.dir.startsWith(base + '/')))
        .map((pk) => pk.dir)
        .sort();
      if (!mains.length) return { unresolved: `${p} matches no main package of the build context` };
      mains.forEach(add);
      continue;
    }
    const pk = packages[base];
    if (!pk) return { unresolved: `${p} is not a package directory of the build context` };
    if (pk.name !== 'main') return { unresolved: `${p} is package ${pk.name || '?'}, not a command` };
    add(base);
  }
  return dirs.length ? { dirs } : { unresolved: 'no package named' };
}

/** GOARCH when the command sets a literal value (not `$TARGETARCH`, not empty). */
function concreteGoarch(v: string | undefined): string | undefined {
  return v && KNOWN_GOARCH.includes(v) ? v : undefined;
}

const LINUX_TRUE = new Set(['linux', 'unix', 'gc', 'cgo']);
const OTHER_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos', 'gccgo']);

/**
 * A `//go:build` expression for a linux build with cgo on: true, false, or undefined when it turns on
 * something gokiln does not know (the GOARCH of an unspecified platform). Tags not set are false, as for
 * the go command; `goN.M` release tags are taken as true.
 */
export function evalConstraint(expr: string, tags: Set<string>, goarch: string | undefined): boolean | undefined {
  const toks = expr.match(/&&|\|\||[!()]|[A-Za-z0-9_.]+/g) ?? [];
  let i = 0;
  const and3 = (a: boolean | undefined, b: boolean | undefined) => (a === false || b === false ? false : a === true && b === true ? true : undefined);
  const or3 = (a: boolean | undefined, b: boolean | undefined) => (a === true || b === true ? true : a === false && b === false ? false : undefined);
  const atom = (): boolean | undefined => {
    const t = toks[i++];
    if (t === '!') {
      const v = atom();
      return v === undefined ? undefined : !v;
    }
    if (t === '(') {
      const v = or();
      if (toks[i] === ')') i++;
      return v;
    }
    if (t === undefined) return undefined;
    if (tags.has(t) || LINUX_TRUE.has(t) || /^go1\.\d+$/.test(t)) return true;
    if (OTHER_OS.has(t)) return false;
    if (KNOWN_GOARCH.includes(t)) return goarch ? t === goarch : undefined;
    return false;
  };
  const and = (): boolean | undefined => {
    let v = atom();
    while (toks[i] === '&&') {
      i++;
      v = and3(v, atom());
    }
    return v;
  };
  const or = (): boolean | undefined => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      v = or3(v, and());
    }
    return v;
  };
  const v = or();
  return i === toks.length ? v : undefined;
}
