/**
 * zlib and libpng built for musl, standing in for Alpine's packages where the generated Alpine
 * Dockerfile has them: `apk add libpng-dev` in the builder (headers, libpng16.so, libpng.pc, zlib.pc)
 * and `apk add libpng` in the runtime (libpng16.so.16, with zlib's libz.so.1 from the base image).
 * This Debian host has neither, and no Alpine repository is reachable, so they are built here from
 * Debian bookworm's upstream source tarballs (pinned by version and sha256) with musl-gcc, shared
 * only, into a private prefix, cached by content hash next to the fixtures:
 *
 *   ${XDG_CACHE_HOME:-~/.cache}/gokiln/fixtures/musl-libs/libpng-zlib-<hash>/{include,lib}
 *
 * A tool missing or a download failing is `MuslLibsUnavailable`: the test fails under CI=true and
 * skips elsewhere. A checksum mismatch or a failed build is always an error.
 */
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureDir } from '../fixtures/paths.js';
import { run, sha256, which } from '../fixtures/tools.js';

/** A tool is missing or a source cannot be downloaded. */
export class MuslLibsUnavailable extends Error {}

interface Source {
  name: string;
  /** the Debian bookworm source package and version whose .orig tarball this is (Sources index, Checksums-Sha256) */
  debian: string;
  url: string;
  sha256: string;
  /** the directory the tarball unpacks to */
  dir: string;
  tarFlag: '-xjf' | '-xzf';
  configure: (prefix: string) => string[];
  /** make targets: what is needed, not the test and tool programs */
  make: string[];
  install: string[];
  /** symlinks (path under the prefix → target) the skipped install hooks would have made */
  links: Array<[string, string]>;
}

const POOL = 'http://deb.debian.org/debian/pool/main';
export const SOURCES: readonly Source[] = [
  {
    name: 'zlib',
    debian: 'zlib 1:1.2.13.dfsg-1 (bookworm)',
    url: `${POOL}/z/zlib/zlib_1.2.13.dfsg.orig.tar.bz2`,
    sha256: '71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1',
    dir: 'zlib-1.2.13.dfsg',
    tarFlag: '-xjf',
    // zlib's own configure script (not autoconf); --shared still builds libz.a, removed after install
    configure: (prefix) => ['./configure', `--prefix=${prefix}`, '--shared'],
    make: [],
    install: ['install'],
    links: [],
  },
  {
    name: 'libpng',
    debian: 'libpng1.6 1.6.39-2+deb12u5 (bookworm)',
    url: `${POOL}/libp/libpng1.6/libpng1.6_1.6.39.orig.tar.gz`,
    sha256: 'a00e9d2f2f664186e4202db9299397f851aea71b36a35e74910b8820e380d441',
    dir: 'libpng-1.6.39',
    tarFlag: '-xzf',
    // a release tarball: configure is generated already, so no autoconf/automake/libtool is needed
    configure: (prefix) => ['./configure', '-q', `--prefix=${prefix}`, '--disable-static'],
    // the library alone (a full `make` also links pngfix, pngvalid, pngstest, …: twice the time)
    make: ['libpng16.la'],
    install: ['install-libLTLIBRARIES', 'install-pkgincludeHEADERS', 'install-nodist_pkgincludeHEADERS', 'install-pkgconfigDATA'],
    // libpng's install hooks: `#cgo pkg-config: libpng` reads libpng.pc (Alpine's libpng-dev has the same links)
    links: [
      ['lib/pkgconfig/libpng.pc', 'libpng16.pc'],
      ['lib/libpng.so', 'libpng16.so'],
    ],
  },
];

/** Bumped when the build steps below change; part of the hash. */
const BUILDER_VERSION = 2;

/** Tools the build needs (bzip2 for zlib's .tar.bz2; musl-gcc from musl-tools; make). */
export const MUSL_LIBS_TOOLS = ['curl', 'tar', 'bzip2', 'gzip', 'make', 'musl-gcc'] as const;

export interface MuslLibs {
  /** --prefix of both builds: include/, lib/, lib/pkgconfig/ */
  prefix: string;
  pkgConfigDir: string;
  /** the shared objects `apk add libpng` puts in /usr/lib (plus zlib's, which Alpine's base image has) */
  runtimeFiles: string[];
  /** what was built, for messages */
  describe: string;
}

