/**
 * Dockerfiles for the three paradigms, built from a plan. The generator first decides a structured
 * model (images, packages, the exact `go build` environment and arguments, the runtime layout) and only
 * then prints it, so tests can run the very `go build` the Dockerfile would run without parsing text.
 */
import type { Paradigm, Plan, PlanBinary } from '../project/plan.js';
import { pinned, type Pins } from './pin.js';

export interface GoBuildSpec {
  /** Environment of the `go build` process: stage ENV plus the inline assignments. `$TARGETOS`/`$TARGETARCH`/`${VERSION}` stay symbolic. */
  env: Record<string, string>;
  /** Arguments after `go`, e.g. `['build', '-trimpath', '-ldflags=-s -w -X main.version=${VERSION}', '-o', '/out/', './cmd/api']`. */
  args: string[];
  /** Directory the binaries land in. */
  outDir: string;
  /** Build-time ARGs with their defaults (`VERSION=dev`). */
  buildArgs: Record<string, string>;
}

export interface DockerfileSpec {
  paradigm: Paradigm;
  offline: boolean;
  /**
   * Modules come from vendor/: with --offline, or when vendor/ is present and consistent with go.mod
   * (go build would use it by itself, go >= 1.14): no `go mod download`, vendor/ copied with the sources,
   * GOFLAGS=-mod=vendor and GOPROXY=off.
   */
  vendored: boolean;
  builder: string;
  /** `--platform=$BUILDPLATFORM` on the builder (only without cgo: cross-compiling C needs a cross toolchain). */
  crossCompile: boolean;
  buildPackages: { manager: 'apk' | 'apt' | null; packages: string[] };
  goBuild: GoBuildSpec;
  /** The vendor check step (`go list -deps ./...` with -mod=vendor), when modules come from vendor/. */
  checkStep: string[] | null;
  runtime: string;
  runtimePackages: { manager: 'apk' | 'apt' | null; packages: string[] };
  user: { uid: number; gid: number; name: string; create: boolean };
  /**
   * Each binary, where the runtime puts it, and (with more than one) the name of its final stage, the
   * `docker build --target` that builds its image; null for a single binary (the last stage is its image).
   */
  binaries: Array<{ name: string; dir: string; path: string; stage: string | null; main: boolean; ports: number[] }>;
  /** The names of this group's builder and runtime stages (`build`, `runtime`; `build-cgo`… for another group). */
  stages: { build: string; runtime: string };
  /** `-X` symbols the build stamps with ${VERSION}, each with where the project sets it. */
  versionStamps: Array<{ symbol: string; source: string }>;
  /**
   * Directories of go.mod's local replacements inside the project (`lib`): their go.mod is copied before
   * `go mod download`, which reads it to load the module graph.
   */
  replaceDirs: string[];
  /** The libc the binary will link: `none` (static), `musl` or `glibc`. */
  linking: 'static' | 'musl' | 'glibc';
  hasGoSum: boolean;
}

export interface GenerateOptions {
  /** One paradigm for every binary; undefined: each binary's own recommendation. */
  paradigm?: Paradigm;
  offline?: boolean;
  /** go.sum exists in the project (decides the COPY line). */
  hasGoSum: boolean;
  /** Directories (relative, `/`-separated) of local replacements inside the project; see DockerfileSpec.replaceDirs. */
  replaceDirs?: string[];
  /**
   * By binary name: the Debian packages a cgo binary's runtime stage installs on debian:<suite>-slim, the
   * daemonless build's package list (image/debian/plan-packages.ts); without it, the libraries' runtime packages.
   */
  aptPackages?: Record<string, string[]>;
}

const APP_UID = 10001;

/** The plan as one binary sees it: its cgo, libraries, needs and runtimes; the rest is the module's. */
export function binaryView(plan: Plan, b: PlanBinary): Plan {
  return {
    ...plan,
    cgo: {
      ...plan.cgo,
      required: b.cgo.required,
      own: b.cgo.own,
      deps: plan.cgo.deps.filter((d) => b.cgo.deps.some((x) => x.pkg === d.pkg)),
      libcOnly: b.cgo.libcOnly,
      cxx: b.cgo.cxx,
    },
    libraries: plan.libraries.filter((l) => b.libraries.includes(l.name)),
    unknownLibraries: b.unknownLibraries,
    needs: { ...plan.needs, caCerts: b.needs.caCerts, tzdata: b.needs.tzdata },
    runtimes: b.runtimes,
    binaries: [b],
  };
}

/**
 * One spec per group of selected binaries that share a builder and a runtime (static binaries in one,
 * cgo ones in another): the group holding the main binary first, its stages named `build` and `runtime`.
 */
