/**
 * `gokiln build`: project → plan → `go build` per platform → one application layer on the base → config,
 * manifest (and index for several platforms) in a staging blob store → one publisher (OCI layout,
 * docker-archive). Nothing reaches the output path until the image is complete.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { GokilnError } from '../errors.js';
import { scanProject } from '../project/scan.js';
import { buildPlan, type Plan } from '../project/plan.js';
import { inspectFile } from '../analysis/inspect.js';
import type { InspectOk } from '../analysis/types.js';
import { formatPlatform, type Descriptor, type ImageConfig, type Platform } from '../image/oci.js';
import { BlobStore } from '../image/write/blob-store.js';
import { writeLayer, type LayerOptions } from '../image/write/layer.js';
import { LayerCache, type LayerOrigin } from '../image/write/layer-cache.js';
import { gokilnCacheDir } from '../io/cache-dir.js';
import { configDocument, indexDocument, manifestDocument, mediaTypes, type MediaStyle } from '../image/write/manifest.js';
import type { BuiltImage, BuiltPlatform } from '../image/write/built-image.js';
import { checkTarget, finishLayout, moveIntoPlace } from '../image/write/oci-layout.js';
import { writeDockerArchive } from '../image/write/docker-archive.js';
import { embeddedBase, type BaseImage } from '../image/base/embedded.js';
import { goBuild } from './go-build.js';
import { binaryPlace } from './bin-cache.js';
import { checkTagName, hostPlatform, sourceDateEpoch, splitTag, type BuildOptions } from './options.js';
import { addSbom } from './sbom-step.js';
import { pushImage } from '../image/registry/push.js';
import { imageSource, parseImageArgument } from '../image/read/read-image.js';
import { registryRef } from '../image/registry/reference.js';
import { baseFromImage } from '../image/base/from-source.js';
import { debianBase, type DebianBaseReport } from './debian-base.js';
import { debianBuildMode } from './debian-mode.js';
import { checkBuiltImage, stagedImage } from './image-check.js';

/** Where binaries go in the image (documented in README: `/app/<binary>`). */
export const APP_DIR = '/app';
const APP_LAYER_GZIP_LEVEL = 1;

export interface BuildResult {
  schema: 'gokiln/build@1';
  dir: string;
  image: string;
  mediaType: string;
  digest: string;
  created: string;
  /** where `created` and every mtime came from */
  timeSource: 'SOURCE_DATE_EPOCH' | 'vcs.time' | 'zero';
  /** the base; its manifest digest differs per platform (the config names the architecture): see platforms[].baseDigest */
  base: { name: string; date: string; description: string };
  entrypoint: string[];
  platforms: Array<{
    platform: string;
    manifest: string;
    config: string;
    baseDigest: string;
    layers: Array<{ digest: string; size: number; diffId: string }>;
    /** how the application layer was made: compressed now, or copied from the layer cache (same bytes) */
    appLayer: LayerOrigin;
    binaries: Array<{ name: string; package: string; path: string; size: number; goVersion: string | null }>;
  }>;
  sbom: { format: 'spdx' | 'cyclonedx'; digest: string; tag: string } | null;
  /** the Debian packages of the ubuntu/debian paradigm's base (per platform: the first; the lockfile holds one arch) */
  debian?: DebianBaseReport;
  /** what the build decided on the user's behalf (e.g. the ubuntu paradigm without cgo degrading to the embedded base) */
  notes?: string[];
  /** a push also says how each blob got there: uploaded, already present, or mounted from another repository (the base's, or one it was pushed to before) */
  output: { kind: 'oci' | 'archive' | 'push'; path: string; blobs?: { sent: number; present: number; mounted: number } };
}

/**
 * The base when --base is not given: the embedded one, or for the Alpine slim paradigm the Alpine image plan
 * and init use (`alpine:<newest release>` from the knowledge tables), pulled through the registry client.
 * The binary stays static (CGO_ENABLED=0) unless the plan needs cgo; a cgo binary on Alpine must link musl
 * (CC=musl-gcc or an Alpine toolchain), which the image check below proves before anything is written.
 */
function baseReference(opts: BuildOptions, plan: Plan): string {
  if (opts.base !== undefined) return opts.base;
  return opts.paradigm === 'alpine' ? plan.images.alpine.runtime : 'embedded';
}

type BaseSource = ReturnType<typeof imageSource>;

