/**
 * Where each fact in the knowledge base comes from. Every record carries `source` (a primary source a
 * reader can open) and `checked` (the day someone compared the fact with that source), so a stale fact
 * can be found by date and a wrong one traced to where it was read.
 */

export interface Provenance {
  /** The primary source: a repository path, a package list, a command run on a named system. */
  source: string;
  /** ISO day (YYYY-MM-DD) the fact was last compared with `source`. */
  checked: string;
  /** Why the fact is what it is, or what was not verifiable. */
  note?: string;
}

/** A value with its provenance; used where a fact is a single value rather than a record. */
export interface Sourced<T> extends Provenance {
  value: T;
}

export function sourced<T>(value: T, source: string, checked: string, note?: string): Sourced<T> {
  return note === undefined ? { value, source, checked } : { value, source, checked, note };
}

/**
 * The sources used across the knowledge base, named once so records stay short and consistent. Snapshot
 * days are those of the copies read (the repository's newest commit), not of this machine's clock.
 */
export const SRC = {
  golangVersions: 'docker-library/golang versions.json and its git history (snapshot 7c8c182, 2026-08-19)',
  goToolchains: 'proxy.golang.org: `go list -m -versions golang.org/toolchain` (every Go release as a module; checked 2026-11-26)',
  golangTemplate: 'docker-library/golang Dockerfile-linux.template (snapshot 7c8c182, 2026-08-19)',
  golangStackbrew: 'docker-library/golang generate-stackbrew-library.sh (snapshot 7c8c182, 2026-08-19)',
  distrolessConfig: 'GoogleContainerTools/distroless {static,base,cc}/config.bzl and *.bzl (snapshot cd08076, 2026-08-21)',
  distrolessCommon: 'GoogleContainerTools/distroless common/BUILD.bazel passwd/group (snapshot cd08076, 2026-08-21)',
  distrolessLock: 'GoogleContainerTools/distroless private/repos/deb/{bookworm,trixie}.lock.json (snapshot cd08076, 2026-08-21)',
  distrolessSupport: 'GoogleContainerTools/distroless SUPPORT_POLICY.md (snapshot cd08076, 2026-08-21)',
  repoInfoAlpine: 'docker-library/repo-info repos/alpine/local/*.md (apk package lists)',
  repoInfoUbuntu: 'docker-library/repo-info repos/ubuntu/local/{jammy,noble}.md (dpkg package lists)',
  debootstrap:
    'debootstrap --variant=minbase --print-debs <suite> against deb.debian.org (the package set of the official debian:<suite> image, which debuerreotype builds as minbase)',
  hostLibc6: 'dpkg -L libc6 on Debian 12 (libc6 2.36-9+deb12u14): the shared objects libc6 installs',
  // the team's fact sheet is not part of the repository: the facts cited from it, with their primary links,
  // are in docs/knowledge.md, "Facts from the team's fact sheet", which these two point at
  facts: 'docs/knowledge.md#facts-from-the-teams-fact-sheet (primary links there)',
  endoflife: 'https://endoflife.date (see docs/knowledge.md#facts-from-the-teams-fact-sheet)',
  goReleaseNotes: 'golang/website release history; GA dates cross-checked with docker-library/golang "Update to X.Y (GA)" commits',
  goNm: 'go tool nm on probe binaries built with go1.26 (CGO_ENABLED=0 and =1), 2026-11-26',
  glibcRtld: 'glibc elf/dl-load.c and elf/dl-version.c messages; reproduced with bwrap on Debian 12',
  muslLdso: 'musl ldso/dynlink.c messages; reproduced with bwrap and musl-tools on Debian 12',
  runc: 'runc/Docker: execve(2) ENOENT and ENOEXEC as printed by `docker run`',
} as const;

/**
 * The day the knowledge base was last reviewed as a whole: the `checked` of every record that was compared
 * with its source on that review. A record checked on another day carries its own date instead.
 */
export const KNOWLEDGE_CHECKED = '2026-11-26';

/** The day the facts added with build, verify, the Debian bases and lint's real-world corpus were checked. */
export const IMAGES_CHECKED = '2026-12-07';
