/**
 * The user and group names in the /etc/passwd and /etc/group of the base images gokiln knows, so a
 * `USER name` can be checked against the image: runc resolves the name in the image's own files when
 * the container starts, and a name that is not there stops it. Lists err on the side of too many names
 * (a name that is listed but missing is a missed finding; one missing from the list would be a false error).
 */
import { SRC, type Provenance, KNOWLEDGE_CHECKED } from './provenance.js';
import { compareVersions } from '../compare-versions.js';
import { DISTROLESS_GROUPS, DISTROLESS_USERS } from './distroless.js';

export interface ImageAccounts extends Provenance {
  /** names in /etc/passwd; null: the image has no /etc/passwd */
  users: string[] | null;
  /** names in /etc/group; null: no /etc/group; undefined: not recorded (group names are then not checked) */
  groups?: string[] | null;
}

/**
 * alpine-baselayout's /etc/passwd (the `alpine:3.x` image and golang:*-alpine). Releases since 3.17 ship a
 * shorter file (root bin daemon lp sync shutdown halt mail news uucp cron ftp sshd games ntp guest nobody);
 * older ones also have adm, operator, man, postmaster, at, squid, xfs, cyrus, vpopmail, smmsp. The union is
 * listed for every release.
 */
const ALPINE_USERS = [
  'root',
  'bin',
  'daemon',
  'adm',
  'lp',
  'sync',
  'shutdown',
  'halt',
  'mail',
  'news',
  'uucp',
  'operator',
  'man',
  'postmaster',
  'cron',
  'ftp',
  'sshd',
  'at',
  'squid',
  'xfs',
  'games',
  'cyrus',
  'vpopmail',
  'ntp',
  'smmsp',
  'guest',
  'nobody',
];

/** base-passwd's /etc/passwd (Debian and Ubuntu images), plus `_apt` (apt's user); `gnats` until Debian 11 / Ubuntu 22.04, listed for all. */
const DEBIAN_USERS = [
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  '_apt',
  'nobody',
];

export const ALPINE_ACCOUNTS: ImageAccounts = {
  users: ALPINE_USERS,
  source:
    'alpine-baselayout passwd (aports main/alpine-baselayout), as read from alpine:3.16 and alpine:3.17+ containers (cat /etc/passwd)',
  checked: KNOWLEDGE_CHECKED,
  note: "no user `nonroot` and no uid 65532: that is distroless's",
};

export const DEBIAN_ACCOUNTS: ImageAccounts = {
  users: DEBIAN_USERS,
  source: `base-passwd passwd.master (Debian), installed by the minbase set of ${SRC.debootstrap}`,
  checked: KNOWLEDGE_CHECKED,
};

/** Ubuntu images from 23.04 on also create `ubuntu` (uid 1000). */
export function ubuntuAccounts(version: string): ImageAccounts {
  const users = compareVersions(version, '23.04') >= 0 ? [...DEBIAN_USERS, 'ubuntu'] : DEBIAN_USERS;
  return {
    users,
    source: `${DEBIAN_ACCOUNTS.source}; user ubuntu (1000) in the ubuntu:23.04+ images (${SRC.repoInfoUbuntu})`,
    checked: KNOWLEDGE_CHECKED,
  };
}

export const DISTROLESS_ACCOUNTS: ImageAccounts = {
  users: DISTROLESS_USERS.map((u) => u.name),
  groups: DISTROLESS_GROUPS.map((g) => g.name),
  source: SRC.distrolessCommon,
  checked: KNOWLEDGE_CHECKED,
};

export const SCRATCH_ACCOUNTS: ImageAccounts = {
  users: null,
  groups: null,
  source: 'Docker: `FROM scratch` is the empty filesystem (no /etc/passwd, no /etc/group)',
  checked: KNOWLEDGE_CHECKED,
};
