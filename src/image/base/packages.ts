/**
 * The Debian packages the embedded base's CA bundle, zoneinfo and network databases come from, pinned by
 * version and sha256 (Debian 12 "bookworm", the Packages entries of bookworm, bookworm-updates and
 * bookworm-security as of 2026-12-07). `scripts/embedded-base.mjs` downloads exactly these files, checks their
 * sha256, and writes assets/embedded-base/; a test regenerates it and compares. Never the building machine's
 * /etc/ssl or /usr/share/zoneinfo, so the base is byte-identical everywhere.
 */
export interface PinnedDeb {
  name: string;
  version: string;
  /** under https://deb.debian.org/ */
  path: string;
  sha256: string;
  size: number;
}

export const BASE_DEBS: readonly PinnedDeb[] = [
  {
    name: 'ca-certificates',
    version: '20250419~deb12u2',
    path: 'debian-security/pool/updates/main/c/ca-certificates/ca-certificates_20250419~deb12u2_all.deb',
    sha256: 'b9f76b5271a7ac373fd5e7e1b5b826a71ddd702b42a0d104955ecb1acfffc94b',
    size: 160948,
  },
  {
    name: 'netbase',
    version: '6.4',
    path: 'debian/pool/main/n/netbase/netbase_6.4_all.deb',
    sha256: '29b23c48c0fe6f878e56c5ddc9f65d1c05d729360f3690a593a8c795031cd867',
    size: 12800,
  },
  {
    name: 'tzdata',
    version: '2026f-0+deb12u1',
    path: 'debian-security/pool/updates/main/t/tzdata/tzdata_2026f-0+deb12u1_all.deb',
    sha256: '3254eb870c8a949518214805aee5e4276af7699988ea8b9a3a583cd0f1eab31c',
    size: 307832,
  },
];

/** The day the pins above were taken; the base's `created` time and the date the output names. */
export const BASE_DATE = '2026-12-07';

/** Mirror the pinned paths are fetched from; snapshot.debian.org keeps them once the pool drops them. */
export const DEBIAN_MIRROR = 'https://deb.debian.org/';
