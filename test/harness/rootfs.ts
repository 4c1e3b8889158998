/**
 * Root file systems that stand in for container images (scratch, Alpine, Debian, distroless), built
 * from host and Debian packages into the fixture cache, and a bubblewrap runner that executes a
 * binary inside one with no network. A real run here is the ground truth gokiln's verdicts are
 * tested against.
 *
 *   await ensureRootfs('glibc-bullseye')           // build (cached) — build.ts does this for all
 *   const root = rootfs('glibc-bullseye')          // path, once built
 *   const r = runInRootfs(root, fixture('cgo-glibc'), ['ok'])
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, lstat, stat, mkdir, mkdtemp, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fixture } from '../fixtures/index.js';
import { fixtureDir } from '../fixtures/paths.js';
import { MissingToolError, run, sha256, which } from '../fixtures/tools.js';

export type RootfsName =
  'scratch' | 'musl' | 'alpine-like' | 'glibc-bookworm' | 'glibc-bullseye' | 'distroless-static-like' | 'distroless-base-like';

/** One ingredient of a root file system. */
export type Part =
  /** the files a host Debian package installed (`dpkg -L`), minus docs */
  | { hostPackage: string; skip?: string[] }
  /** a package downloaded from deb.debian.org for another suite, unpacked with dpkg-deb */
  | { debianPackage: string; suite: string; version: string; skip?: string[] }
  /** a host file or directory tree copied to the same path */
  | { hostPath: string; package: string }
  | { file: string; text: string; mode?: number }
  | { dir: string; mode: number; owner?: number }
  | { symlink: string; target: string };

export interface RootfsRecipe {
  description: string;
  parts: Part[];
}

const DOCS = ['/usr/share/doc', '/usr/share/lintian', '/usr/share/man', '/usr/share/locale', '/usr/share/bug'];

const DEBIAN_PASSWD = 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';
const DEBIAN_GROUP = 'root:x:0:\ntty:x:5:\nstaff:x:50:\nnogroup:x:65534:\n';
const NSSWITCH = 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n';
const ALPINE_PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n';
const ALPINE_GROUP = 'root:x:0:root\ntty:x:5:\nnobody:x:65534:\n';
const HOSTS = '127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost ip6-localhost ip6-loopback\n';
// GoogleContainerTools/distroless base/static: root (nologin), nobody 65534, nonroot 65532
const DISTROLESS_PASSWD =
  'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
const DISTROLESS_GROUP = 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n';

const debianEtc: Part[] = [
  { file: '/etc/passwd', text: DEBIAN_PASSWD },
  { file: '/etc/group', text: DEBIAN_GROUP },
  { file: '/etc/nsswitch.conf', text: NSSWITCH },
];
const musl: Part[] = [
  // Debian's musl puts the library at /lib/x86_64-linux-musl/libc.so and links the loader name to it
  { hostPackage: 'musl', skip: ['/usr/bin', '/etc'] },
  { symlink: '/lib/libc.musl-x86_64.so.1', target: 'ld-musl-x86_64.so.1' },
  { file: '/etc/passwd', text: ALPINE_PASSWD },
  { file: '/etc/group', text: ALPINE_GROUP },
];
const certsAndZones: Part[] = [
  { hostPath: '/etc/ssl/certs/ca-certificates.crt', package: 'ca-certificates' },
  { hostPath: '/usr/share/zoneinfo', package: 'tzdata' },
];
const distrolessStatic: Part[] = [
  ...certsAndZones,
  { hostPath: '/etc/services', package: 'netbase' },
  { hostPath: '/etc/protocols', package: 'netbase' },
  { file: '/etc/passwd', text: DISTROLESS_PASSWD },
  { file: '/etc/group', text: DISTROLESS_GROUP },
  { file: '/etc/nsswitch.conf', text: NSSWITCH },
  { file: '/etc/os-release', text: 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\n' },
  { dir: '/home/nonroot', mode: 0o700, owner: 65532 },
  { dir: '/root', mode: 0o700 },
];
const libc6Bookworm: Part = { hostPackage: 'libc6', skip: DOCS };

export const ROOTFS: Record<RootfsName, RootfsRecipe> = {
  scratch: { description: 'FROM scratch: nothing but mount points for /dev, /proc, /tmp and /app', parts: [] },
  musl: {
    description: 'Alpine-like minimum: the musl loader/libc (Debian musl 1.2.3), /etc/passwd and /etc/group; no certs, no zoneinfo',
    parts: musl,
  },
  'alpine-like': {
    description: 'musl + /etc/hosts + CA bundle + zoneinfo from the host (like alpine with ca-certificates and tzdata)',
    parts: [...musl, { file: '/etc/hosts', text: HOSTS }, ...certsAndZones],
  },
  'glibc-bookworm': {
    description: 'libc6 2.36 files from the host (Debian 12) + passwd/group/nsswitch',
    parts: [libc6Bookworm, ...debianEtc],
  },
  'glibc-bullseye': {
    description: 'libc6 2.31 from Debian 11 (deb.debian.org, pinned) + passwd/group/nsswitch',
    parts: [{ debianPackage: 'libc6', suite: 'bullseye', version: '2.31-13+deb11u11', skip: DOCS }, ...debianEtc],
  },
  'distroless-static-like': {
    description: 'gcr.io/distroless/static-debian12 contents: certs, tzdata, netbase files, passwd with nonroot 65532; no shell, no libc',
    parts: distrolessStatic,
  },
  'distroless-base-like': {
    description: 'distroless-static-like + libc6 2.36 (like base-nossl-debian12)',
    parts: [...distrolessStatic, libc6Bookworm],
  },
};

export const ROOTFS_NAMES = Object.keys(ROOTFS) as RootfsName[];

/** Bumped when the assembly logic changes; part of every hash. */
const ROOTFS_BUILDER_VERSION = 1;

export function rootfsCacheDir(): string {
  return join(fixtureDir(), 'rootfs');
}

/** `Package Version` lines of installed host packages; a MissingToolError naming those not installed. */
export async function hostPackageVersions(names: string[]): Promise<string> {
  if (names.length === 0) return '';
  // one query per package, so a missing one is named (dpkg-query -W fails for all on the first unknown)
  const out: string[] = [];
  const missing: string[] = [];
  for (const n of names) {
    const status = await run('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}|${Package} ${Version}\n', n]).catch(() => '');
    if (!status.startsWith('ii')) missing.push(n);
    else out.push(status.slice(status.indexOf('|') + 1));
  }
  if (missing.length)
    throw new MissingToolError(
      `the root file systems are built from installed Debian packages; not installed: ${missing.join(' ')} (install with: apt-get install ${missing.join(' ')}, or run .ci/run as root)`,
    );
  return out.join('');
}

