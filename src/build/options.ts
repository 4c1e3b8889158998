/** `gokiln build`'s library options, validated in one place (the CLI only translates flags into these). */
import { GokilnError } from '../errors.js';
import { parsePlatform, type Platform } from '../image/oci.js';
import type { MediaStyle } from '../image/write/manifest.js';
import type { ImageCheck } from './image-check.js';

export type BuildParadigm = 'distroless' | 'ubuntu' | 'alpine';
export type BuildOutput = { kind: 'oci'; dir: string } | { kind: 'archive'; file: string } | { kind: 'push'; ref: string };

export interface BuildOptions {
  dir: string;
  /** `debian` is accepted as `ubuntu`'s alias (the glibc "full" paradigm, run on the Debian family) */
  paradigm?: BuildParadigm | 'debian';
  /** `embedded` (default), a registry reference, or `oci:DIR[:TAG]` */
  base?: string;
  platforms?: Platform[];
  /** NAME[:TAG]; default: the module's last path element, tag `latest` */
  tag?: string;
  output: BuildOutput;
  sbom?: 'spdx' | 'cyclonedx' | 'none';
  mediaTypes?: MediaStyle;
  force?: boolean;
  /** which main package is the entrypoint when there are several (its binary name) */
  entrypoint?: string;
  /** `org.opencontainers.image.source` */
  source?: string;
  /** registry hosts reached over plain HTTP besides loopback ones */
  insecureRegistries?: string[];
  /** upload progress lines (the CLI shows them on a terminal only) */
  onProgress?: (message: string) => void;
  go?: string;
  env?: NodeJS.ProcessEnv;
  /** --paradigm ubuntu|debian with cgo: the Debian suite (default bookworm), extra packages, lockfile (see src/build/debian-base.ts) */
  suite?: string;
  packages?: string[];
  lockfile?: string;
  update?: boolean;
  /** the Debian mirror; default: this machine's apt sources, else deb.debian.org */
  debianMirror?: string;
  /**
   * verify's static checks of a platform's image (base + app layer) before it is published: needed for a
   * dynamic (cgo) binary or a base gokiln did not make. src/index.ts's buildImage passes verify's.
   */
  checkImage?: ImageCheck;
  /**
   * gokiln's caches under `${XDG_CACHE_HOME:-~/.cache}/gokiln` (from `env`): compressed application layers
   * (layers/) and which repository of a registry already holds a blob (pushed/). Default true; false neither
   * reads nor writes them (the image is the same either way).
   */
  cache?: boolean;
}

const KNOWN_ARCH = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64']);

export function parsePlatforms(list: string): Platform[] {
  const out: Platform[] = [];
  for (const s of list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const p = parsePlatform(s);
    if (p.os !== 'linux' || !KNOWN_ARCH.has(p.architecture)) {
      throw new GokilnError(
        'E_USAGE',
        `--platform ${s}: gokiln builds linux images for ${[...KNOWN_ARCH].map((a) => `linux/${a}`).join(', ')}`,
      );
    }
    if (!out.some((o) => o.architecture === p.architecture && o.variant === p.variant)) out.push(p);
  }
  if (out.length === 0) throw new GokilnError('E_USAGE', '--platform: no platform given');
  return out;
}

/** The platform of this machine, as Go names it. */
export function hostPlatform(): Platform {
  const arch =
    { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' }[
      process.arch as string
    ] ?? process.arch;
  return { os: 'linux', architecture: arch };
}

/** NAME[:TAG] → repository and tag; a tag is what follows the last colon after the last slash. */
export function splitTag(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

export function checkTagName(ref: string): void {
  const { repository, tag } = splitTag(ref);
  if (
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(
      repository.replace(/^[^/]+[.:][^/]*\//, ''),
    ) ||
    !/^[\w][\w.-]{0,127}$/.test(tag)
  ) {
    throw new GokilnError('E_USAGE', `--tag ${ref}: not a valid image name (lowercase path components, tag of letters, digits, _ . -)`);
  }
}

/** SOURCE_DATE_EPOCH when set (must be a whole number of seconds), else null. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv): number | null {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') return null;
  if (!/^\d{1,12}$/.test(v)) throw new GokilnError('E_USAGE', `SOURCE_DATE_EPOCH=${v}: expected whole seconds since 1970-01-01`);
  return Number(v);
}