export function muslLibsCacheDir(): string {
  return join(fixtureDir(), 'musl-libs');
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function toolVersions(): Promise<string> {
  const cc = (await run('musl-gcc', ['--version'])).split('\n')[0] ?? '';
  // the musl headers and libc the build compiles against
  const musl = await run('dpkg-query', ['-W', '-f', '${Package} ${Version}\n', 'musl', 'musl-dev', 'musl-tools']).catch(
    () => 'musl: no dpkg',
  );
  return `${cc}\n${musl}`;
}

/** The tarball, from the download cache or deb.debian.org; always checked against its pinned sha256. */
async function fetchSource(src: Source, downloads: string): Promise<string> {
  const file = join(downloads, src.url.split('/').pop()!);
  if (!existsSync(file) || (await fileSha256(file)) !== src.sha256) {
    await mkdir(downloads, { recursive: true });
    const part = `${file}.${process.pid}.part`;
    try {
      await run('curl', ['-fsSL', '--retry', '2', '--connect-timeout', '20', '-m', '300', '-o', part, src.url], { timeoutMs: 6 * 60_000 });
    } catch (e) {
      await rm(part, { force: true });
      throw new MuslLibsUnavailable(`downloading ${src.url} failed: ${(e as Error).message}`);
    }
    const got = await fileSha256(part);
    if (got !== src.sha256) {
      await rm(part, { force: true });
      throw new Error(`${src.url}: sha256 ${got}, expected ${src.sha256} (${src.debian})`);
    }
    await rename(part, file);
  }
  return file;
}

let building: Promise<MuslLibs> | null = null;

/** Builds (once, cached by content hash) zlib and libpng for musl and returns where they are. */
export function ensureMuslLibpng(): Promise<MuslLibs> {
  building ??= build();
  return building;
}

function resultFor(prefix: string): MuslLibs {
  const lib = join(prefix, 'lib');
  return {
    prefix,
    pkgConfigDir: join(lib, 'pkgconfig'),
    runtimeFiles: ['libpng16.so.16', 'libpng16.so.16.39.0', 'libz.so.1', 'libz.so.1.2.13'].map((f) => join(lib, f)),
    describe: SOURCES.map((s) => s.debian).join(', '),
  };
}

function needTools(tools: readonly string[]): void {
  const missing = tools.filter((t) => !which(t));
  if (missing.length) throw new MuslLibsUnavailable(`building libpng for musl needs ${missing.join(', ')}, not found on PATH`);
}

async function build(): Promise<MuslLibs> {
  // musl-gcc is part of the hash (and what the go build uses); the other tools only matter on a cache miss
  needTools(['musl-gcc']);
  const root = muslLibsCacheDir();
  const hash = sha256(
    `musl-libs ${BUILDER_VERSION}`,
    JSON.stringify(SOURCES.map((s) => ({ ...s, configure: s.configure('PREFIX') }))),
    await toolVersions(),
  ).slice(0, 16);
  const prefix = join(root, `libpng-zlib-${hash}`);
  if (existsSync(join(prefix, '.complete'))) return resultFor(prefix);
  needTools(MUSL_LIBS_TOOLS);

  // configure --prefix is the final directory (the .pc files name it); `make install DESTDIR=stage`
  // puts the tree under stage/<prefix>, which is renamed into place once complete
  const stage = join(root, `.tmp-${hash}-${process.pid}`);
  const staged = join(stage, prefix);
  const work = await mkdtemp(join(tmpdir(), 'gokiln-musl-libs-'));
  await rm(stage, { recursive: true, force: true });
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LC_ALL: 'C',
      CC: 'musl-gcc',
      CFLAGS: '-O2',
      // libpng's configure finds zlib by compiling and linking against it: the staged musl zlib
      CPPFLAGS: `-I${join(staged, 'include')}`,
      LDFLAGS: `-L${join(staged, 'lib')}`,
      PKG_CONFIG_LIBDIR: join(staged, 'lib', 'pkgconfig'),
      PKG_CONFIG_PATH: '',
    };
    for (const src of SOURCES) {
      const tarball = await fetchSource(src, join(root, 'downloads'));
      await run('tar', ['-C', work, src.tarFlag, tarball]);
      const dir = join(work, src.dir);
      const step = async (cmd: string, args: string[]) => {
        try {
          await run(cmd, args, { cwd: dir, env, timeoutMs: 10 * 60_000 });
        } catch (e) {
          throw new Error(`${src.name} for musl: ${(e as Error).message.slice(-4000)}`, { cause: e });
        }
      };
      const [conf, ...confArgs] = src.configure(prefix);
      await step(conf!, confArgs);
      await step('make', ['-s', '-j2', ...src.make]);
      await step('make', ['-s', ...src.install, `DESTDIR=${stage}`]);
      for (const [path, target] of src.links) await symlink(target, join(staged, path));
    }
    // shared objects only, like Alpine's -dev packages (libz.a is zlib-static there); libtool archives
    // name the staging directory and nothing reads them
    const lib = join(staged, 'lib');
    for (const f of await readdir(lib)) if (f.endsWith('.a') || f.endsWith('.la')) await rm(join(lib, f));
    for (const f of resultFor(staged).runtimeFiles) if (!existsSync(f)) throw new Error(`musl libs build: ${f} was not installed`);
    await writeFile(join(staged, '.complete'), JSON.stringify({ hash, sources: SOURCES.map((s) => s.debian) }) + '\n');
    try {
      await rename(staged, prefix);
    } catch (e) {
      if (!existsSync(join(prefix, '.complete'))) throw e; // someone else built the same tree first
    }
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
  return resultFor(prefix);
}

/**
 * A temporary copy of a harness root file system with the runtime shared objects in /usr/lib, as
 * `apk add libpng` leaves them in an Alpine image. The caller removes `dir` when done.
 */
export async function rootfsWithLibs(root: string, libs: MuslLibs): Promise<{ dir: string; root: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gokiln-rootfs-libpng-'));
  const copy = join(dir, 'root');
  await cp(root, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await mkdir(join(copy, 'usr', 'lib'), { recursive: true });
  for (const f of libs.runtimeFiles) await cp(f, join(copy, 'usr', 'lib', f.split('/').pop()!), { verbatimSymlinks: true });
  return { dir, root: copy };
}