function packagesOf(recipe: RootfsRecipe): string[] {
  const names = new Set<string>();
  for (const p of recipe.parts) {
    if ('hostPackage' in p) names.add(p.hostPackage);
    if ('hostPath' in p) names.add(p.package);
  }
  return [...names].sort();
}

/** The tools assembling `name` needs; in CI a missing one is an error, elsewhere a skip. */
export function rootfsTools(name: RootfsName): string[] {
  const parts = ROOTFS[name].parts;
  const tools = new Set<string>();
  if (parts.some((p) => 'hostPackage' in p || 'hostPath' in p)) tools.add('dpkg-query');
  if (parts.some((p) => 'debianPackage' in p)) ['apt-get', 'dpkg-deb'].forEach((t) => tools.add(t));
  return [...tools];
}

async function hashOf(name: RootfsName): Promise<string> {
  const recipe = ROOTFS[name];
  return sha256(`rootfs ${ROOTFS_BUILDER_VERSION}`, name, JSON.stringify(recipe), await hostPackageVersions(packagesOf(recipe))).slice(
    0,
    16,
  );
}

function within(root: string, p: string): string {
  return join(root, p.replace(/^\/+/, ''));
}

function skipped(path: string, skip: string[] | undefined): boolean {
  return (skip ?? []).some((s) => path === s || path.startsWith(s + '/'));
}

/** Copies one path from `from` (a host root or an unpacked .deb) into the rootfs: files, symlinks, not dirs. */
async function copyEntry(fromRoot: string, path: string, root: string): Promise<void> {
  const src = within(fromRoot, path);
  const st = await lstat(src);
  const dst = within(root, path);
  // a merged-/usr host has /lib -> usr/lib: a directory the package lists becomes a real directory here
  const linkToDir = st.isSymbolicLink() && fromRoot === '/' && (await stat(src).catch(() => null))?.isDirectory() === true;
  if (st.isDirectory() || linkToDir) {
    await mkdir(dst, { recursive: true });
    return;
  }
  await mkdir(dirname(dst), { recursive: true });
  await rm(dst, { force: true });
  if (st.isSymbolicLink()) await symlink(await readlink(src), dst);
  else await cp(src, dst, { preserveTimestamps: true });
}

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = `${prefix}/${e.name}`;
    out.push(rel);
    if (e.isDirectory()) out.push(...(await listTree(join(dir, e.name), rel)));
  }
  return out;
}

