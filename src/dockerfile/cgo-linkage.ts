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
import { joinPath } from './steps.js';
import type { BuildContext, SourceFacts } from './model.js';
import type { GoInvocation } from './model.js';
import type { LocalPackage, ScannedSources } from './sources.js';
import type { GoFile } from '../gosrc/file.js';
import { PURE_GO_TAG, STD_CGO } from '../gosrc/std-cgo.js';
import { KNOWN_GOARCH, evalConstraint as evalForTarget, fileMatches, type Target } from '../gosrc/target.js';
import { isStdImport } from '../gosrc/graph.js';
import { buildTargets, isPathPattern } from '../gosrc/patterns.js';

export { isStdImport, buildTargets };

export interface CgoLinkage {
  /** true: the program links cgo; false: nothing in it uses cgo; undefined: gokiln cannot tell */
  links: boolean | undefined;
  /** the evidence, for a message: `main.go imports net/http, which uses cgo through net` */
  why: string;
}

/** Build tags a go command sets, from `-tags` and from GOFLAGS in its environment. */
function buildTags(inv: Pick<GoInvocation, 'flags' | 'env'>): Set<string> {
  const tags = new Set<string>();
  const add = (v: string) =>
    v
      .split(/[\s,]+/)
      .filter(Boolean)
      .forEach((t) => tags.add(t));
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
  for (const f of ['race', 'msan', 'asan'])
    if (inv.flags.has(f) || new RegExp(`(^|\\s)--?${f}(=true)?(\\s|$)`).test(goflags)) return `-${f}`;
  const ld = inv.flags.get('ldflags');
  if (typeof ld === 'string' && /-linkmode(=|\s+)external/.test(ld)) return '-linkmode=external';
  const bm = inv.flags.get('buildmode') ?? /(?:^|\s)--?buildmode=(\S+)/.exec(goflags)?.[1];
  if (typeof bm === 'string' && bm !== 'exe' && bm !== 'default') return `-buildmode=${bm}`;
  return undefined;
}

/** The invocation as cgoLinkage reads it: flags, environment and, when known, the subcommand and package arguments. */
export type CgoInvocation = Pick<GoInvocation, 'flags' | 'env'> &
  Partial<Pick<GoInvocation, 'sub' | 'packages' | 'workdir' | 'contextRoot'>>;

/**
 * The command's package arguments as paths from the build context's root: a relative pattern means
 * WORKDIR/pattern in the image, and the context root is where `COPY . <dest>` put it. Without a known
 * context root the module root is taken for the WORKDIR, as `COPY . .` in the WORKDIR makes it.
 */
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
  const target: Target = { goos: 'linux', goarch, tags: [...tags], cgo: true };
  const builds = (f: GoFile) => fileMatches(f.name, f.constraint, target) !== false;

  const placed = contextPatterns(inv);
  const targets = !src.packages
    ? { unresolved: 'gokiln has no package-by-package reading of the sources' }
    : 'unresolved' in placed
      ? placed
      : buildTargets(src.packages, modulePath, { ...inv, packages: placed.patterns });
  if ('unresolved' in targets) {
    const whole = (r: CgoLinkage): CgoLinkage => ({
      links: r.links,
      why: `${r.why}; gokiln read every package of the module, as it could not tell which one is built (${targets.unresolved})`,
    });
    // today's reading: every package of the module, then the vendored packages they reach
    if (src.cgoFile) return whole({ links: true, why: `${src.cgoFile} has import "C"` });
    const r = walk(ctx, Object.entries(src.imports), undefined, tags, modulePath, builds);
    return whole(r ?? { links: false, why: 'no package of the module has import "C" or imports net, os/user or plugin' });
  }
  const seeds: [string, string][] = [];
  for (const dir of targets.dirs) {
    const pkg = src.packages![dir]!;
    for (const f of pkg.files) {
      if (!builds(f)) continue;
      if (f.cgo) return { links: true, why: `${f.path} has import "C"` };
      for (const imp of f.imports) seeds.push([imp, f.path]);
    }
  }
  const r = walk(ctx, seeds, src.packages, tags, modulePath, builds);
  if (r) return r;
  const label = targets.dirs.map((d) => d || '.').join(', ');
  return {
    links: false,
    why: `no package that ${label} ${targets.dirs.length > 1 ? 'are' : 'is'} built from has import "C" or imports net, os/user or plugin`,
  };
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
  builds: (f: GoFile) => boolean,
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

/** GOARCH when the command sets a literal value (not `$TARGETARCH`, not empty). */
function concreteGoarch(v: string | undefined): string | undefined {
  return v && KNOWN_GOARCH.includes(v) ? v : undefined;
}

/**
 * A `//go:build` expression for a linux build with cgo on and these tags: true, false, or undefined when it
 * turns on the GOARCH of an unspecified platform (the Go-source model's evaluation, gosrc/target.ts).
 */
export function evalConstraint(expr: string, tags: Set<string>, goarch: string | undefined): boolean | undefined {
  return evalForTarget(expr, { goos: 'linux', goarch, tags: [...tags], cgo: true });
}
