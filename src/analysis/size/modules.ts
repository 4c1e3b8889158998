/**
 * Which module a package belongs to, and which package a data symbol belongs to. Modules come from the
 * build info (main + deps, longest path prefix wins); the standard library is `std`; groups such as
 * `<cgo>` are their own module.
 */
import type { GoBuildInfo } from '../../formats/go/types.js';
import { unescapePath } from '../../formats/go/symbols.js';

export const STD = 'std';

export interface ModuleRef {
  path: string;
  version: string;
}

/** Import paths whose first element has no dot are the standard library (incl. vendor/golang.org/x/… in std). */
export function isStdPackage(pkg: string): boolean {
  if (pkg === 'main' || pkg.startsWith('<')) return false;
  const first = pkg.split('/')[0] ?? '';
  return !first.includes('.');
}

export function isGroup(pkg: string): boolean {
  return pkg.startsWith('<');
}

export class ModuleIndex {
  private readonly byPath = new Map<string, ModuleRef>();
  private readonly main: ModuleRef | null;

  constructor(bi: GoBuildInfo | null) {
    this.main = bi?.main ? { path: bi.main.path, version: bi.main.version } : null;
    if (this.main) this.byPath.set(this.main.path, this.main);
    for (const d of bi?.deps ?? []) this.byPath.set(d.path, { path: d.path, version: d.version });
  }

  /** The module of a package: longest module path that is the package or a parent of it. */
  moduleOf(pkg: string): ModuleRef {
    if (isGroup(pkg)) return { path: pkg, version: '' };
    if (pkg === 'main') return this.main ?? { path: 'main', version: '' };
    // symbol names escape dots in the last path element (`gopkg.in/yaml%2ev3`); module paths do not
    const p = unescapePath(pkg);
    for (let cut = p.length; cut > 0; cut = p.lastIndexOf('/', cut - 1)) {
      const hit = this.byPath.get(p.slice(0, cut));
      if (hit) return hit;
    }
    if (isStdPackage(p)) return { path: STD, version: '' };
    return { path: guessModule(p), version: '' };
  }
}

/**
 * Without build info (e.g. esbuild's npm builds) the module is a guess from the path's shape: the usual
 * hosting layouts take three elements (github.com/owner/repo), gopkg.in two, anything else the package.
 */
export function guessModule(pkg: string): string {
  const parts = pkg.split('/');
  const host = parts[0] ?? '';
  if (host === 'gopkg.in') return parts.slice(0, 2).join('/');
  if (
    [
      'github.com',
      'gitlab.com',
      'bitbucket.org',
      'golang.org',
      'google.golang.org',
      'go.opentelemetry.io',
      'k8s.io',
      'sigs.k8s.io',
    ].includes(host)
  ) {
    return parts.slice(0, host === 'golang.org' ? 3 : host.endsWith('k8s.io') || host === 'google.golang.org' ? 2 : 3).join('/');
  }
  return pkg;
}

export const GROUP_CGO = '<cgo>';
export const GROUP_STRINGS = '<strings>';
export const GROUP_LINKER = '<linker>';
export const GROUP_TYPES = '<types>';
export const GROUP_ASM = '<asm data>';

/**
 * The owner of a data (or non-pclntab text) symbol: a package when the name carries one, `<strings>`
 * for string data, `<types>` for the type data block, `<linker>` for linker-made tables, `<cgo>` for C names (`<asm data>` for such names in a binary without cgo).
 */
export function dataSymbolOwner(name: string, packageOf: (n: string) => string, cgo = true): string {
  if (/^go[.:]string\./.test(name)) return GROUP_STRINGS;
  // the marker that opens the type data; where symbols carry no size (Mach-O, PE) it spans all of it
  if (name === 'type:*' || name === 'type.*') return GROUP_TYPES;
  let n = name;
  const m = /^(?:type[.:]|go[.:]itab\.|go[.:]info\.|go[.:]interfaceswitch\.|go[.:]typeassert\.)/.exec(n);
  if (m) n = n.slice(m[0].length);
  // an itab is named `concrete,interface`: it belongs with the concrete type
  if (m && /itab/.test(m[0]) && n.includes(',')) n = n.slice(0, n.indexOf(','));
  else if (/^go[.:]/.test(n)) return GROUP_LINKER;
  // no package in the name: C code and data in a cgo binary, else Go assembly's file-local data (masks, K256)
  if (!m && !n.includes('.')) return cgo || packageOf(n) === GROUP_CGO ? GROUP_CGO : GROUP_ASM;
  // type names: drop constructors (*T, []T, [4]T, map[K]V takes K) and type-equality prefixes (.eq.)
  n = n.replace(/^\.(?:eq|hash)\./, '').replace(/^(?:\*|\[\d*\]|map\[|chan |func\(|noalg\.|struct \{ ?)+/, '');
  if (!/^[A-Za-z_]/.test(n)) return GROUP_LINKER;
  const pkg = packageOf(n);
  return pkg === '' ? GROUP_LINKER : pkg;
}
