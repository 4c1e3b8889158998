/**
 * From a project scan to a container plan: what the binary needs at run time, which of the three
 * paradigms fits, why, and what each alternative costs. Plain data (schemas/plan.schema.json); the
 * words for humans are in the reasons' messages, the decisions in their codes.
 */
import type { ProjectScan, PackageFacts } from './scan.js';
import { chooseBinaries, type SelectOptions } from './binaries.js';
import { projectStampRefs, versionStamp } from './version-stamp.js';
import { servingOf } from './serving.js';
import { compareGoVersions, goMinor } from './gomod.js';
import { join } from 'node:path';
import { GokilnError } from '../errors.js';
import { newestGolangMinor } from '../knowledge/golang-images.js';
import { goRelease } from '../knowledge/go-releases.js';
import { chooseImages, distrolessRef, type ImageChoice } from '../knowledge/image-choice.js';
import { distrolessImage } from '../knowledge/distroless.js';
import { isCalendarDay } from '../knowledge/eol.js';
import { outsideContextMessage, replacesOutsideContext } from './replaces.js';
import {
  LIBC_LD_NAMES,
  cgoModuleFor,
  libraryByLdName,
  libraryByName,
  libraryByPkgConfig,
  type CLibrary,
} from '../knowledge/cgo-libraries.js';
import type { Alternative, Paradigm, Plan, PlanBinary, PlanLibrary, Reason } from './plan-types.js';

export type { Paradigm, PlanLibrary, Reason, Alternative, PlanBinary, Plan } from './plan-types.js';
export const PARADIGMS: readonly Paradigm[] = ['alpine', 'ubuntu', 'distroless'];

/** What the core of the plan reads: the project and the facts of the packages being built. */
type PlanInput = Pick<
  ProjectScan,
  'dir' | 'goMod' | 'module' | 'method' | 'methodNote' | 'vendor' | 'mainPackages' | 'ownPackages' | 'embedPatterns'
> &
  PackageFacts;

function resolveLibraries(scan: PlanInput, images: ImageChoice): { libs: PlanLibrary[]; unknown: string[]; cxx: boolean } {
  const byName = new Map<string, PlanLibrary>();
  const unknown: string[] = [];
  let cxx = false;
  const add = (lib: CLibrary, via: PlanLibrary['via'][number], ref: string, pkgs: string[], suite: 'bookworm' | 'trixie') => {
    const cur = byName.get(lib.name) ?? {
      name: lib.name,
      via: [],
      refs: [],
      sonames: lib.sonames,
      packages: [],
      debian: { build: lib.debian.build, runtime: lib.debian.runtime[suite] },
      alpine: { build: lib.alpine.build, runtime: lib.alpine.runtime },
      source: `${lib.source} (${lib.date})`,
    };
    if (!cur.via.includes(via)) cur.via.push(via);
    if (!cur.refs.includes(ref)) cur.refs.push(ref);
    for (const p of pkgs) if (!cur.packages.includes(p)) cur.packages.push(p);
    byName.set(lib.name, cur);
  };
  const suite = images.debian.suite === 'bookworm' ? 'bookworm' : 'trixie';
  for (const l of scan.cLibraries) {
    if (l.via === 'ldflags' && LIBC_LD_NAMES.includes(l.name)) continue;
    if (l.via === 'ldflags' && (l.name === 'stdc++' || l.name === 'c++')) {
      cxx = true;
      continue;
    }
    const lib = l.via === 'pkg-config' ? libraryByPkgConfig(l.name) : libraryByLdName(l.name);
    if (lib) add(lib, l.via, l.via === 'pkg-config' ? l.name : `-l${l.name}`, l.packages, suite);
    else unknown.push(l.via === 'pkg-config' ? l.name : `-l${l.name}`);
  }
  for (const d of scan.cgo.deps) {
    const m = cgoModuleFor(d.module);
    for (const name of m?.links.libraries ?? []) {
      const lib = libraryByName(name);
      if (lib) add(lib, 'module', m!.module, [d.pkg], suite);
    }
  }
  const libs = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const l of libs) {
    l.refs.sort();
    l.packages.sort();
  }
  return { libs, unknown: [...new Set(unknown)].sort(), cxx };
}

