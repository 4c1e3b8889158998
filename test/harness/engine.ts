/**
 * A real OCI engine for tests: Debian's buildah builds Dockerfiles, podman runs the images, runc is the
 * runtime. Generic on purpose — any test may load an image (a docker-archive or an OCI layout), build a
 * Dockerfile, run an image as a user and read its exit code, stdout and stderr:
 *
 *   if (!haveEngine(t)) return;                    // skips outside CI when buildah/podman/runc are missing; fails in CI
 *   const e = await Engine.start();                // storage of its own under a temp dir
 *   try {
 *     await e.load(await ensureBaseImage('debian:trixie-slim'));
 *     const b = await e.build({ context: dir, tag: 'app' });
 *     const r = await e.run('app', { user: '65532:65532', args: ['-version'] });
 *   } finally { await e.close(); }              // removes the storage, the caches and every container
 *
 * What works on this machine (Debian 12 host, root, hybrid cgroups v1+v2, no Docker daemon, no registry),
 * found by hand on 2026-12-07 with buildah 1.28.2, podman 4.3.1, runc 1.1.5:
 * - `--storage-driver vfs` (no overlay inside this container host); `--root`/`--runroot` in the test's own
 *   directory so no test sees another's images, and TMPDIR there too: buildah keeps its
 *   `RUN --mount=type=cache` directories under $TMPDIR/buildah-cache, podman load stages layers there.
 * - `--runtime runc`: crun refuses this host's hybrid cgroups.
 * - `--ulimit nofile=1024:1024 --ulimit nproc=1024:1024` on every build and run: without them runc fails with
 *   "error setting rlimit type 7: operation not permitted" (the engine asks for limits above this host's).
 * - `--pull=never` (`--pull never`): nothing is pulled; base images are made locally (test/fixtures/base-images.ts)
 *   and loaded under the names the Dockerfiles use. Short names resolve to the loaded docker.io/library/… images.
 * - podman: `--network none` for runs; `--cgroup-manager cgroupfs` (no systemd needed), `--events-backend none`
 *   and `--tmpdir` in the test's directory, so nothing is written to /run/libpod.
 * - buildah: the default build isolation (oci, through runc) works; its RUN steps reach the network on the
 *   host's (Debian mirrors, the Go module proxy); `network: 'none'` gives `--network none` to every RUN step.
 *   `--platform linux/amd64` always: buildah 1.28 sets the automatic TARGETOS/TARGETARCH args only then
 *   (without it: 'missing "TARGETOS" build argument' and an empty GOOS), as docker build always does.
 * - Build caches: `RUN --mount=type=cache` directories may live in a persistent directory
 *   (`Engine.start({ buildCache })`, linked in as $TMPDIR/buildah-cache, where buildah 1.28 keeps them as root): Go's module and build caches
 *   are content-addressed and safe to share, and a cold Go build cache costs minutes (the standard library
 *   is compiled for each CGO_ENABLED setting; SQLite's amalgamation once).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { failInCiIfMissing, missingTools } from '../truth/tools.js';
import { podmanStorage, shortRunRoot, ULIMITS } from './podman-root.js';

/** skopeo only copies OCI layouts in (loadOci). */
export const ENGINE_TOOLS = ['buildah', 'podman', 'runc', 'skopeo'] as const;

/** The limits every build and run is given (see the header). */
export { ULIMITS };

/**
 * Whether the engine is installed. When it is not: under CI=true this throws (a missing tool fails the
 * test), elsewhere it marks the test skipped and returns false.
 */
export function haveEngine(t: TestContext): boolean {
  const missing = missingTools([...ENGINE_TOOLS]);
  if (!missing.length) return true;
  failInCiIfMissing(`${missing.join(', ')} (the OCI engine)`);
  t.skip(`${missing.join(', ')} not installed: no engine run`);
  return false;
}

export interface ExecResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** killed at timeoutMs */
  timedOut: boolean;
}