/** apt-get with a private state dir: `apt-get update` + `apt-get download` for one suite, no host config. */
async function downloadDeb(pkg: string, version: string, suite: string, into: string): Promise<string> {
  const w = await mkdtemp(join(tmpdir(), 'gokiln-apt-'));
  try {
    for (const d of ['state/lists/partial', 'cache/archives/partial', 'etc/sources.list.d', 'etc/preferences.d', 'etc/apt.conf.d']) {
      await mkdir(join(w, d), { recursive: true });
    }
    await writeFile(join(w, 'status'), '');
    await writeFile(
      join(w, 'etc/sources.list'),
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian ${suite} main\n`,
    );
    const o = [
      `Dir::State=${w}/state`,
      `Dir::State::status=${w}/status`,
      `Dir::Cache=${w}/cache`,
      `Dir::Etc::SourceList=${w}/etc/sources.list`,
      `Dir::Etc::SourceParts=${w}/etc/sources.list.d`,
      `Dir::Etc::Preferences=${w}/etc/preferences`,
      `Dir::Etc::PreferencesParts=${w}/etc/preferences.d`,
      `Dir::Etc::Parts=${w}/etc/apt.conf.d`,
      'Acquire::Languages=none',
      'APT::Architecture=amd64',
      'APT::Architectures=amd64',
      'APT::Sandbox::User=root',
    ].flatMap((x) => ['-o', x]);
    await run('apt-get', [...o, '-qq', 'update'], { timeoutMs: 5 * 60_000 });
    await run('apt-get', [...o, '-qq', 'download', `${pkg}=${version}`], { cwd: into, timeoutMs: 5 * 60_000 });
    const deb = (await readdir(into)).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg}=${version} (${suite}) produced no .deb`);
    return join(into, deb);
  } finally {
    await rm(w, { recursive: true, force: true });
  }
}

async function applyPart(part: Part, root: string, scratch: string): Promise<void> {
  if ('hostPackage' in part) {
    const list = (await run('dpkg', ['-L', part.hostPackage])).split('\n').filter((p) => p.startsWith('/') && p !== '/.');
    for (const p of list) if (!skipped(p, part.skip)) await copyEntry('/', p, root);
  } else if ('debianPackage' in part) {
    const dl = join(scratch, 'deb');
    await mkdir(dl, { recursive: true });
    const deb = await downloadDeb(part.debianPackage, part.version, part.suite, dl);
    const unpacked = join(scratch, 'unpacked');
    await run('dpkg-deb', ['-x', deb, unpacked]);
    for (const p of await listTree(unpacked)) if (!skipped(p, part.skip)) await copyEntry(unpacked, p, root);
  } else if ('hostPath' in part) {
    const dst = within(root, part.hostPath);
    await mkdir(dirname(dst), { recursive: true });
    await cp(part.hostPath, dst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  } else if ('file' in part) {
    const dst = within(root, part.file);
    await mkdir(dirname(dst), { recursive: true });
    await writeFile(dst, part.text);
    await chmod(dst, part.mode ?? 0o644);
  } else if ('dir' in part) {
    const dst = within(root, part.dir);
    await mkdir(dst, { recursive: true });
    await chmod(dst, part.mode);
    // only root can give a directory away; as another user the tree keeps the builder's uid
    if (part.owner !== undefined && process.getuid?.() === 0) await chown(dst, part.owner, part.owner);
  } else {
    const dst = within(root, part.symlink);
    await mkdir(dirname(dst), { recursive: true });
    await rm(dst, { force: true });
    await symlink(part.target, dst);
  }
}

/**
 * Mount points bwrap needs: the root is bound read-only, so /dev, /proc, /tmp and the /app file the
 * binary is bound onto must already exist (an image has them as runtime mounts, not as content).
 */
async function addMountPoints(root: string): Promise<void> {
  for (const d of ['dev', 'proc', 'tmp']) await mkdir(join(root, d), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
  await writeFile(join(root, 'app'), '');
}

const building = new Map<RootfsName, Promise<string>>();

/** Builds (once, cached by content hash) and returns the directory of a root file system. */
export function ensureRootfs(name: RootfsName): Promise<string> {
  let p = building.get(name);
  if (!p) {
    p = build(name);
    building.set(name, p);
  }
  return p;
}

async function build(name: RootfsName): Promise<string> {
  if (!ROOTFS[name]) throw new Error(`unknown rootfs "${name}"; known: ${ROOTFS_NAMES.join(', ')}`);
  for (const t of rootfsTools(name)) if (!which(t)) throw new MissingToolError(`rootfs ${name} needs ${t}, not found on PATH`);
  const hash = await hashOf(name);
  const dir = join(rootfsCacheDir(), `${name}-${hash}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) {
    await writeIndex(name, dir);
    return join(dir, 'root');
  }
  const tmp = join(rootfsCacheDir(), `.tmp-${name}-${hash}-${process.pid}`);
  const scratch = await mkdtemp(join(tmpdir(), `gokiln-rootfs-${name}-`));
  await rm(tmp, { recursive: true, force: true });
  try {
    const root = join(tmp, 'root');
    await mkdir(root, { recursive: true });
    for (const part of ROOTFS[name].parts) await applyPart(part, root, scratch);
    await addMountPoints(root);
    await writeFile(join(tmp, '.complete'), JSON.stringify({ name, hash }) + '\n');
    try {
      await rename(tmp, dir);
    } catch (e) {
      if (!existsSync(done)) throw e; // someone else built the same rootfs first
      await rm(tmp, { recursive: true, force: true });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  }
  await writeIndex(name, dir);
  return join(dir, 'root');
}

function indexPath(): string {
  return join(rootfsCacheDir(), 'index.json');
}

let indexWrite: Promise<void> = Promise.resolve();
/** rootfs(name) finds built trees through index.json: name → directory. */
function writeIndex(name: RootfsName, dir: string): Promise<void> {
  indexWrite = indexWrite.then(async () => {
    const idx: Record<string, string> = existsSync(indexPath())
      ? (JSON.parse(readFileSync(indexPath(), 'utf8')) as Record<string, string>)
      : {};
    idx[name] = join(dir, 'root');
    const tmp = `${indexPath()}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(idx, null, 2) + '\n');
    await rename(tmp, indexPath());
  });
  return indexWrite;
}

