/**
 * The main packages a `go build`/`go install`/`go run` builds, read from its package arguments (none: `.`):
 * relative paths from the module root, import paths inside the module, and `/...` wildcards at the end.
 * A target that is not a main package of the sources (a library, a path outside the module,
 * `pkg@version`) is unresolved, with the reason.
 */
import { posix } from 'node:path';

/** A package argument the go command reads as a path from its working directory (`.`, `./x`, `../x`, `main.go`). */
export function isPathPattern(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || (p.endsWith('.go') && !p.startsWith('/'));
}

export function buildTargets(
  packages: Record<string, { dir: string; name: string }>,
  modulePath: string | undefined,
  inv: { sub?: string; packages?: string[] },
): { dirs: string[] } | { unresolved: string } {
  if (inv.sub !== undefined && inv.sub !== 'build' && inv.sub !== 'install' && inv.sub !== 'run')
    return { unresolved: `go ${inv.sub} is not a build` };
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
      return {
        unresolved: modulePath ? `${p} is not a package of module ${modulePath}` : `${p} cannot be placed without go.mod's module path`,
      };
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