/** Runs a command; never rejects for a non-zero exit (the caller asserts on it). */
export function exec(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ExecResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(
      () => {
        timedOut = true;
        p.kill('SIGKILL');
      },
      opts.timeoutMs ?? 15 * 60_000,
    );
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

export interface BuildOptions {
  /** the build context (its .dockerignore is applied by buildah) */
  context: string;
  /** the Dockerfile; `<context>/Dockerfile` by default */
  file?: string;
  tag: string;
  /** `--target STAGE` */
  target?: string;
  /** `linux/amd64` by default */
  platform?: string;
  /** `--layers`: keep each step's result and reuse it in later builds of the same steps (one storage only) */
  layers?: boolean;
  buildArgs?: Record<string, string>;
  /** `none`: no RUN step reaches the network (`--network none`); the host's network otherwise */
  network?: 'none' | 'host';
  timeoutMs?: number;
}

export interface RunOptions {
  /** `--user`; the image's USER otherwise */
  user?: string;
  args?: string[];
  /** `--entrypoint` (a JSON array or a path) */
  entrypoint?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The parts of an image's config the tests read (`podman image inspect`). */
export interface ImageConfig {
  User: string;
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  WorkingDir: string;
  Env: string[];
}

export class Engine {
  private constructor(readonly dir: string) {}

  /**
   * A fresh engine storage in a temp directory of its own; `buildCache`, a directory kept between runs
   * for buildah's cache mounts (see the header), is only linked, never removed.
   */
  static async start(opts: { buildCache?: string } = {}): Promise<Engine> {
    const dir = await mkdtemp(join(tmpdir(), 'gokiln-engine-'));
    for (const d of ['root', 'run', 'tmp', 'libpod']) await mkdir(join(dir, d));
    if (opts.buildCache) {
      await mkdir(opts.buildCache, { recursive: true });
      // buildah 1.28 as root uses $TMPDIR/buildah-cache; rootless (and newer) ones buildah-cache-<uid>
      for (const name of ['buildah-cache', `buildah-cache-${process.getuid?.() ?? 0}`])
        await symlink(opts.buildCache, join(dir, 'tmp', name));
    }
    return new Engine(dir);
  }

  private get storage(): string[] {
    return podmanStorage(this.dir);
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, TMPDIR: join(this.dir, 'tmp'), LC_ALL: 'C' };
  }

  buildah(args: readonly string[], timeoutMs?: number): Promise<ExecResult> {
    return exec('buildah', [...this.storage, ...args], { env: this.env, timeoutMs });
  }

  podman(args: readonly string[], timeoutMs?: number): Promise<ExecResult> {
    const global = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none', '--tmpdir', join(this.dir, 'libpod')];
    return exec('podman', [...this.storage, ...global, ...args], { env: this.env, timeoutMs });
  }

  /** Loads a docker-archive (its tags come with it); throws with podman's stderr when it fails. */
  async load(archive: string): Promise<void> {
    const r = await this.podman(['load', '-q', '-i', archive]);
    if (r.exitCode !== 0) throw new Error(`podman load ${archive}: ${r.stderr}`);
  }

  /**
   * Copies an OCI layout (`DIR`, or `DIR:ref` for one of several images in it) into the storage as `tag`,
   * with skopeo: buildah 1.28 and podman 4.3 name an image pulled from `oci:` after its directory path,
   * which fails for any path with a capital letter (mkdtemp's are).
   */
  async loadOci(layout: string, tag: string): Promise<void> {
    const dest = `containers-storage:[vfs@${join(this.dir, 'root')}+${shortRunRoot(join(this.dir, 'root'))}]${tag}`;
    const r = await exec('skopeo', ['copy', '-q', `oci:${layout}`, dest], { env: this.env });
    if (r.exitCode !== 0) throw new Error(`skopeo copy oci:${layout}: ${r.stderr}`);
  }

  /** `buildah bud` with the flags of the header; nothing pulled. */
  build(o: BuildOptions): Promise<ExecResult> {
    const args = [
      'bud',
      '--runtime',
      'runc',
      '--pull=never',
      ...ULIMITS,
      '--platform',
      o.platform ?? 'linux/amd64',
      '--network',
      o.network ?? 'host',
      '-t',
      o.tag,
    ];
    if (o.layers) args.push('--layers');
    if (o.file) args.push('-f', o.file);
    if (o.target) args.push('--target', o.target);
    for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    args.push(o.context);
    return this.buildah(args, o.timeoutMs);
  }

  /** `podman run --rm --network none` of an image; the container is gone when this resolves. */
  run(image: string, o: RunOptions = {}): Promise<ExecResult> {
    const args = ['run', '--rm', '--pull=never', '--network', 'none', ...ULIMITS];
    if (o.user) args.push('--user', o.user);
    if (o.entrypoint !== undefined) args.push('--entrypoint', o.entrypoint);
    for (const [k, v] of Object.entries(o.env ?? {})) args.push('--env', `${k}=${v}`);
    args.push(image, ...(o.args ?? []));
    return this.podman(args, o.timeoutMs);
  }

  /**
   * Starts a server image detached (no network but its own loopback), runs `probe` with the PID of the
   * container's first process (enter its network namespace with `nsenter --net=/proc/PID/ns/net`), then
   * removes the container. `running` says whether it was still up after the probe.
   */
  async serve<T>(image: string, o: RunOptions, probe: (pid: number) => Promise<T>): Promise<{ probed: T; running: boolean; logs: string }> {
    const args = ['run', '-d', '--pull=never', '--network', 'none', ...ULIMITS];
    if (o.user) args.push('--user', o.user);
    args.push(image, ...(o.args ?? []));
    const r = await this.podman(args);
    if (r.exitCode !== 0) throw new Error(`podman run -d ${image}: ${r.stderr}`);
    const id = r.stdout.trim();
    try {
      const pid = Number((await this.podman(['inspect', '-f', '{{.State.Pid}}', id])).stdout.trim());
      const probed = await probe(pid);
      const state = (await this.podman(['inspect', '-f', '{{.State.Running}}', id])).stdout.trim();
      const logs = await this.podman(['logs', id]);
      return { probed, running: state === 'true', logs: logs.stdout + logs.stderr };
    } finally {
      await this.podman(['rm', '-f', '-t', '0', id]);
    }
  }

  async imageConfig(image: string): Promise<ImageConfig> {
    const r = await this.podman(['image', 'inspect', '--format', '{{json .Config}}', image]);
    if (r.exitCode !== 0) throw new Error(`podman image inspect ${image}: ${r.stderr}`);
    const c = JSON.parse(r.stdout) as Partial<ImageConfig>;
    return { User: c.User ?? '', Entrypoint: c.Entrypoint ?? null, Cmd: c.Cmd ?? null, WorkingDir: c.WorkingDir ?? '', Env: c.Env ?? [] };
  }

  /** Removes every container and the whole storage directory. */
  async close(): Promise<void> {
    await this.podman(['rm', '-a', '-f', '-t', '0']);
    await this.buildah(['rm', '--all']);
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