export function planDockerfiles(plan: Plan, opts: GenerateOptions): DockerfileSpec[] {
  const selected = plan.binaries.filter((b) => b.selected);
  if (!selected.length) return [planDockerfile(plan, { ...opts, paradigm: opts.paradigm ?? plan.recommended.paradigm })];
  const groups = new Map<string, DockerfileSpec>();
  const ordered = [...selected].sort((a, b) => Number(b.main) - Number(a.main));
  for (const b of ordered) {
    const spec = planDockerfile(binaryView(plan, b), { ...opts, paradigm: opts.paradigm ?? b.paradigm });
    // runtime packages (CA certificates, tzdata, libraries) are merged: one runtime base per builder
    const key = JSON.stringify([spec.paradigm, spec.builder, spec.buildPackages, spec.goBuild.env, spec.runtime, spec.user, spec.linking]);
    const g = groups.get(key);
    if (!g) groups.set(key, spec);
    else {
      g.binaries.push(...spec.binaries);
      if (spec.runtimePackages.manager)
        g.runtimePackages = {
          manager: spec.runtimePackages.manager,
          packages: uniq([...g.runtimePackages.packages, ...spec.runtimePackages.packages]),
        };
      for (const v of spec.versionStamps) if (!g.versionStamps.some((x) => x.symbol === v.symbol)) g.versionStamps.push(v);
    }
  }
  const specs = [...groups.values()];
  const taken = new Set<string>();
  specs.forEach((s, i) => {
    const suffix =
      i === 0
        ? ''
        : s.linking === specs[0]!.linking
          ? `-${i + 1}`
          : s.linking === 'static'
            ? '-static'
            : `-${s.linking === 'glibc' ? 'cgo' : s.linking}`;
    let n = suffix;
    for (let k = 2; taken.has(n); k++) n = `${suffix || '-'}${k}`;
    taken.add(n);
    s.stages = { build: `build${n}`, runtime: `runtime${n}` };
    s.goBuild.args = goBuildArgs(
      s.versionStamps,
      s.binaries.map((x) => x.dir),
    );
    s.goBuild.buildArgs = s.versionStamps.length ? { VERSION: 'dev' } : {};
  });
  const all = specs.flatMap((s) => s.binaries);
  const names = binaryStageNames(
    all.map((b) => b.name),
    specs.flatMap((s) => [s.stages.build, s.stages.runtime]),
  );
  all.forEach((b, i) => (b.stage = all.length > 1 ? names[i]! : null));
  return specs;
}

function goBuildArgs(stamps: DockerfileSpec['versionStamps'], dirs: string[]): string[] {
  const ld = ['-s', '-w', ...stamps.map((v) => `-X ${v.symbol}=\${VERSION}`)].join(' ');
  return ['build', '-trimpath', `-ldflags=${ld}`, '-o', '/out/', ...dirs];
}