/** The base for one platform; a default base (`chosen`) that cannot be fetched says it was gokiln's choice, and the way out. */
async function resolveBase(source: BaseSource, platform: Platform, chosen: string | null): ReturnType<BaseSource['resolve']> {
  try {
    return await source.resolve(platform);
  } catch (e) {
    if (chosen === null || !(e instanceof GokilnError) || !['E_NETWORK', 'E_REGISTRY', 'E_AUTH', 'E_NOT_FOUND'].includes(e.code)) throw e;
    throw new GokilnError(
      e.code,
      `${chosen}, the base of --paradigm alpine: ${e.message}; name a reachable Alpine image with --base REF (or oci:DIR, docker-archive:FILE)`,
      e.details,
    );
  }
}

/** SOURCE_DATE_EPOCH, else the commit time Go stamped (vcs.time), else 0. */
function chooseTime(env: NodeJS.ProcessEnv, facts: InspectOk[]): { epoch: number; source: BuildResult['timeSource'] } {
  const sde = sourceDateEpoch(env);
  if (sde !== null) return { epoch: sde, source: 'SOURCE_DATE_EPOCH' };
  const vcs = facts.map((f) => f.go?.settings['vcs.time']).find((t) => t);
  if (vcs && !Number.isNaN(Date.parse(vcs))) return { epoch: Math.floor(Date.parse(vcs) / 1000), source: 'vcs.time' };
  return { epoch: 0, source: 'zero' };
}

/**
 * nonroot's home on the bases gokiln makes (they hold it, 0700 65532); on another base its own WorkingDir, else
 * `/`: a base without /home/nonroot would start the program in a directory that is not there (bubblewrap, and
 * so `gokiln verify --run`, refuses to start at all: "Can't chdir to /home/nonroot").
 */
function workingDir(baseRef: string, debianBase: boolean, base: BaseImage): string {
  if (baseRef === 'embedded' || debianBase) return '/home/nonroot';
  return base.config.config?.WorkingDir || '/';
}

const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');

