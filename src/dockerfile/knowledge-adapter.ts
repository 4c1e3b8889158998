/** The LintKnowledge the CLI uses: answers taken from src/knowledge, nothing decided here but the mapping. */
import type { ImageRef } from '../knowledge/image-ref.js';
import type { ImageFacts, LintKnowledge } from './knowledge-port.js';
import { golangImage, GOLANG_VARIANT_PACKAGES } from '../knowledge/golang-images.js';
import { cgoModuleFor } from '../knowledge/cgo-libraries.js';
import { failureMessage, renderMessage } from '../knowledge/failure-messages.js';
import { alpineRelease, ALPINE_BASE_PACKAGES } from '../knowledge/alpine.js';
import { debianRelease, supportWindow, ubuntuRelease } from '../knowledge/distros.js';
import { distrolessImage, DISTROLESS_STATIC_PACKAGES, DISTROLESS_TAGS } from '../knowledge/distroless.js';
import { goRelease } from '../knowledge/go-releases.js';
import { goCgoGlibcNeed } from '../knowledge/libc.js';
import { ALPINE_ACCOUNTS, DEBIAN_ACCOUNTS, DISTROLESS_ACCOUNTS, SCRATCH_ACCOUNTS, ubuntuAccounts, type ImageAccounts } from '../knowledge/image-users.js';

function accounts(a: ImageAccounts): Pick<ImageFacts, 'users' | 'groups'> {
  return a.groups === undefined ? { users: a.users } : { users: a.users, groups: a.groups };
}

function golang(ref: ImageRef): ImageFacts {
  const g = golangImage(`golang:${ref.tag ?? 'latest'}`);
  if (!g) return { kind: 'golang' };
  const alpineTz = g.os === 'alpine' ? ALPINE_BASE_PACKAGES.tzdata || (GOLANG_VARIANT_PACKAGES.alpine.added as readonly string[]).includes('tzdata') : undefined;
  const f: ImageFacts = { kind: 'golang', os: { distro: g.os, release: g.release }, libc: g.libc, shell: true, cgoToolchain: g.hasCgoToolchain, defaultUser: 'root' };
  if (g.goVersion) f.goVersion = g.goVersion;
  if (g.libc === 'glibc' && g.libcVersion) f.glibc = g.libcVersion;
  const musl = g.os === 'alpine' ? alpineRelease(g.release)?.musl : undefined;
  if (musl) f.musl = musl;
  if (alpineTz !== undefined) f.zoneinfo = alpineTz;
  Object.assign(f, accounts(g.os === 'alpine' ? ALPINE_ACCOUNTS : DEBIAN_ACCOUNTS));
  return f;
}

function alpine(ref: ImageRef): ImageFacts {
  const f: ImageFacts = { kind: 'alpine', libc: 'musl', shell: true, caCerts: ALPINE_BASE_PACKAGES.caBundle !== undefined, zoneinfo: ALPINE_BASE_PACKAGES.tzdata, defaultUser: 'root', ...accounts(ALPINE_ACCOUNTS) };
  const r = ref.tag ? alpineRelease(ref.tag) : null;
  if (r) {
    f.os = { distro: 'alpine', release: r.version };
    f.musl = r.musl;
  }
  return f;
}

function debianLike(ref: ImageRef, distro: 'debian' | 'ubuntu'): ImageFacts {
  const f: ImageFacts = { kind: distro, libc: 'glibc', shell: true, defaultUser: 'root' };
  const tag = (ref.tag ?? '').replace(/-slim$/, '');
  const r = distro === 'debian' ? debianRelease(tag) : ubuntuRelease(tag);
  if (r) {
    f.os = { distro, release: r.codename };
    f.glibc = r.glibc;
    f.caCerts = r.caCerts;
    f.zoneinfo = r.tzdata;
    Object.assign(f, accounts(distro === 'debian' ? DEBIAN_ACCOUNTS : ubuntuAccounts(r.version)));
  }
  return f;
}

