/**
 * The cgo binaries the Debian base tests resolve, built here (cached by content under the fixture cache):
 * the repository's png-cgo example (libpng through pkg-config) and the sqlite fixture's source built with
 * go-sqlite3's `libsqlite3` tag, so it links the system libsqlite3.so.0 instead of its own amalgamation.
 * The sqlite (amalgamation) and cgo-glibc (os/user) fixtures come from test/fixtures as they are.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
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
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CGO_') && k !== 'GOFLAGS' && k !== 'GOOS' && k !== 'GOARCH' && k !== 'CC') e[k] = v;
  return { ...e, CGO_ENABLED: '1', CC: 'gcc', GOOS: 'linux', GOARCH: 'amd64', GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local', CGO_CFLAGS: '-O0' };
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