export interface PlanOptions {
  /** The day support windows are judged on (YYYY-MM-DD); default: today, UTC. Fixed in tests. */
  today?: string;
  /**
   * Report a project no image can be built for (no main package; a go line newer than any Go release
   * gokiln knows) as warnings instead of refusing it with E_UNSUPPORTED. For doctor, which checks the
   * toolchain of any module; plan and init refuse, since the Dockerfile they would name cannot build.
   */
  lenient?: boolean;
  /** Which commands go into images (--binary, --all-binaries); default: all but examples, tests and tools. */
  select?: SelectOptions;
}

/** The newest Go release gokiln knows a golang builder image for: `{ minor: '1.27', patch: '1.27.0' }`. */
export function newestKnownGo(): { minor: string; patch: string } {
  const minor = newestGolangMinor();
  return { minor, patch: goRelease(minor)?.latestPatch ?? `${minor}.0` };
}

/**
 * The plan: each command's own verdict (cgo from the packages it links, paradigm, runtime, reasons,
 * version variable, ports), and module-wide fields over the selected commands, which the Dockerfile builds.
 */
export function buildPlan(scan: ProjectScan, opts: PlanOptions = {}): Plan {
  // support windows are compared as YYYY-MM-DD strings: anything else would judge them silently wrong
  if (opts.today !== undefined && !isCalendarDay(opts.today))
    throw new GokilnError('E_USAGE', `today wants a real day as YYYY-MM-DD, got ${JSON.stringify(opts.today)}`);
  const { choices, mainWhy } = chooseBinaries(scan.mainPackages, scan.module, opts.select);
  const chosen = scan.binaries.filter((_, i) => choices[i]!.selected);
  const plan = planCore({ ...scan, ...(chosen.length ? mergeFacts(chosen) : {}) }, opts);
  const refs = projectStampRefs(scan.dir);
  plan.binaries = scan.binaries.map((b, i) => {
    const sub = planCore({ ...scan, ...b, mainPackages: [b] }, { ...opts, lenient: true });
    const bin: PlanBinary = {
      importPath: b.importPath,
      dir: b.dir,
      binary: b.binary,
      ...choices[i]!,
      cgo: {
        required: sub.cgo.required,
        own: sub.cgo.own,
        deps: sub.cgo.deps.map((d) => ({ pkg: d.pkg, module: d.module })),
        libcOnly: sub.cgo.libcOnly,
        cxx: sub.cgo.cxx,
      },
      libraries: sub.libraries.map((l) => l.name),
      unknownLibraries: sub.unknownLibraries,
      needs: { caCerts: sub.needs.caCerts, tzdata: sub.needs.tzdata },
      paradigm: sub.recommended.paradigm,
      runtimes: sub.runtimes,
      viable: PARADIGMS.filter((p) => p === sub.recommended.paradigm || sub.alternatives.some((a) => a.paradigm === p && a.viable)),
      reasons: sub.recommended.reasons,
      version: versionStamp(scan.model.graph, b.importPath, refs),
      serving: servingOf(scan.model.graph, b.importPath),
    };
    return bin;
  });
  const main = plan.binaries.find((b) => b.main);
  plan.mainBinary = main ? { name: main.binary, why: mainWhy } : null;
  for (const b of plan.binaries)
    if (!b.selected && b.excluded)
      plan.warnings.push({
        code: 'binary-left-out',
        message: `${b.binary} (${b.dir}) is left out: ${b.excluded}; --binary ${b.binary} or --all-binaries builds it`,
      });
  return plan;
}

/** The facts of several commands together: what a Dockerfile building all of them must provide. */
export function mergeFacts(bs: PackageFacts[]): PackageFacts {
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  const byKey = <T>(xs: T[], key: (x: T) => string) =>
    [...new Map(xs.map((x) => [key(x), x])).values()].sort((a, b) => key(a).localeCompare(key(b)));
  const libs = new Map<string, { name: string; via: 'pkg-config' | 'ldflags'; packages: Set<string> }>();
  for (const l of bs.flatMap((b) => b.cLibraries)) {
    const cur = libs.get(`${l.via}:${l.name}`) ?? { name: l.name, via: l.via, packages: new Set<string>() };
    l.packages.forEach((p) => cur.packages.add(p));
    libs.set(`${l.via}:${l.name}`, cur);
  }
  return {
    stdPackages: uniq(bs.flatMap((b) => b.stdPackages)),
    depModules: uniq(bs.flatMap((b) => b.depModules)),
    cgo: {
      own: byKey(
        bs.flatMap((b) => b.cgo.own),
        (o) => o.pkg,
      ),
      deps: byKey(
        bs.flatMap((b) => b.cgo.deps),
        (d) => d.pkg,
      ),
    },
    cLibraries: [...libs.values()]
      .map((l) => ({ name: l.name, via: l.via, packages: [...l.packages].sort() }))
      .sort((a, b) => (a.via + a.name).localeCompare(b.via + b.name)),
    loadLocation: uniq(bs.flatMap((b) => b.loadLocation)),
    embed: bs.some((b) => b.embed),
    unresolvedImports: uniq(bs.flatMap((b) => b.unresolvedImports)),
  };
}

