/**
 * From the files of the pinned Debian packages to the embedded base's file list: what distroless/static
 * takes from them, and the CA bundle update-ca-certificates would build at install time. Pure: entries in,
 * entries out; the script that reads the .deb files is scripts/embedded-base.mjs.
 *
 * - ca-certificates: every /usr/share/ca-certificates/mozilla/*.crt, concatenated in byte order of their
 *   names into /etc/ssl/certs/ca-certificates.crt (update-ca-certificates appends the certificates listed in
 *   /etc/ca-certificates.conf, which its postinst fills in sorted order, each ending in a newline).
 * - tzdata: /usr/share/zoneinfo without right/ (leap-second variants, which Go never reads), posix/ (empty in
 *   the package; links made by the postinst) and localtime (a link to /etc/localtime, absent here: UTC).
 * - netbase: /etc/services, /etc/protocols, /etc/rpc, /etc/ethertypes.
 * - each package's /usr/share/doc/<name>/copyright, as distroless ships them.
 */
import { GokilnError } from '../../errors.js';
import type { FileEntry } from '../source.js';
import { ownEntries } from './etc-files.js';

export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function keepFromPackage(pkg: string, path: string): boolean {
  if (path === `/usr/share/doc/${pkg}/copyright`) return true;
  switch (pkg) {
    case 'tzdata':
      return path.startsWith('/usr/share/zoneinfo/') && !/^\/usr\/share\/zoneinfo\/(right|posix|localtime)(\/|$)/.test(path);
    case 'netbase':
      return ['/etc/services', '/etc/protocols', '/etc/rpc', '/etc/ethertypes'].includes(path);
    default:
      return false;
  }
}

/** `./usr/share/x` or `usr/share/x/` as a .deb's data tar names them → `/usr/share/x`. */
export function debPath(name: string): string {
  return (
    '/' +
    name
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .join('/')
  );
}

export function caBundle(certs: FileEntry[]): Uint8Array {
  const sorted = certs.filter((c) => c.type === 'file').sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  for (const c of sorted) {
    const b = Buffer.from(c.content ?? new Uint8Array());
    parts.push(b);
    if (b.length && b[b.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** `packages`: each pinned package's files (paths as in its data tar, normalised by debPath). */
export function baseEntries(packages: ReadonlyMap<string, FileEntry[]>): FileEntry[] {
  const out: FileEntry[] = ownEntries();
  const ca = packages.get('ca-certificates');
  if (!ca) throw new GokilnError('E_NOT_FOUND', 'embedded base: the ca-certificates package is missing');
  const certs = ca.filter((e) => e.type === 'file' && e.path.startsWith('/usr/share/ca-certificates/mozilla/') && e.path.endsWith('.crt'));
  if (certs.length < 100) throw new GokilnError('E_CORRUPT', `embedded base: only ${certs.length} certificates in ca-certificates`);
  out.push({ path: CA_BUNDLE, type: 'file', mode: 0o644, uid: 0, gid: 0, content: caBundle(certs) });
  for (const [pkg, entries] of packages) {
    for (const e of entries) {
      if (!keepFromPackage(pkg, e.path)) continue;
      // a package's directory entries come along; they carry their own modes (all 0755 root in these three)
      out.push({ ...e, uid: 0, gid: 0, mtime: undefined });
    }
  }
  for (const name of ['tzdata', 'netbase'])
    if (!packages.has(name)) throw new GokilnError('E_NOT_FOUND', `embedded base: the ${name} package is missing`);
  return out.filter((e, i, all) => all.findIndex((o) => o.path === e.path) === i);
}
