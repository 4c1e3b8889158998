/**
 * Support windows of the OS releases images are built on, and the runtime images of one release: what
 * lint's end-of-support and glibc rules ask of the image model, answered from the release tables.
 */
import { alpineRelease } from './alpine.js';
import { debianRelease, supportWindow, ubuntuRelease } from './distros.js';
import { distrolessImage } from './distroless.js';
import { imageName } from './image-names.js';
import type { SupportWindow } from './eol.js';
import type { Distro } from './image-model.js';

/** First day without support for an OS release (and without LTS/ESM, and how that is had); undefined if unknown. */
export function releaseSupport(distro: Distro | 'distroless', release: string): SupportWindow | undefined {
  if (distro === 'alpine') {
    const r = alpineRelease(release);
    return r ? { eol: r.eol } : undefined;
  }
  if (distro === 'rhel') return undefined;
  if (distro === 'distroless') {
    const img = distrolessImage('static', Number(release));
    return img ? { eol: img.eol } : undefined;
  }
  const r = distro === 'debian' ? debianRelease(release) : ubuntuRelease(release);
  return r ? supportWindow(r) : undefined;
}

/**
 * Runtime images on the same OS release as `os` (so with the same glibc) still supported on `today`:
 * `debian:bookworm-slim`, `gcr.io/distroless/base-debian12`, `ubuntu:24.04`; empty when none is known.
 */
export function sameReleaseRuntimes(os: { distro: Distro; release: string }, today: string): string[] {
  if (os.distro === 'ubuntu') {
    const u = ubuntuRelease(os.release);
    return u ? [imageName({ family: 'ubuntu', version: u.version })] : [];
  }
  if (os.distro !== 'debian') return [];
  const d = debianRelease(os.release);
  if (!d) return [];
  const w = supportWindow(d);
  const out: string[] = [];
  if ((w.extendedEol ?? w.eol ?? '9999') > today) out.push(imageName({ family: 'debian', suite: d.codename, slim: true }));
  const dl = distrolessImage('base', Number(d.version));
  if (dl && (dl.eol === null || dl.eol > today)) out.push(imageName({ family: 'distroless', flavour: 'base', debian: dl.debian }));
  return out;
}