export function planDockerfile(plan: Plan, opts: GenerateOptions & { paradigm: Paradigm }): DockerfileSpec {
  const p = opts.paradigm;
  const cgo = plan.cgo.required;
  const offline = Boolean(opts.offline);
  const vendored = offline || (plan.vendor.present && plan.vendor.consistent === true);
  const img = plan.images;
  const libs = plan.libraries;
  const pkgConfigNeeded = libs.some((l) => l.via.includes('pkg-config'));

  let builder: string;
  let runtime: string;
  let buildPackages: DockerfileSpec['buildPackages'] = { manager: null, packages: [] };
  const rt: string[] = [];
  let linking: DockerfileSpec['linking'] = cgo ? 'glibc' : 'static';
  let user: DockerfileSpec['user'];
  let runtimeMgr: 'apk' | 'apt' | null = null;

  if (p === 'alpine') {
    builder = img.alpine.builder;
    runtime = img.alpine.runtime;
    runtimeMgr = 'apk';
    if (cgo) {
      linking = 'musl';
      // the golang Alpine image has no C compiler: gcc and musl-dev are what cgo needs on musl
      buildPackages = {
        manager: 'apk',
        packages: uniq(['gcc', 'musl-dev', ...(pkgConfigNeeded ? ['pkgconf'] : []), ...libs.flatMap((l) => l.alpine.build)]),
      };
      rt.push(...libs.flatMap((l) => l.alpine.runtime));
    }
    if (plan.needs.caCerts && !img.alpineBase.caCerts) rt.push('ca-certificates');
    if (plan.needs.tzdata && !img.alpineBase.tzdata) rt.push('tzdata');
    user = { uid: APP_UID, gid: APP_UID, name: 'app', create: true };
  } else if (p === 'ubuntu') {
    builder = img.debian.builder;
    runtime = img.debian.runtime;
    runtimeMgr = 'apt';
    if (cgo) {
      // gcc, libc6-dev and pkg-config are already in the golang Debian image
      const dev = uniq(libs.flatMap((l) => l.debian.build));
      if (dev.length) buildPackages = { manager: 'apt', packages: dev };
      const apt = opts.aptPackages?.[plan.binaries[0]?.binary ?? ''];
      rt.push(...(apt ?? libs.flatMap((l) => l.debian.runtime)));
    }
    if (plan.needs.caCerts && !img.debian.caCerts) rt.push('ca-certificates');
    // like CA certificates: only where the runtime image lacks it. tzdata is Priority: required in Debian
    // (bookworm and trixie alike), so debian:<suite>-slim has /usr/share/zoneinfo (knowledge/distros.ts)
    if (plan.needs.tzdata && !img.debian.tzdata) rt.push('tzdata');
    user = { uid: APP_UID, gid: APP_UID, name: 'app', create: true };
  } else {
    builder = img.distroless.builder;
    runtime = plan.runtimes.distroless;
    user = { uid: 65532, gid: 65532, name: 'nonroot', create: false };
  }

  const crossCompile = !cgo;
  const env: Record<string, string> = {};
  if (vendored) {
    env.GOFLAGS = '-mod=vendor';
    env.GOPROXY = 'off';
  }
  env.CGO_ENABLED = cgo ? '1' : '0';
  if (!cgo) {
    // cross-compiling from the build platform; with cgo the builder already is the target platform
    env.GOOS = '$TARGETOS';
    env.GOARCH = '$TARGETARCH';
  }
  const chosen = plan.binaries.filter((b) => b.selected);
  const bins = chosen.length
    ? chosen
    : [
        {
          importPath: plan.module ?? 'app',
          dir: '.',
          binary: (plan.module ?? 'app').split('/').pop()!,
          main: true,
          version: null,
          serving: { ports: [], health: null },
        },
      ];
  const binDir = p === 'distroless' ? '' : '/usr/local/bin';
  const stamps = [...new Map(bins.flatMap((b) => (b.version ? [[b.version.symbol, b.version] as const] : []))).values()];
  const args = goBuildArgs(
    stamps,
    bins.map((b) => b.dir),
  );
  return {
    paradigm: p,
    offline,
    vendored,
    builder,
    crossCompile,
    buildPackages,
    goBuild: { env, args, outDir: '/out', buildArgs: stamps.length ? { VERSION: 'dev' } : {} },
    checkStep: vendored ? ['go', 'list', '-deps', './...'] : null,
    runtime,
    runtimePackages: { manager: rt.length ? runtimeMgr : null, packages: uniq(rt) },
    user,
    binaries: bins.map((b) => ({
      name: b.binary,
      dir: b.dir,
      path: `${binDir}/${b.binary}`,
      stage: null,
      main: b.main,
      ports: b.serving.ports.map((x) => x.port),
    })),
    stages: { build: 'build', runtime: 'runtime' },
    versionStamps: stamps,
    linking,
    hasGoSum: opts.hasGoSum,
    replaceDirs: [...(opts.replaceDirs ?? [])],
  };
}

/**
 * Stage names for the binaries of a multi-binary Dockerfile: BuildKit takes `[a-z][a-z0-9-_.]*`, and
 * `build` and `runtime` are the generator's own stages, so a binary named `Build`, `runtime` or `2fa`
 * gets a stage name of its own (`build-bin`, `runtime-bin`, `bin-2fa`); each name also serves as the
 * image name in the `docker build -t` init prints.
 */
export function binaryStageNames(names: string[], reserved: string[] = ['build', 'runtime']): string[] {
  const taken = new Set(reserved);
  return names.map((n) => {
    let s = n
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
    if (!/^[a-z]/.test(s)) s = `bin-${s || 'x'}`;
    let out = taken.has(s) ? `${s}-bin` : s;
    for (let k = 2; taken.has(out); k++) out = `${s}-${k}`;
    taken.add(out);
    return out;
  });
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}

const CACHE_MOD = '--mount=type=cache,target=/go/pkg/mod';
const CACHE_BUILD = '--mount=type=cache,target=/root/.cache/go-build';

export interface RenderOptions {
  /** k8s/ manifests are written too: the debugging hint may point at k8s/debug/README.md */
  k8s?: boolean;
  /** base image → digest (init --pin-digests): its FROM lines read `name:tag@sha256:…` */
  pins?: Pins;
}