function planCore(scan: PlanInput, opts: PlanOptions): Plan {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const std = new Set(scan.stdPackages);
  const newest = newestKnownGo();
  const beyond = (v: string) => compareGoVersions(goMinor(v), newest.minor) > 0;
  const modPath = join(scan.dir, 'go.mod');
  if (!opts.lenient) {
    if (scan.mainPackages.length === 0) {
      throw new GokilnError(
        'E_UNSUPPORTED',
        `no main package in ${scan.dir}${scan.module ? ` (module ${scan.module})` : ''}: nothing to build into an image; gokiln plans images for commands (package main)`,
        { file: scan.dir },
      );
    }
    if (scan.goMod.go && beyond(scan.goMod.go)) {
      throw new GokilnError(
        'E_UNSUPPORTED',
        `${modPath}: go ${scan.goMod.go} is newer than the newest Go release gokiln knows (${newest.patch}): there is no golang:${goMinor(scan.goMod.go)} builder image to name; lower the go line or update gokiln`,
        { file: modPath },
      );
    }
  }
  // the toolchain line only suggests a Go; the golang images build with GOTOOLCHAIN=local, which ignores
  // it once the go line is satisfied, so a suggestion beyond the known releases gets the newest known builder
  const toolchain = scan.goMod.toolchain?.replace(/^go/, '') ?? null;
  const toolchainBeyond = toolchain !== null && toolchain !== 'default' && beyond(toolchain) && !(scan.goMod.go && beyond(scan.goMod.go));
  const goVersion =
    [scan.goMod.go, toolchainBeyond ? newest.minor : toolchain]
      .filter((v): v is string => v !== null && v !== 'default')
      .sort(compareGoVersions)
      .at(-1) ?? '1.26';
  const images = chooseImages(goVersion, today);
  const { libs, unknown, cxx } = resolveLibraries(scan, images);

  // cgo through a dependency the go list/vendor scan could not see, but whose import path we know
  const deps = [...scan.cgo.deps];
  for (const ip of [...scan.unresolvedImports, ...scan.depModules]) {
    const m = cgoModuleFor(ip);
    if (m && !deps.some((d) => d.module === m.module)) deps.push({ pkg: ip, module: m.module });
  }
  const cgoRequired = scan.cgo.own.length > 0 || deps.length > 0;
  const libcOnly = cgoRequired && libs.length === 0 && unknown.length === 0 && !cxx;
  // distroless installs a fixed package set: a library is usable only if its shared object is in it
  const flavour = !cgoRequired ? 'static' : cxx ? 'cc' : 'base';
  const dl = distrolessImage(flavour, images.distroless.debian);
  const inDistroless = unknown.length === 0 && libs.every((l) => l.sonames.every((so) => dl?.libraries.includes(so)));

  const evidence: string[] = [];
  const tls = std.has('crypto/tls');
  if (tls)
    evidence.push(
      `crypto/tls is linked${std.has('net/http') ? ' (through net/http)' : ''}: TLS peers are verified against the system CA bundle`,
    );
  const tzEmbedded = std.has('time/tzdata');
  if (tzEmbedded) evidence.push('time/tzdata is linked: zone data is embedded in the binary');
  if (scan.loadLocation.length)
    evidence.push(`time.LoadLocation is called in ${scan.loadLocation.join(', ')}: zone names are read from /usr/share/zoneinfo`);
  const osUser = std.has('os/user');
  if (osUser) evidence.push('os/user is linked: user lookups read /etc/passwd (pure Go) or NSS (cgo)');
  const dns = std.has('net');
  if (dns)
    evidence.push(
      `net is linked: DNS resolution ${cgoRequired ? 'may use the cgo resolver (glibc NSS) unless built with -tags netgo' : 'uses the pure-Go resolver (reads /etc/resolv.conf, /etc/hosts, /etc/nsswitch.conf)'}`,
    );
  for (const d of deps) evidence.push(`${d.pkg} uses cgo${cgoModuleFor(d.module) ? ` (${d.module})` : ''}`);
  for (const o of scan.cgo.own) evidence.push(`${o.pkg} has import "C" in ${o.files.join(', ')}`);

  const warnings: Reason[] = [];
  if (unknown.length)
    warnings.push({
      code: 'unknown-library',
      message: `no package mapping for ${unknown.join(', ')}: add the -dev and runtime packages by hand`,
    });
  // a replacement outside the project is not in the build context: only vendor/ can carry it there
  for (const r of replacesOutsideContext(scan.goMod, scan.depModules)) {
    warnings.push({ code: 'replace-outside-context', message: outsideContextMessage(r, modPath, scan.dir) });
  }
  if (scan.vendor.present && scan.vendor.consistent === false)
    warnings.push({
      code: 'vendor-inconsistent',
      message: `vendor/ is out of date with go.mod (${scan.vendor.problems.length} problem(s)): run \`go mod vendor\``,
    });
  if (toolchainBeyond)
    warnings.push({
      code: 'toolchain-beyond-images',
      message: `go.mod's toolchain go${toolchain} is newer than the newest Go release gokiln knows (${newest.patch}); the builder uses golang:${images.goMinor}, the newest known, which satisfies the go line and (GOTOOLCHAIN=local) ignores the toolchain line`,
    });
  if (images.beyondKnown)
    warnings.push({
      code: 'go-beyond-images',
      message: `go.mod asks for Go ${goVersion}, newer than any golang image gokiln knows; the builder tag may not exist yet`,
    });
  // the day support ended (the release two minors later), not the plan's day
  if (images.raisedFrom)
    warnings.push({
      code: 'go-out-of-support',
      message: `Go ${images.raisedFrom} (go.mod's go line) has been out of support since ${goRelease(images.raisedFrom)?.eol ?? 'before ' + today}; the builder uses golang:${images.goMinor}, the oldest supported release that satisfies it`,
    });
  if (scan.method === 'source-scan')
    warnings.push({
      code: 'source-scan',
      message: `planned from a source scan (${scan.methodNote ?? 'go list unavailable'}); dependencies outside vendor/ were not read`,
    });
  if (scan.mainPackages.length === 0) warnings.push({ code: 'no-main', message: 'no main package found: nothing to put in an image' });

  const reasons: Reason[] = [];
  let paradigm: Paradigm;
  if (!cgoRequired) {
    paradigm = 'distroless';
    reasons.push({ code: 'pure-go', message: 'no cgo anywhere in the build: CGO_ENABLED=0 gives a static binary that needs no libc' });
    reasons.push({
      code: 'distroless-static-has-needs',
      message:
        'distroless/static carries CA certificates, tzdata, /etc/passwd with nonroot 65532 and nothing else: no shell, no package manager',
    });
  } else if (libcOnly || inDistroless) {
    paradigm = 'distroless';
    const what = deps
      .map((d) => d.module)
      .concat(scan.cgo.own.map((o) => o.pkg))
      .join(', ');
    if (libcOnly) reasons.push({ code: 'cgo-libc-only', message: `cgo is needed (${what}) but only libc is linked at run time` });
    else
      reasons.push({
        code: 'cgo-libraries-in-distroless',
        message: `cgo is needed (${what}); ${libs.map((l) => l.sonames.join(', ')).join(', ')} ${libs.length === 1 ? 'is' : 'are'} in distroless/${flavour}-debian${images.distroless.debian}`,
      });
    reasons.push({
      code: `distroless-${flavour}`,
      message: `distroless/${flavour}-debian${images.distroless.debian} has glibc and CA certificates; build on ${images.distroless.builder} so the glibc versions match`,
    });
  } else {
    paradigm = 'ubuntu';
    reasons.push({
      code: 'cgo-system-libraries',
      message: `cgo links system libraries (${libs
        .map((l) => l.name)
        .concat(unknown)
        .join(', ')}): a Debian runtime installs them with apt on the same release as the builder`,
    });
    if (cxx) reasons.push({ code: 'cxx', message: 'C++ code is linked: libstdc++ is needed at run time' });
  }

  const alpineCaveats: string[] = [];
  if (cgoRequired)
    alpineCaveats.push(
      `cgo on Alpine links musl dynamically: builder ${images.alpine.builder} and runtime ${images.alpine.runtime} must stay on the same Alpine minor`,
    );
  if (libs.some((l) => l.alpine.runtime.length === 0))
    alpineCaveats.push(
      `no Alpine package for ${libs
        .filter((l) => l.alpine.runtime.length === 0)
        .map((l) => l.name)
        .join(', ')}`,
    );
  const distrolessViable = !cgoRequired || libcOnly || inDistroless;
  const alternatives: Alternative[] = [
    {
      paradigm: 'alpine',
      viable: !libs.some((l) => l.alpine.runtime.length === 0),
      tradeoffs: {
        size: cgoRequired ? 'about 8 MB base plus the runtime libraries' : 'about 8 MB base plus the binary',
        attackSurface: 'busybox shell and apk in the image',
        debuggability: 'shell in the container: `docker exec -it … sh`, apk add tools on the fly',
        buildTime: cgoRequired ? 'apk add gcc musl-dev and -dev packages on every cold build' : 'fast: no C toolchain',
      },
      caveats: alpineCaveats,
    },
    {
      paradigm: 'ubuntu',
      viable: true,
      tradeoffs: {
        size: 'about 75 MB (debian slim) plus runtime libraries',
        attackSurface: 'largest: bash, apt, coreutils, many packages to patch',
        debuggability: 'full shell and apt; gdb/strace installable',
        buildTime: 'the golang Debian image already has gcc, libc6-dev and pkg-config',
      },
      caveats: cgoRequired
        ? [
            `the runtime ${images.debian.runtime} is on the builder's suite (${images.debian.suite}, glibc ${images.debian.glibc ?? '?'}): a newer builder glibc than the runtime fails with "GLIBC_x.y not found"`,
          ]
        : ['cgo is not needed: the static binary gains nothing from glibc'],
    },
    {
      paradigm: 'distroless',
      viable: distrolessViable,
      tradeoffs: {
        size: cgoRequired ? 'about 20 MB (base) plus the binary' : 'about 2 MB (static) plus the binary',
        attackSurface: 'smallest: no shell, no package manager, runs as nonroot 65532',
        debuggability: 'no shell: debug with `kubectl debug --target` or a sidecar sharing the process namespace; :debug tags add busybox',
        buildTime: cgoRequired ? 'Debian builder with gcc already installed' : 'fast: no C toolchain',
      },
      caveats: distrolessViable
        ? cgoRequired
          ? [`builder and runtime must both be Debian ${images.distroless.debian}`]
          : []
        : ['the runtime needs system libraries distroless does not ship; copying .so files by hand is fragile'],
    },
  ].filter((a) => a.paradigm !== paradigm) as Alternative[];

  return {
    schema: 'gokiln/plan@1',
    dir: scan.dir,
    module: scan.module,
    scan: { method: scan.method, note: scan.methodNote },
    go: {
      mod: scan.goMod.go,
      toolchain: scan.goMod.toolchain,
      builderMinor: images.goMinor,
      beyondKnownImages: images.beyondKnown,
      raisedFrom: images.raisedFrom,
    },
    today,
    binaries: [],
    mainBinary: null,
    packageDirs: scan.ownPackages
      .map((p) => (p === scan.module ? '.' : scan.module && p.startsWith(scan.module + '/') ? `./${p.slice(scan.module.length + 1)}` : p))
      .sort(),
    embedPatterns: scan.embedPatterns,
    cgo: {
      required: cgoRequired,
      own: scan.cgo.own,
      deps: deps.map((d) => {
        const m = cgoModuleFor(d.module);
        return {
          ...d,
          note: m
            ? m.links.bundled
              ? `C sources bundled: needs only a C compiler and libc headers; without cgo it ${m.withoutCgo}`
              : `without cgo it ${m.withoutCgo}`
            : null,
        };
      }),
      libcOnly,
      cxx,
    },
    libraries: libs,
    unknownLibraries: unknown,
    needs: {
      caCerts: tls,
      tzdata: scan.loadLocation.length > 0 && !tzEmbedded,
      tzdataEmbedded: tzEmbedded,
      osUser,
      dns,
      dnsResolver: !dns ? null : cgoRequired ? 'cgo-capable' : 'go',
      embed: scan.embed,
      pprof: std.has('net/http/pprof'),
    },
    vendor: scan.vendor,
    recommended: { paradigm, reasons },
    alternatives,
    images,
    runtimes: {
      alpine: images.alpine.runtime,
      ubuntu: images.debian.runtime,
      distroless: distrolessRef(flavour, images.distroless.debian),
    },
    evidence,
    warnings,
  };
}
