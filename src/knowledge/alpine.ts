/** Alpine Linux releases: musl version, release and end-of-support days, and what the base image holds. */
import { SRC, KNOWLEDGE_CHECKED } from './provenance.js';

export interface AlpineRelease {
  /** `3.22` */
  version: string;
  /** musl version of the release's `musl` package (without the -rN revision). */
  musl: string;
  released: string;
  /** First day without security support. */
  eol: string;
  /** OpenSSL generation in the base image (`libssl3`/`libcrypto3` since 3.17, 1.1 before). */
  openssl: '1.1' | '3';
  source: string;
  checked: string;
  note?: string;
}

const REPO_INFO = SRC.repoInfoAlpine;
const FACTS = `${SRC.facts} (musl: repo-info package lists; dates: endoflife.date)`;

export const ALPINE_RELEASES: AlpineRelease[] = [
  { version: '3.15', musl: '1.2.2', released: '2021-11-24', eol: '2023-11-01', openssl: '1.1', source: FACTS, checked: KNOWLEDGE_CHECKED },
  {
    version: '3.16',
    musl: '1.2.3',
    released: '2022-05-23',
    eol: '2024-05-23',
    openssl: '1.1',
    source: `${REPO_INFO} 3.16.md (musl-1.2.3-r1, libssl1.1)`,
    checked: KNOWLEDGE_CHECKED,
  },
  {
    version: '3.17',
    musl: '1.2.3',
    released: '2022-11-22',
    eol: '2024-11-22',
    openssl: '3',
    source: `${REPO_INFO} 3.17.1.md (musl-1.2.3-r4, libssl3 3.0.7)`,
    checked: KNOWLEDGE_CHECKED,
  },
  { version: '3.18', musl: '1.2.4', released: '2023-05-09', eol: '2025-05-09', openssl: '3', source: FACTS, checked: KNOWLEDGE_CHECKED },
  {
    version: '3.19',
    musl: '1.2.4_git20230717',
    released: '2023-12-07',
    eol: '2025-11-01',
    openssl: '3',
    source: FACTS,
    checked: KNOWLEDGE_CHECKED,
    note: 'musl 1.2.4 plus upstream git fixes as packaged by Alpine',
  },
  { version: '3.20', musl: '1.2.5', released: '2024-05-22', eol: '2026-04-01', openssl: '3', source: FACTS, checked: KNOWLEDGE_CHECKED },
  { version: '3.21', musl: '1.2.5', released: '2024-12-05', eol: '2026-11-01', openssl: '3', source: FACTS, checked: KNOWLEDGE_CHECKED },
  { version: '3.22', musl: '1.2.5', released: '2025-05-30', eol: '2027-05-01', openssl: '3', source: FACTS, checked: KNOWLEDGE_CHECKED },
  {
    version: '3.23',
    musl: '1.2.5',
    released: '2025-12-03',
    eol: '2027-11-01',
    openssl: '3',
    source: `${REPO_INFO} 3.23.6.md (musl-1.2.5-r23)`,
    checked: KNOWLEDGE_CHECKED,
    note: 'released: day the golang image first used it',
  },
  {
    version: '3.24',
    musl: '1.2.6',
    released: '2026-06-09',
    eol: '2028-06-01',
    openssl: '3',
    source: `${REPO_INFO} 3.24.2.md (musl-1.2.6-r2)`,
    checked: KNOWLEDGE_CHECKED,
  },
];

export function alpineRelease(version: string): AlpineRelease | null {
  const m = /^v?(\d+\.\d+)/.exec(version);
  if (!m) return null;
  return ALPINE_RELEASES.find((r) => r.version === m[1]) ?? null;
}

export function newestAlpine(): AlpineRelease {
  const last = ALPINE_RELEASES.at(-1);
  if (!last) throw new Error('ALPINE_RELEASES is empty');
  return last;
}

/**
 * The `alpine:3.x` image's packages (3.17+): alpine-baselayout, alpine-keys, apk-tools, busybox (+
 * busybox-binsh: /bin/sh), ca-certificates-bundle (/etc/ssl/certs/ca-certificates.crt), libcrypto3,
 * libssl3, musl, musl-utils, scanelf, ssl_client, zlib. No tzdata, no libgcc, no libstdc++.
 */
export const ALPINE_BASE_PACKAGES = {
  packages: [
    'alpine-baselayout',
    'alpine-keys',
    'apk-tools',
    'busybox',
    'busybox-binsh',
    'ca-certificates-bundle',
    'libcrypto3',
    'libssl3',
    'musl',
    'musl-utils',
    'scanelf',
    'ssl_client',
    'zlib',
  ],
  caBundle: '/etc/ssl/certs/ca-certificates.crt',
  tzdata: false,
  shell: '/bin/sh',
  source: `${SRC.repoInfoAlpine} 3.17.1.md, 3.23.6.md, 3.24.2.md`,
  checked: KNOWLEDGE_CHECKED,
} as const;
