/**
 * The embedded base's own small files: the user and group databases exactly as distroless writes them
 * (GoogleContainerTools/distroless, base/base.bzl and its passwd/group rules, read 2026-08-21: root 0,
 * nobody 65534, nonroot 65532 with home /home/nonroot, all with /sbin/nologin; groups root, nobody, tty 5,
 * staff 50, nonroot), nsswitch.conf for Go's pure resolver and os/user, os-release, and the directories
 * distroless has (/tmp 1777, /root 0700, /home/nonroot 0700 owned by 65532).
 */
import type { FileEntry } from '../source.js';

export const ETC_PASSWD =
  'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
export const ETC_GROUP = 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n';
/** Go's resolver reads `hosts:` to order /etc/hosts and DNS (net/conf.go); "files dns" is glibc's default too. */
export const ETC_NSSWITCH =
  'passwd: files\ngroup: files\nshadow: files\n\nhosts: files dns\nnetworks: files\n\nprotocols: files\nservices: files\nethers: files\nrpc: files\n';
export const ETC_OS_RELEASE =
  'PRETTY_NAME="gokiln embedded base (distroless-compatible, Debian 12 data)"\nNAME="gokiln-base"\nID=gokiln-base\nID_LIKE=distroless\nVERSION_ID="12"\nHOME_URL="https://github.com/gokiln/gokiln"\n';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string): FileEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, content: enc(text) });

/** The base's files that are not from a Debian package. */
export function ownEntries(): FileEntry[] {
  return [
    file('/etc/passwd', ETC_PASSWD),
    file('/etc/group', ETC_GROUP),
    file('/etc/nsswitch.conf', ETC_NSSWITCH),
    file('/etc/os-release', ETC_OS_RELEASE),
    { path: '/tmp', type: 'dir', mode: 0o1777, uid: 0, gid: 0 },
    { path: '/root', type: 'dir', mode: 0o700, uid: 0, gid: 0 },
    { path: '/home', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
    { path: '/home/nonroot', type: 'dir', mode: 0o700, uid: 65532, gid: 65532 },
    { path: '/etc/ssl/certs', type: 'dir', mode: 0o755, uid: 0, gid: 0 },
  ];
}