/**
 * Prints the specs as one Dockerfile: each group's builder, then each group's runtime base, then one
 * final stage per binary, the main binary's last so that `docker build` without --target builds it.
 * No lint suppression: tags are pinned to what the knowledge base derived (GK003's digest note is info,
 * answered by `pins`). Deterministic: same specs and pins, same bytes.
 */
export function renderDockerfile(specs: DockerfileSpec[], plan: Plan, opts: RenderOptions = {}): string {
  const L: string[] = [];
  const first = specs[0]!;
  const all = specs.flatMap((s) => s.binaries);
  const multi = all.length > 1;
  L.push('# syntax=docker/dockerfile:1');
  const paradigms = [...new Set(specs.map((s) => s.paradigm))];
  const pins = opts.pins && Object.keys(opts.pins).length ? opts.pins : undefined;
  L.push(
    `# Written by gokiln init --paradigm ${paradigms.join('/')}${first.offline ? ' --offline' : ''}${pins ? ' --pin-digests' : ''} from the plan of ${plan.module ?? 'this module'}.`,
  );
  L.push(
    `# go.mod: go ${plan.go.mod ?? '?'}${plan.go.toolchain ? `, toolchain ${plan.go.toolchain}` : ''}; runtime needs: ${needsLine(plan)}.`,
  );
  for (const s of specs) {
    const names = s.binaries.map((b) => b.name).join(', ');
    L.push(
      `# ${names}: cgo ${s.linking === 'static' ? 'not used' : `required (${s.linking})`}; version ${s.versionStamps.length ? `stamped into ${s.versionStamps.map((v) => `${v.symbol} (${v.source})`).join(', ')}` : "from Go's own build info (no version variable found)"}.`,
    );
  }
  for (const s of specs) {
    L.push('');
    renderBuilder(L, s, pins);
  }
  for (const s of specs) {
    L.push('');
    renderRuntime(L, s, multi || specs.length > 1, Boolean(opts.k8s), pins);
  }
  // final stages: the main binary last
  const order = specs
    .flatMap((s) => s.binaries.map((b) => ({ s, b })))
    .sort((x, y) => Number(x.b.main) - Number(y.b.main) || x.b.name.localeCompare(y.b.name));
  for (const [i, { s, b }] of order.entries()) {
    if (multi || specs.length > 1) {
      L.push('');
      L.push(
        `# docker build --target ${b.stage ?? b.name} .${i === order.length - 1 ? '  (the default: last stage, the main binary)' : ''}`,
      );
      L.push(`FROM ${s.stages.runtime}${b.stage ? ` AS ${b.stage}` : ''}`);
    }
    L.push(`COPY --from=${s.stages.build} /out/${b.name} ${b.path}`);
    L.push(`USER ${s.user.uid}:${s.user.gid}`);
    for (const port of b.ports) L.push(`EXPOSE ${port}`);
    L.push(`ENTRYPOINT ["${b.path}"]`);
  }
  return L.join('\n') + '\n';
}

function renderBuilder(L: string[], spec: DockerfileSpec, pins: Pins | undefined): void {
  if (!spec.crossCompile) L.push('# cgo is on, so the builder runs on the target platform: cross-compiling C needs a cross toolchain.');
  L.push(`FROM ${spec.crossCompile ? '--platform=$BUILDPLATFORM ' : ''}${pinned(spec.builder, pins)} AS ${spec.stages.build}`);
  if (spec.buildPackages.manager === 'apk') {
    L.push(`RUN apk add --no-cache ${spec.buildPackages.packages.join(' ')}`);
  } else if (spec.buildPackages.manager === 'apt') {
    L.push('RUN apt-get update \\');
    L.push(` && apt-get install -y --no-install-recommends ${spec.buildPackages.packages.join(' ')} \\`);
    L.push(' && rm -rf /var/lib/apt/lists/*');
  }
  L.push('WORKDIR /src');
  if (spec.vendored) {
    if (spec.offline) L.push('# --offline: modules come from vendor/ (kept in the repository), never from the network');
    else L.push('# vendor/ is consistent with go.mod: go build reads modules from it, nothing is fetched from the network');
    for (const [k, v] of Object.entries(spec.goBuild.env)) if (k === 'GOFLAGS' || k === 'GOPROXY') L.push(`ENV ${k}=${v}`);
    L.push('COPY . .');
    L.push('# fails with "inconsistent vendoring" when vendor/ is out of date with go.mod');
    L.push(`RUN ${spec.checkStep!.join(' ')} > /dev/null`);
  } else {
    L.push(`COPY ${spec.hasGoSum ? 'go.mod go.sum' : 'go.mod'} ./`);
    if (spec.replaceDirs.length) L.push('# go.mod replaces modules with these directories: go mod download reads their go.mod');
    for (const d of spec.replaceDirs) L.push(copyLine(`${d}/go.mod`, `./${d}/`));
    L.push(`RUN ${CACHE_MOD} go mod download`);
    L.push('COPY . .');
  }
  if (spec.crossCompile) {
    L.push('ARG TARGETOS');
    L.push('ARG TARGETARCH');
  }
  for (const [k, v] of Object.entries(spec.goBuild.buildArgs)) L.push(`ARG ${k}=${v}`);
  const inline = Object.entries(spec.goBuild.env).filter(([k]) => !(spec.vendored && (k === 'GOFLAGS' || k === 'GOPROXY')));
  const mounts = spec.vendored ? [CACHE_BUILD] : [CACHE_MOD, CACHE_BUILD];
  L.push(`RUN ${mounts.join(' \\\n    ')} \\`);
  L.push(`    ${inline.map(([k, v]) => `${k}=${v}`).join(' ')} \\`);
  L.push(`    go ${spec.goBuild.args.map(shellWord).join(' ')}`);
}

