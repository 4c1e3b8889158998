/**
 * Which paths a Go command writes: `go build -o` (a file, or a directory for several packages), the package
 * name in WORKDIR, `go install` into GOBIN or GOPATH/bin (and its GOOS_GOARCH directory when cross-compiling),
 * `go get` in GOPATH mode. Shared by the stage graph (which build a COPY takes) and copy-origins.
 */
import { posix } from 'node:path';
import type { GoInvocation } from './model.js';

/** A path with `$VAR`, `*`, `?` or `[…]` as a pattern over absolute paths. */
function pattern(p: string): RegExp {
  const body = p
    .replace(/[.+^(){}|\\]/g, '\\$&')
    .replace(/\$\\\{[A-Za-z_][A-Za-z0-9_]*\\\}|\$[A-Za-z_][A-Za-z0-9_]*|\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Does a writer of `out` (a file, or a directory when `dir`) produce something at `path`, or inside it? */
export function covers(out: string, path: string, dir: boolean): boolean {
  const o = out.replace(/\/+$/, '');
  if (o === path || path.startsWith(o + '/') || o.startsWith(path + '/')) return true;
  if (!/[$*?[]/.test(o + path)) return false;
  const re = pattern(o);
  if (re.test(path)) return true;
  if (dir && path.split('/').some((_, i, parts) => re.test(parts.slice(0, i + 1).join('/')))) return true;
  return /[$*?[]/.test(path) && pattern(path).test(o);
}

/** `go get` built and installed commands into GOPATH/bin until Go 1.17 (GOPATH mode, Go 1.15's nats-io/nsc). */
export const INSTALLS = new Set(['build', 'install', 'get']);

export function goWrites(inv: GoInvocation, path: string): boolean {
  const bin = inv.env.GOBIN || (inv.env.GOPATH ?? '/go') + '/bin';
  const out = inv.sub === 'get' ? `${bin}/${(inv.packages.at(-1) ?? '').replace(/@.*$/, '').split('/').pop()}` : inv.outputPath;
  if (out === undefined) return true;
  if (inv.sub !== 'build') {
    // cross-compiled installs land in $GOBIN/$GOOS_$GOARCH/NAME: match the bin directory and the name
    const name = posix.basename(out);
    if (out === bin) return path === bin || path.startsWith(bin + '/') || bin.startsWith(path + '/');
    return covers(out, path, false) || (path.startsWith(bin + '/') && posix.basename(path) === name) || bin.startsWith(path + '/');
  }
  // `go build` (or `go build .`) names the binary after the module path's last element (github.com/glanceapp/
  // glance → glance), not the directory: without go.mod in view, any file in WORKDIR may be it
  const pkg = inv.packages[0];
  if (
    inv.flags.get('o') === undefined &&
    inv.packages.length <= 1 &&
    (pkg === undefined || pkg === '.') &&
    posix.dirname(path) === inv.workdir.replace(/\/+$/, '')
  )
    return true;
  const dir =
    inv.flags.get('o') !== undefined &&
    (String(inv.flags.get('o')).endsWith('/') || inv.packages.length > 1 || inv.packages.some((p) => p.endsWith('/...')));
  return covers(out, path, dir);
}
