/**
 * The cgo binaries the Debian base tests resolve, built here (cached by content under the fixture cache):
 * the repository's png-cgo example (libpng through pkg-config) and the sqlite fixture's source built with
 * go-sqlite3's `libsqlite3` tag, so it links the system libsqlite3.so.0 instead of its own amalgamation.
 * The sqlite (amalgamation) and cgo-glibc (os/user) fixtures come from test/fixtures as they are.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ensureBuilderRoot } from '../fixtures/base-images.js';
import { fixtureDir } from '../fixtures/paths.js';
import { sourceDigest } from '../fixtures/go-build.js';
import { MissingToolError, run, sha256, which } from '../fixtures/tools.js';

export interface DebianTestBinary {
  name: string;
  src: string;
  flags: string[];
  /** host dev packages whose versions decide the output */
  dev: string[];
  output: string;
}

export const BINARIES = {
  png: { name: 'png', src: 'examples/png-cgo', flags: [], dev: ['libpng-dev', 'zlib1g-dev'], output: 'png-cgo' },
  'sqlite-system': { name: 'sqlite-system', src: 'test/go/sqlite', flags: ['-tags=libsqlite3'], dev: ['libsqlite3-dev'], output: 'sqlite' },
} satisfies Record<string, DebianTestBinary>;

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('CGO_') && k !== 'GOFLAGS' && k !== 'GOOS' && k !== 'GOARCH' && k !== 'CC') e[k] = v;
  return {
    ...e,
    CGO_ENABLED: '1',
    CC: 'gcc',
    GOOS: 'linux',
    GOARCH: 'amd64',
    GOFLAGS: '-buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_CFLAGS: '-O0',
  };
}

/** Builds (once per content) and returns the binary's path. */
export async function debianTestBinary(b: DebianTestBinary): Promise<string> {
  for (const t of ['go', 'gcc', 'dpkg-query', 'pkg-config']) if (!which(t)) throw new MissingToolError(`${b.name} needs ${t}`);
  const root = process.cwd();
  const versions = await run('dpkg-query', ['-W', '-f', '${Package} ${Version}\n', 'gcc', ...b.dev]).catch(() => {
    throw new MissingToolError(`${b.name} needs ${b.dev.join(', ')} installed`);
  });
  const goVersion = await run('go', ['version']);
  const hash = sha256('debian-test-binary 1', JSON.stringify(b), await sourceDigest(join(root, b.src)), versions, goVersion).slice(0, 16);
  const dir = join(fixtureDir(), 'debian-test', `${b.name}-${hash}`);
  const out = join(dir, b.output);
  if (existsSync(out)) return out;
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await run('go', ['build', ...b.flags, '-o', join(tmp, b.output), '.'], { cwd: join(root, b.src), env: env() });
    await rename(tmp, dir).catch(async (e) => {
      if (!existsSync(out)) throw e;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return out;
}

/** A C program calling strlcpy, which glibc has since 2.38 (GLIBC_2.38 in its verneed): no bookworm runs it. */
const STRLCPY_C =
  '#include <stdio.h>\n#include <string.h>\n\nint main(void) {\n  char b[8];\n  size_t n = strlcpy(b, "glibc 2.38", sizeof b);\n  printf("%s %zu\\n", b, n);\n  return 0;\n}\n';
export const STRLCPY_OUTPUT = 'glibc 2 10\n';

/**
 * That program compiled by trixie's own gcc against trixie's glibc (2.41): the builder root the golang
 * trixie stand-in is made of (test/fixtures/base-images.ts, mmdebstrap, cached), entered with bubblewrap.
 * Cached by the root's name (its recipe hash) and the source.
 */
export async function trixieGlibcBinary(): Promise<string> {
  for (const t of ['bwrap', 'tar']) if (!which(t)) throw new MissingToolError(`the trixie-built binary needs ${t}`);
  const rootTar = await ensureBuilderRoot('trixie');
  const dir = join(fixtureDir(), 'debian-test', `strlcpy-trixie-${sha256(basename(rootTar), STRLCPY_C).slice(0, 16)}`);
  const out = join(dir, 'strlcpy');
  if (existsSync(out)) return out;
  const scratch = await mkdtemp(join(tmpdir(), 'gokiln-trixie-root-'));
  const tmp = `${dir}.${process.pid}.tmp`;
  try {
    await run('tar', ['-C', scratch, '--exclude=./dev/*', '-xf', rootTar]);
    await writeFile(join(scratch, 'strlcpy.c'), STRLCPY_C);
    await mkdir(tmp, { recursive: true });
    await run('bwrap', [
      '--bind',
      scratch,
      '/',
      '--bind',
      tmp,
      '/out',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      '--unshare-net',
      '--clearenv',
      '--setenv',
      'PATH',
      '/usr/bin:/bin',
      'gcc',
      '-O1',
      '-o',
      '/out/strlcpy',
      '/strlcpy.c',
    ]);
    await rename(tmp, dir).catch(async (e) => {
      if (!existsSync(out)) throw e;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  }
  return out;
}