function renderRuntime(L: string[], spec: DockerfileSpec, named: boolean, k8s: boolean, pins: Pins | undefined): void {
  L.push(`FROM ${pinned(spec.runtime, pins)}${named ? ` AS ${spec.stages.runtime}` : ''}`);
  const setup: string[] = [];
  if (spec.runtimePackages.manager === 'apk') setup.push(`apk add --no-cache ${spec.runtimePackages.packages.join(' ')}`);
  if (spec.runtimePackages.manager === 'apt') {
    setup.push(
      'apt-get update',
      `apt-get install -y --no-install-recommends ${spec.runtimePackages.packages.join(' ')}`,
      'rm -rf /var/lib/apt/lists/*',
    );
  }
  if (spec.user.create) {
    const { uid, gid, name } = spec.user;
    if (spec.paradigm === 'alpine') setup.push(`addgroup -S -g ${gid} ${name}`, `adduser -S -D -H -u ${uid} -G ${name} ${name}`);
    else
      setup.push(
        `groupadd --system --gid ${gid} ${name}`,
        `useradd --system --uid ${uid} --gid ${name} --no-create-home --shell /usr/sbin/nologin ${name}`,
      );
  }
  if (setup.length) L.push(`RUN ${setup.join(' \\\n && ')}`);
  if (spec.paradigm === 'distroless')
    L.push(
      `# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target${k8s ? ' (see k8s/debug/README.md)' : ' or a :debug tag (busybox at /busybox/sh)'}`,
    );
}

/** `COPY src dst`, in the JSON form when a path has a space or a quote the plain form cannot carry. */
function copyLine(src: string, dst: string): string {
  return /[\s"'\\]/.test(src + dst) ? `COPY ${JSON.stringify([src, dst])}` : `COPY ${src} ${dst}`;
}

function needsLine(plan: Plan): string {
  const n: string[] = [];
  if (plan.needs.caCerts) n.push('CA certificates');
  if (plan.needs.tzdata) n.push('zoneinfo');
  if (plan.needs.tzdataEmbedded) n.push('zoneinfo embedded');
  if (plan.libraries.length) n.push(plan.libraries.map((l) => l.name).join(', '));
  return n.length ? n.join(', ') : 'nothing beyond the binary';
}

function shellWord(w: string): string {
  if (/^[\w@%+=:,./$-]+$/.test(w) && !w.includes('${')) return w;
  const flag = /^(-[\w-]+=)(.*)$/.exec(w);
  if (flag) return `${flag[1]}"${flag[2]!.replace(/(["\\`])/g, '\\$1')}"`;
  // keep ${VERSION} expandable by the shell: double quotes, escaping only what must be
  return `"${w.replace(/(["\\`])/g, '\\$1')}"`;
}

/** Resolves the symbolic values of a GoBuildSpec env for a concrete target (tests, `init --check`). */
export function concreteGoEnv(spec: GoBuildSpec, target: { os: string; arch: string }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.env)) out[k] = v.replace('$TARGETOS', target.os).replace('$TARGETARCH', target.arch);
  return out;
}
export function concreteGoArgs(spec: GoBuildSpec, outDir: string, buildArgs: Record<string, string> = {}): string[] {
  const vals = { ...spec.buildArgs, ...buildArgs };
  return spec.args.map((a) =>
    a === spec.outDir + '/' ? outDir.replace(/\/?$/, '/') : a.replace(/\$\{(\w+)\}/g, (_m, k: string) => vals[k] ?? ''),
  );
}