export async function buildImage(opts: BuildOptions): Promise<BuildResult> {
  const dir = resolve(opts.dir);
  const env = opts.env ?? process.env;
  const go = opts.go ?? 'go';
  const style: MediaStyle = opts.mediaTypes ?? 'oci';
  const platforms = opts.platforms ?? [hostPlatform()];
  const force = opts.force ?? false;
  const layerCache = opts.cache === false ? null : new LayerCache(gokilnCacheDir('layers', env));
  const binCache = opts.cache === false ? null : gokilnCacheDir('binaries', env);
  sourceDateEpoch(env);
  if (opts.output.kind === 'oci') checkTarget(resolve(opts.output.dir), force);
  if (opts.output.kind === 'archive') checkTarget(resolve(opts.output.file), force);

  const plan = buildPlan(scanProject(dir, { go }));
  const debian = debianBuildMode(opts, plan, platforms);
  const mains = plan.binaries;
  const entry = opts.entrypoint
    ? mains.find((m) => m.binary === opts.entrypoint)
    : mains.length === 1
      ? mains[0]
      : mains.find((m) => m.dir === '.');
  if (!entry) {
    throw new GokilnError(
      'E_USAGE',
      opts.entrypoint
        ? `--entrypoint ${opts.entrypoint}: no main package builds a binary of that name (there are: ${mains.map((m) => m.binary).join(', ')})`
        : `${dir} has ${mains.length} main packages (${mains.map((m) => m.binary).join(', ')}): name the entrypoint with --entrypoint NAME`,
    );
  }
  // the name the image goes by: --tag, else the push reference, else the module's last path element
  const tagRef =
    opts.tag ??
    (opts.output.kind === 'push'
      ? opts.output.ref.replace(/@.*$/, '')
      : `${basename(plan.module ?? dir)
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '-')}:latest`);
  checkTagName(tagRef);
  const { repository, tag } = splitTag(tagRef);

  // the staging store sits beside an OCI layout target (one rename publishes it), else in the temp dir
  const stagingParent = opts.output.kind === 'oci' ? dirname(resolve(opts.output.dir)) : tmpdir();
  const staging = await mkdtemp(join(stagingParent, '.gokiln-build-'));
  const work = await mkdtemp(join(tmpdir(), 'gokiln-build-bin-'));
  try {
    const store = new BlobStore(staging);
    const baseRef = baseReference(opts, plan);
    // a registry reference, oci:DIR[:TAG] or docker-archive:FILE, read by verify's image sources
    const registryBase = baseRef === 'embedded' ? null : imageSource(baseRef, { insecure: opts.insecureRegistries ?? [], env });
    // 1. compile everything first: a compile error stops the build before any layer is written
    const compiled: Array<{
      platform: Platform;
      bins: Array<{ name: string; pkg: string; file: string; command: string; facts: InspectOk }>;
    }> = [];
    for (const platform of platforms) {
      const bins = [];
      for (const m of mains) {
        const file = join(work, formatPlatform(platform).replaceAll('/', '-'), m.binary);
        const place = binaryPlace(binCache, { dir, pkg: m.dir, platform, cgo: debian.cgo }, file);
        const request = { dir, pkg: m.dir, platform, cgo: debian.cgo, out: place.out, go, env };
        let command: string;
        try {
          ({ command } = await goBuild(request).catch(async (e: unknown) => {
            // the go command overwrites only its own outputs: a damaged cached file is removed, and linked again
            if (place.out === file || !(e instanceof GokilnError) || !/not an object file/.test(e.message)) throw e;
            await rm(place.out, { force: true });
            return goBuild(request);
          }));
          place.settle();
        } finally {
          // a failed build frees the cached directory too
          place.release();
        }
        const facts = inspectFile(file, { runtimes: ['distroless/static-debian12'] });
        if ('error' in facts) throw new GokilnError(facts.error.code, facts.error.message, { file });
        if (facts.arch !== platform.architecture)
          throw new GokilnError('E_PLATFORM', `${m.binary}: go build for ${formatPlatform(platform)} gave a ${facts.arch} binary`);
        const verdict = facts.runtimes[0];
        // a static binary on the embedded base is judged by inspect's knowledge of it; a cgo binary's base is the
        // Debian one resolved from its own needs (debian-base.ts), or is checked in the image itself below
        if (!debian.cgo && baseRef === 'embedded' && verdict && verdict.verdict === 'fails')
          throw new GokilnError(
            'E_BUILD',
            `${m.binary} for ${formatPlatform(platform)} would not run on the embedded base: ${verdict.message ?? verdict.reason}`,
          );
        bins.push({ name: m.binary, pkg: m.importPath, file, command, facts });
      }
      compiled.push({ platform, bins });
    }
    const time = chooseTime(
      env,
      compiled.flatMap((c) => c.bins.map((b) => b.facts)),
    );
    const created = iso(time.epoch);
    const t = mediaTypes(style);

    // 2. layers, config and manifest per platform
    const built: BuiltPlatform[] = [];
    const report: BuildResult['platforms'] = [];
    let base: BaseImage | null = null;
    let debianReport: DebianBaseReport | undefined;
    const notes = [...debian.notes];
    const baseBlobs = new Set<string>();
    for (const { platform, bins } of compiled) {
      if (debian.debianBase) {
        const d = await debianBase(
          bins.map((b) => ({ file: b.file, imagePath: `${APP_DIR}/${b.name}` })),
          store,
          platform,
          style,
          { ...debian.options, mtime: time.epoch },
        );
        base = d.base;
        debianReport ??= d.report;
      } else {
        base =
          baseRef === 'embedded'
            ? await embeddedBase(store, platform, style)
            : await baseFromImage(await resolveBase(registryBase!, platform, opts.base === undefined ? baseRef : null), store, style);
      }
      const appEntries = [
        { path: APP_DIR, type: 'dir' as const, mode: 0o755, uid: 0, gid: 0 },
        ...bins.map((b) => ({
          path: `${APP_DIR}/${b.name}`,
          type: 'file' as const,
          mode: 0o755,
          uid: 0,
          gid: 0,
          size: statSync(b.file).size,
          open: () => createReadStream(b.file),
        })),
      ];
      // level 1: a 9.1 MB Go binary (hello-service) took 1.79 s at 9, 0.65 s at 6, 0.31 s at 1 for 4% more bytes
      // (5.27 MB vs 5.06); the image stays smaller than ko's (bench/build: 0.98), which wants no slower than ko
      const layerOpts: LayerOptions = { mtime: time.epoch, mediaType: t.layerGzip, addParents: false, level: APP_LAYER_GZIP_LEVEL };
      const writeApp = () => writeLayer(appEntries, store, layerOpts);
      const app = layerCache
        ? await layerCache.layer(appEntries, layerOpts, store, writeApp)
        : { ...(await writeApp()), origin: 'compressed' as const };
      for (const l of base.layers) baseBlobs.add(l.descriptor.digest);
      const layers = [...base.layers, app];
      const config: ImageConfig = {
        created,
        architecture: platform.architecture,
        ...(platform.variant ? { variant: platform.variant } : {}),
        os: platform.os,
        config: {
          User: '65532:65532',
          Env: base.config.config?.Env ?? [],
          Entrypoint: [`${APP_DIR}/${entry.binary}`],
          WorkingDir: workingDir(baseRef, debian.debianBase, base),
        },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: [
          ...(base.config.history ?? []),
          { created, created_by: bins.map((b) => b.command).join(' && '), comment: 'gokiln build' },
        ],
      };
      const cfg = configDocument(style, config);
      await store.putBytes(cfg.bytes);
      const revision = bins[0]?.facts.go?.settings['vcs.revision'];
      const annotations: Record<string, string> = {
        'org.opencontainers.image.created': created,
        'org.opencontainers.image.base.name': debian.debianBase
          ? base.name.replace(/ .*/, '')
          : baseRef === 'embedded'
            ? `gokiln/embedded-base:${base.date}`
            : baseRef,
        'org.opencontainers.image.base.digest': base.digest,
        ...(opts.source ? { 'org.opencontainers.image.source': opts.source } : {}),
        ...(revision ? { 'org.opencontainers.image.revision': revision } : {}),
      };
      const man = manifestDocument(
        style,
        cfg.descriptor,
        layers.map((l) => l.descriptor),
        annotations,
      );
      await store.putBytes(man.bytes);
      // a dynamic binary, or any binary on a base gokiln did not make, is judged in the image it will run in
      if (!debian.debianBase && (baseRef !== 'embedded' || bins.some((b) => b.facts.interpreter))) {
        const img = stagedImage(store, `${baseRef === 'embedded' ? 'the embedded base' : baseRef} + ${APP_DIR}`, man, cfg);
        notes.push(
          ...(await checkBuiltImage(
            opts.checkImage,
            img,
            bins.map((b) => ({ path: `${APP_DIR}/${b.name}`, libc: b.facts.libc })),
            baseRef === 'embedded' ? 'the embedded base' : baseRef,
            platform,
          )),
        );
      }
      built.push({ platform, manifest: { ...man.descriptor, platform }, config: cfg.descriptor, layers: layers.map((l) => l.descriptor) });
      report.push({
        platform: formatPlatform(platform),
        manifest: man.descriptor.digest,
        config: cfg.descriptor.digest,
        baseDigest: base.digest,
        layers: layers.map((l) => ({ digest: l.descriptor.digest, size: l.descriptor.size, diffId: l.diffId })),
        appLayer: app.origin,
        binaries: bins.map((b) => ({
          name: b.name,
          package: b.pkg,
          path: `${APP_DIR}/${b.name}`,
          size: statSync(b.file).size,
          goVersion: b.facts.go?.version ?? null,
        })),
      });
    }
    let top: Descriptor = built[0]!.manifest;
    if (built.length > 1) {
      const idx = indexDocument(
        style,
        built.map((b) => ({ descriptor: b.manifest, platform: b.platform })),
        { 'org.opencontainers.image.created': created },
      );
      await store.putBytes(idx.bytes);
      top = idx.descriptor;
    }
    const { platform: _p, ...topPlain } = top;
    const image: BuiltImage = { store, style, top: topPlain, platforms: built, repository, tag, extras: [] };
    const sbom =
      opts.sbom === 'none'
        ? null
        : await addSbom(
            image,
            compiled.flatMap((c) => c.bins.map((b) => ({ platform: c.platform, name: b.name, facts: b.facts }))),
            created,
            opts.sbom ?? 'spdx',
          );

    // 3. publish
    let outPath: string;
    let blobs: BuildResult['output']['blobs'];
    if (opts.output.kind === 'oci') {
      await finishLayout(image);
      outPath = resolve(opts.output.dir);
      await moveIntoPlace(staging, outPath, force);
    } else if (opts.output.kind === 'archive') {
      outPath = resolve(opts.output.file);
      await writeDockerArchive(image, outPath, { force, mtime: time.epoch });
    } else {
      // a registry base's blobs are mounted from its repository when the push goes to the same registry
      const insecure = opts.insecureRegistries ?? [];
      const fromRef =
        registryBase && parseImageArgument(baseRef).kind === 'registry' ? registryRef(parseImageArgument(baseRef).path, insecure) : null;
      const mountFrom = fromRef ? { host: fromRef.host, repository: fromRef.repository, digests: [...baseBlobs] } : undefined;
      const pushed = await pushImage(image, opts.output.ref, {
        insecure,
        env,
        ...(mountFrom ? { mountFrom } : {}),
        ...(opts.cache === false ? {} : { memoryDir: gokilnCacheDir('pushed', env) }),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      outPath = `${pushed.ref}@${pushed.digest}`;
      blobs = { sent: pushed.blobsSent, present: pushed.blobsPresent, mounted: pushed.blobsMounted };
    }
    const b = base!;
    return {
      schema: 'gokiln/build@1',
      dir,
      image: `${repository}:${tag}`,
      mediaType: top.mediaType,
      digest: top.digest,
      created,
      timeSource: time.source,
      base: { name: b.name, date: b.date, description: b.description },
      entrypoint: [`${APP_DIR}/${entry.binary}`],
      platforms: report,
      sbom,
      ...(debianReport ? { debian: debianReport } : {}),
      ...(notes.length ? { notes } : {}),
      output: { kind: opts.output.kind, path: outPath, ...(blobs ? { blobs } : {}) },
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}