/** gcr.io/distroless/<flavour>[-debianN][:latest|nonroot|debug|debug-nonroot][-arch] */
function distroless(ref: ImageRef): ImageFacts {
  const name = ref.repository.slice('distroless/'.length);
  const m = /^(static|base-nossl|base|cc)(?:-debian(\d+))?$/.exec(name);
  const tag = (ref.tag ?? 'latest').replace(/-(amd64|arm64|arm|s390x|ppc64le|riscv64)$/, '');
  const variant = DISTROLESS_TAGS[tag as 'latest' | 'nonroot' | 'debug' | 'debug-nonroot'] as { uid: number; shell: string | null } | undefined;
  // every distroless image lacks /bin/sh; :debug adds busybox only under /busybox
  const f: ImageFacts = { kind: 'distroless', shell: false, caCerts: true, debug: tag.startsWith('debug'), ...accounts(DISTROLESS_ACCOUNTS) };
  if (variant) f.defaultUser = variant.uid === 0 ? 'root' : String(variant.uid);
  if (!m) return f;
  f.distrolessVariant = m[1]!;
  if (m[1] === 'static') f.libc = 'none';
  if (m[2]) {
    const img = distrolessImage(m[1]!, Number(m[2]));
    if (img) {
      f.distrolessDebian = img.debian;
      f.libc = img.libc.family === 'glibc' ? 'glibc' : 'none';
      if (img.libc.version) f.glibc = img.libc.version;
      // every flavour is built on the static set, which carries tzdata
      f.zoneinfo = DISTROLESS_STATIC_PACKAGES[img.debian].includes('tzdata');
    }
  }
  return f;
}

const cache = new Map<string, ImageFacts>();

/** Facts are pure functions of the reference; the cache keeps a 1,000-file run from re-deriving them. */
function image(ref: ImageRef): ImageFacts {
  const key = `${ref.registry ?? ''}/${ref.repository}:${ref.tag ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    f = Object.freeze(imageUncached(ref)) as ImageFacts;
    cache.set(key, f);
  }
  return f;
}

function imageUncached(ref: ImageRef): ImageFacts {
  const repo = ref.repository;
  const hub = ref.registry === undefined;
  if (repo === 'scratch') return { kind: 'scratch', libc: 'none', shell: false, caCerts: false, zoneinfo: false, defaultUser: 'root', ...accounts(SCRATCH_ACCOUNTS) };
  if (hub && repo === 'golang') return golang(ref);
  if (hub && repo === 'alpine') return alpine(ref);
  if (hub && repo === 'debian') return debianLike(ref, 'debian');
  if (hub && repo === 'ubuntu') return debianLike(ref, 'ubuntu');
  if (ref.registry === 'gcr.io' && repo.startsWith('distroless/')) return distroless(ref);
  return { kind: 'unknown' };
}

export const defaultKnowledge: LintKnowledge = {
  image,
  goSupportEnd(minor) {
    return goRelease(minor)?.eol ?? undefined;
  },
  osSupport(distro, release) {
    if (distro === 'alpine') {
      const r = alpineRelease(release);
      return r ? { eol: r.eol } : undefined;
    }
    if (distro === 'distroless') {
      const img = distrolessImage('static', Number(release));
      return img ? { eol: img.eol } : undefined;
    }
    const r = distro === 'debian' ? debianRelease(release) : ubuntuRelease(release);
    return r ? supportWindow(r) : undefined;
  },
  cgoOnlyModule(path) {
    const m = cgoModuleFor(path);
    return m ? { note: m.withoutCgo } : undefined;
  },
  goCgoGlibcNeed(builderGlibc) {
    return goCgoGlibcNeed(builderGlibc);
  },
  sameReleaseRuntimes(os, today) {
    if (os.distro === 'ubuntu') {
      const u = ubuntuRelease(os.release);
      return u ? [`ubuntu:${u.version}`] : [];
    }
    if (os.distro !== 'debian') return [];
    const d = debianRelease(os.release);
    if (!d) return [];
    const w = supportWindow(d);
    const out: string[] = [];
    if ((w.extendedEol ?? w.eol ?? '9999') > today) out.push(`debian:${d.codename}-slim`);
    const dl = distrolessImage('base', Number(d.version));
    if (dl && (dl.eol === null || dl.eol > today)) out.push(`gcr.io/distroless/base-debian${d.version}`);
    return out;
  },
  userLookupFailure(kind, name) {
    const m = failureMessage(kind === 'user' ? 'user-not-found' : 'group-not-found')!;
    return renderMessage(m.text, { [kind]: name });
  },
  cpuLevelRefusal(level) {
    return renderMessage(failureMessage('cpu-level')!.text, { level });
  },
  source: 'src/knowledge',
};
