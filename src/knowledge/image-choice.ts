/**
 * Builder and runtime image tags for a Go version, chosen from the knowledge tables: Alpine builder and
 * runtime on the same Alpine minor, Debian builder and runtime on the same suite, distroless on the
 * Debian release of that suite. The names are written by imageName (image-names.ts); plan, init and the
 * lint rules' fix texts all take their images from here.
 */
import { golangImage, newestGolangMinor } from './golang-images.js';
import { compareVersions } from '../compare-versions.js';
import { debianRelease, UBUNTU_RELEASES } from './distros.js';
import { distrolessImage, type DistrolessFlavour } from './distroless.js';
import { imageName } from './image-names.js';
import { ALPINE_BASE_PACKAGES } from './alpine.js';
import { GO_RELEASES, goMinor, supportedGoMinors } from './go-releases.js';

export interface ImageChoice {
  /** Go minor the builder tag names (`1.26`). */
  goMinor: string;
  /** The go.mod asks for a Go newer than any golang image the knowledge base knows. */
  beyondKnown: boolean;
  /** go.mod's minor was out of support on the plan's day, so the builder uses the oldest supported newer minor. */
  raisedFrom: string | null;
  alpine: { builder: string; runtime: string; release: string };
  debian: { builder: string; runtime: string; suite: string; version: string; glibc: string | null; caCerts: boolean; tzdata: boolean };
  distroless: { debian: number; builder: string };
  /** CA bundle and zoneinfo in the plain `alpine:` image. */
  alpineBase: { caCerts: boolean; tzdata: boolean };
  source: string;
}

/**
 * `today` (YYYY-MM-DD) decides support: the go line is a minimum, so a builder on a newer, supported
 * minor builds the same module; an end-of-life builder gets no security fixes.
 */
export function chooseImages(goVersion: string, today: string): ImageChoice {
  let minor = goMinor(goVersion);
  let raisedFrom: string | null = null;
  const supported = supportedGoMinors(today).sort(compareVersions);
  if (supported.length && compareVersions(minor, supported[0]!) < 0) {
    raisedFrom = minor;
    minor = supported[0]!;
  }
  const newest = newestGolangMinor();
  const beyondKnown = compareVersions(minor, newest) > 0;
  const probe = (tag: string) => golangImage(`golang:${beyondKnown ? newest : minor}${tag}`);
  const alp = probe('-alpine');
  const deb = probe('');
  if (!alp || !deb) {
    // a Go minor the image history does not cover (too old): plan on the newest known images' bases
    minor = newest;
  }
  const a = alp ?? golangImage(`golang:${newest}-alpine`)!;
  const d = deb ?? golangImage(`golang:${newest}`)!;
  const rel = debianRelease(d.release);
  const debNum = Number(rel?.version ?? '12');
  const distroDebian = distrolessImage('static', debNum) ? debNum : 12;
  return {
    goMinor: minor,
    beyondKnown,
    raisedFrom,
    alpine: {
      builder: imageName({ family: 'golang', go: minor, os: 'alpine', release: a.release }),
      runtime: imageName({ family: 'alpine', release: a.release }),
      release: a.release,
    },
    debian: {
      builder: imageName({ family: 'golang', go: minor, os: 'debian', suite: d.release }),
      runtime: imageName({ family: 'debian', suite: d.release, slim: true }),
      suite: d.release,
      version: rel?.version ?? '',
      glibc: rel?.glibc ?? null,
      caCerts: rel?.caCerts ?? false,
      tzdata: rel?.tzdata ?? false,
    },
    distroless: {
      debian: distroDebian,
      builder: imageName({
        family: 'golang',
        go: minor,
        os: 'debian',
        suite: distroDebian === debNum ? d.release : (debianRelease(String(distroDebian))?.codename ?? d.release),
      }),
    },
    alpineBase: { caCerts: ALPINE_BASE_PACKAGES.caBundle !== null, tzdata: ALPINE_BASE_PACKAGES.tzdata },
    source: a.source,
  };
}

/** The distroless runtime gokiln generates: the `:nonroot` tag of that flavour and Debian release. */
export function distrolessRef(flavour: DistrolessFlavour, debian: number): string {
  return imageName({ family: 'distroless', flavour, debian, tag: 'nonroot' });
}

/** The images gokiln recommends by name in texts (lint fixes): one Go, the Alpine and Debian it is published on. */
export interface RecommendedImages {
  /** The Go minor the golang tags name (`1.27`). */
  goMinor: string;
  /** `golang:1.27-alpine3.24` and the `alpine:3.24` it pairs with. */
  golangAlpine: string;
  alpine: string;
  alpineRelease: string;
  /** `golang:1.27-trixie` and the `debian:trixie-slim` it pairs with (same glibc). */
  golangDebian: string;
  debianSlim: string;
  debianSuite: string;
  /** The newest Ubuntu release by then, `ubuntu:26.04` (every one listed is an LTS). */
  ubuntu: string;
  /**
   * distroless on the Debian release of that suite, `gcr.io/distroless/static-debian13` (no tag), its
   * `:nonroot` tag as gokiln writes it, and the golang builder of that release.
   */
  distroless: { static: string; staticNonroot: string; base: string; cc: string; debian: number; builder: string };
}

/**
 * What to recommend on `today`: the newest Go released by then that the golang image history covers
 * (without a day: the newest it covers), on the default Alpine and Debian of its images — the images
 * `gokiln init` would write for a module on that Go. Read from src/knowledge, so a text built from it goes
 * stale only with the knowledge base (test/dockerfile/rules.test.ts checks it is supported on the day).
 */
export function recommendedImages(today?: string): RecommendedImages {
  const newest = newestGolangMinor();
  let minor = newest;
  if (today !== undefined) {
    const released = GO_RELEASES.filter((r) => r.released <= today && golangImage(`golang:${r.minor}`) !== null)
      .map((r) => r.minor)
      .sort(compareVersions);
    minor = released.at(-1) ?? newest;
  }
  const day = today ?? GO_RELEASES.find((r) => r.minor === minor)?.released ?? '9999-12-31';
  const c = chooseImages(minor, day);
  const dl = (flavour: DistrolessFlavour) => imageName({ family: 'distroless', flavour, debian: c.distroless.debian });
  return {
    goMinor: c.goMinor,
    golangAlpine: c.alpine.builder,
    alpine: c.alpine.runtime,
    alpineRelease: c.alpine.release,
    golangDebian: c.debian.builder,
    debianSlim: c.debian.runtime,
    debianSuite: c.debian.suite,
    ubuntu: imageName({
      family: 'ubuntu',
      version:
        UBUNTU_RELEASES.filter((u) => today === undefined || u.released <= today)
          .map((u) => u.version)
          .sort(compareVersions)
          .at(-1) ?? UBUNTU_RELEASES.at(-1)!.version,
    }),
    distroless: {
      static: dl('static'),
      staticNonroot: distrolessRef('static', c.distroless.debian),
      base: dl('base'),
      cc: dl('cc'),
      debian: c.distroless.debian,
      builder: c.distroless.builder,
    },
  };
}
