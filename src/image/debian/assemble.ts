/**
 * The Debian base as one file tree (FileEntry list, sorted by path): every chosen package's data.tar
 * entries, its control file at /var/lib/dpkg/status.d/<pkg> and its md5sums at status.d/<pkg>.md5sums
 * (distroless's layout, which syft, trivy and grype read), the CA bundle generated as distroless does
 * (the PEM files of ca-certificates' /usr/share/ca-certificates concatenated in path order; of that
 * package only the bundle and its copyright stay), and the
 * distroless users and files: root, nobody and nonroot (65532) in /etc/passwd and /etc/group,
 * /etc/nsswitch.conf, /home/nonroot, /root and /tmp (1777). /etc/os-release comes from base-files.
 */
import type { FileEntry } from '../source.js';
import type { Resolution } from './resolve.js';

/** GoogleContainerTools/distroless base/static: root (nologin), nobody 65534, nonroot 65532 (see docs/knowledge.md). */
export const DISTROLESS_PASSWD =
  'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
export const DISTROLESS_GROUP = 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n';
const NSSWITCH =
  'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\nethers: files\nrpc: files\n';
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Of ca-certificates, distroless keeps only the generated bundle and the copyright (cacerts/cacerts.bzl):
 * the separate PEM files, update-ca-certificates and its configuration are never used without the postinst.
 */
function caCertificatesKeeps(path: string): boolean {
  return path === '/usr/share/doc/ca-certificates/copyright';
}

export interface AssembleOptions {
  /** mtime of every entry (SOURCE_DATE_EPOCH); default 0 */
  mtime?: number;
  /** add the distroless users and files (default true) */
  users?: boolean;
}

export function assembleTree(r: Resolution, opts: AssembleOptions = {}): FileEntry[] {
  const mtime = opts.mtime ?? 0;
  const byPath = new Map<string, FileEntry>();
  const add = (e: FileEntry): void => {
    const old = byPath.get(e.path);
    // a directory shipped by several packages is one directory; for files the first package (by name) wins
    if (old) return;
    byPath.set(e.path, { ...e, mtime });
  };
  const text = (path: string, t: string, mode = 0o644): void => {
    const content = new TextEncoder().encode(t);
    add({ path, type: 'file', mode, uid: 0, gid: 0, content, size: content.length });
  };
  for (const p of r.set.packages) {
    const deb = r.debs.get(p.name);
    if (!deb) continue;
    const keep = p.name === 'ca-certificates' ? caCertificatesKeeps : (): boolean => true;
    for (const f of deb.files) if (keep(f.path)) add(f);
    text(`/var/lib/dpkg/status.d/${p.name}`, deb.control.endsWith('\n') ? deb.control : `${deb.control}\n`);
    // md5sums lines are `<md5>  <path without leading />`; only files the image holds are listed
    const sums = deb.md5sums.split('\n').filter((l) => l && keep(`/${l.replace(/^[0-9a-f]+\s+/, '')}`));
    if (sums.length) text(`/var/lib/dpkg/status.d/${p.name}.md5sums`, `${sums.join('\n')}\n`);
  }
  const certs = r.debs.get('ca-certificates');
  if (certs) {
    const pems = certs.files.filter(
      (f) => f.type === 'file' && f.path.startsWith('/usr/share/ca-certificates/') && f.path.endsWith('.crt'),
    );
    pems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const parts = pems.map((f) => {
      const s = new TextDecoder().decode(f.content);
      return s.endsWith('\n') ? s : `${s}\n`;
    });
    text(CA_BUNDLE, parts.join(''));
  }
  if (opts.users !== false) {
    // the image's own files win over a package's (base-passwd is never installed; these are distroless's)
    for (const p of ['/etc/passwd', '/etc/group']) byPath.delete(p);
    text('/etc/passwd', DISTROLESS_PASSWD);
    text('/etc/group', DISTROLESS_GROUP);
    if (!byPath.has('/etc/nsswitch.conf')) text('/etc/nsswitch.conf', NSSWITCH);
    add({ path: '/home/nonroot', type: 'dir', mode: 0o700, uid: 65532, gid: 65532 });
    add({ path: '/root', type: 'dir', mode: 0o700, uid: 0, gid: 0 });
    add({ path: '/tmp', type: 'dir', mode: 0o1777, uid: 0, gid: 0 });
  }
  mergedUsrLinks(byPath, mtime);
  addParents(byPath, mtime);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Suites whose packages ship only /usr/lib, /usr/bin… (merged /usr: trixie) still need /lib64 for the
 * loader path in PT_INTERP: a top-level directory no package ships becomes a symlink into /usr.
 */
function mergedUsrLinks(byPath: Map<string, FileEntry>, mtime: number): void {
  const paths = [...byPath.keys()];
  for (const d of ['bin', 'sbin', 'lib', 'lib64']) {
    const top = `/${d}`;
    if (byPath.has(top) || paths.some((p) => p.startsWith(`${top}/`))) continue;
    if (!paths.some((p) => p === `/usr/${d}` || p.startsWith(`/usr/${d}/`))) continue;
    byPath.set(top, { path: top, type: 'symlink', linkname: `usr/${d}`, mode: 0o777, uid: 0, gid: 0, mtime });
  }
}

function addParents(byPath: Map<string, FileEntry>, mtime: number): void {
  for (const p of [...byPath.keys()]) {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const dir = p.slice(0, i);
      if (byPath.has(dir)) break;
      byPath.set(dir, { path: dir, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime });
    }
  }
}
