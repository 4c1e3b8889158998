/**
 * Whether a Go build with cgo on really links cgo. `CGO_ENABLED=1` only makes cgo available: the binary is
 * linked dynamically (and names the C loader in PT_INTERP) only when some package in it uses cgo, a package
 * with `import "C"` in the module or a dependency, or a standard package that uses cgo when it can (net,
 * os/user, plugin; see std-cgo.ts). A program of pure-Go packages is a static binary either way.
 */
import type { BuildContext } from './model.js';
import type { GoInvocation } from './model.js';
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

export function cgoLinkage(ctx: BuildContext, inv: Pick<GoInvocation, 'flags' | 'env'>): CgoLinkage {
  const forced = forcesExternalLink(inv);
  if (forced) return { links: true, why: `${forced} links with the C toolchain` };
  const src = ctx.sources;
  if (!src || !src.imports) return { links: undefined, why: 'gokiln read no Go sources in the build context to tell' };
  if (src.cgoFile) return { links: true, why: `${src.cgoFile} has import "C"` };
  const tags = buildTags(inv);
  const modulePath = ctx.goMod?.module ?? undefined;
  const stdReason = (pkg: string): string | undefined => {
    const roots = (STD_CGO[pkg] ?? []).filter((r) => !(PURE_GO_TAG[r] && tags.has(PURE_GO_TAG[r]!)));
    if (!roots.length) return undefined;
    return roots[0] === pkg ? `${pkg}, which uses cgo` : `${pkg}, which uses cgo through ${roots[0]}`;
  };
  let unresolved: string | undefined;
  // the module's own imports, then the vendored packages they reach
  const queue: [string, string][] = Object.entries(src.imports);
  const seen = new Set(queue.map(([p]) => p));
  while (queue.length) {
    const [pkg, from] = queue.shift()!;
    if (isStdImport(pkg, modulePath)) {
      const r = stdReason(pkg);
      if (r) return { links: true, why: `${from} imports ${r}` };
      continue;
    }
    // a package of the module itself: its files were read with the others
    if (modulePath && (pkg === modulePath || pkg.startsWith(modulePath + '/'))) continue;
    const dep = ctx.vendored?.[pkg];
    if (!dep) {
      unresolved ??= `${from} imports ${pkg}, whose sources are not in the build context`;
      continue;
    }
    if (dep.cgoFile) return { links: true, why: `${dep.cgoFile} has import "C"` };
    for (const imp of dep.imports) {
      if (seen.has(imp)) continue;
      seen.add(imp);
      queue.push([imp, `vendor/${pkg}`]);
    }
  }
  if (unresolved) return { links: undefined, why: `${unresolved} (gokiln cannot tell whether it uses cgo)` };
  return { links: false, why: 'no package of the program has import "C" or imports net, os/user or plugin' };
}