/** The directory of a built root file system; throws with "run `npm run fixtures`" when absent. */
export function rootfs(name: RootfsName): string {
  if (!ROOTFS[name]) throw new Error(`unknown rootfs "${name}"; known: ${ROOTFS_NAMES.join(', ')}`);
  const idx = existsSync(indexPath()) ? (JSON.parse(readFileSync(indexPath(), 'utf8')) as Record<string, string>) : {};
  const dir = idx[name];
  if (!dir || !existsSync(dir)) throw new Error(`rootfs "${name}" is not built: run \`npm run fixtures\``);
  return dir;
}

/**
 * How /app is started. 'bwrap': bwrap's own execvp, whose failures read `bwrap: execvp /app: …` and
 * which retries an ENOEXEC file with /bin/sh (absent here, so a foreign-arch binary reports ENOENT).
 * 'runc-like': through the execshim fixture doing a bare execve as runc does, so failures read
 * `exec /app: exec format error` / `exec /app: no such file or directory` (exit 126 / 127).
 */
export type ExecMode = 'bwrap' | 'runc-like';

/** where the shim is bound: inside bwrap's private /dev, so no file is added to the rootfs */
const SHIM_PATH = '/dev/.gokiln-exec';

export interface RunOptions {
  exec?: ExecMode;
  /**
   * run as this uid (and gid) inside a user namespace; /etc/passwd of the rootfs names it. The
   * namespace maps it to the real uid (root), so files root owns look owned by it: use this for
   * identity (os/user, nonroot 65532), not for permission checks (see nonroot.ts)
   */
  uid?: number;
  gid?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunResult {
  /** exit status, or null when killed by a signal or not started */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** set when bwrap itself could not be started (e.g. not installed) */
  spawnError?: string;
  /** killed after timeoutMs */
  timedOut?: boolean;
}

/** The bwrap command line runInRootfs uses, exposed so a failing test can print it. */
export function bwrapArgs(root: string, binary: string, args: string[], opts: RunOptions = {}): string[] {
  const a = [
    '--unshare-all',
    '--die-with-parent',
    '--ro-bind',
    root,
    '/',
    '--ro-bind',
    binary,
    '/app',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--chdir',
    '/',
    '--clearenv',
    '--setenv',
    'PATH',
    '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  ];
  for (const [k, v] of Object.entries(opts.env ?? {})) a.push('--setenv', k, v);
  if (opts.uid !== undefined) a.push('--unshare-user', '--uid', String(opts.uid), '--gid', String(opts.gid ?? opts.uid));
  if (opts.exec === 'runc-like') a.push('--ro-bind', fixture('execshim'), SHIM_PATH, SHIM_PATH);
  a.push('/app', ...args);
  return a;
}

/** Runs `binary args…` as /app inside `root` with bubblewrap: no network, fresh /proc, /dev, /tmp. */
export function runInRootfs(root: string, binary: string, args: string[], opts: RunOptions = {}): RunResult {
  const r = spawnSync('bwrap', bwrapArgs(root, binary, args, opts), { encoding: 'utf8', timeout: opts.timeoutMs ?? 20_000 });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) return { exitCode: null, signal: null, stdout: '', stderr: '', spawnError: r.error.message };
  return { exitCode: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(timedOut ? { timedOut } : {}) };
}

/** The same as runInRootfs without blocking the event loop. */
export function runInRootfsAsync(root: string, binary: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('bwrap', bwrapArgs(root, binary, args, opts), { timeout: opts.timeoutMs ?? 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ exitCode: null, signal: null, stdout, stderr, spawnError: e.message }));
    child.on('close', (code, signal) => resolve({ exitCode: code, signal, stdout, stderr }));
  });
}
