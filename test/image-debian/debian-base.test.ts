/**
 * Debian bases from real packages (bookworm, the mirror apt uses here): the repository's cgo binaries
 * resolve to exactly libc6 plus the packages of their libraries, checked against the host's own dpkg
 * database (this machine is bookworm: `dpkg -S` names the package of each library a binary needs, and
 * `readelf -d` the libraries those need). The assembled tree is written out and each binary runs in it
 * with bubblewrap and under podman (`--rootfs`, runc) as uid 65532, printing its expected line; on the static base it fails with the loader's
 * message. A scanner-style reader lists the packages from status.d as syft's dpkg cataloguer does.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assembleTree,
  debianPackagesFor,
  debianPackagesJson,
  debianPackagesText,
  type DebianPackagesResult,
} from '../../src/image/debian/index.js';
import { fixture } from '../fixtures/index.js';
import { MissingToolError, which } from '../fixtures/tools.js';
import { ensureRootfs, runInRootfs } from '../harness/rootfs.js';
import { BINARIES, debianTestBinary } from './binaries.js';
import { writeTree } from './write-tree.js';
import { readStatusD } from './status-d.js';
import { podmanStorage, RUN_FLAGS } from '../harness/podman-root.js';

const CI = process.env.CI === 'true';
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const validateJson = new Ajv2020({ allErrors: true }).compile(
  JSON.parse(readFileSync('schemas/debian-packages.schema.json', 'utf8')) as object,
);
const BASE = ['base-files', 'ca-certificates', 'netbase', 'tzdata'];
const TRIPLET_DIR = '/lib/x86_64-linux-gnu';

/** The host package of each shared object a file needs, recursively (the host is bookworm amd64): the truth. */
function hostPackagesOf(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  const dyn = execFileSync('readelf', ['-dW', file], { encoding: 'utf8' });
  for (const m of dyn.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) {
    const so = m[1]!;
    if (seen.has(so)) continue;
    seen.add(so);
    const path = realpathSync(join(TRIPLET_DIR, so));
    // packaged either under /lib or /usr/lib (the host has merged /usr, so both paths reach the file)
    const owner = [TRIPLET_DIR, `/usr${TRIPLET_DIR}`]
      .map((d) => spawnSync('dpkg', ['-S', join(d, so)], { encoding: 'utf8' }))
      .find((r) => r.status === 0)
      ?.stdout.split(':')[0];
    assert.ok(owner, `the host's dpkg knows who ships ${so}`);
    out.add(owner);
    for (const p of hostPackagesOf(path, seen)) out.add(p);
  }
  return out;
}

/**
 * `podman run --rootfs` of the assembled tree with the binary copied in as /app (rootful here, storage
 * under `store`; vfs, runc and lowered rlimits because the sandbox refuses podman's defaults).
 */
function podmanRun(root: string, bin: string, args: string[], store: string): { status: number | null; stdout: string; stderr: string } {
  copyFileSync(bin, join(root, 'app'));
  chmodSync(join(root, 'app'), 0o755);
  chmodSync(root, 0o755);
  const r = spawnSync(
    'podman',
    [...podmanStorage(store), 'run', '--rm', ...RUN_FLAGS, '--user', '65532:65532', '--rootfs', root, '/app', ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

interface Case {
  name: string;
  binary: () => Promise<string>;
  args: string[];
  expect: RegExp;
  libraries: string[];
}

const CASES: Case[] = [
  { name: 'sqlite (go-sqlite3, amalgamation)', binary: async () => fixture('sqlite'), args: [], expect: /^3\.\d+\.\d+$/m, libraries: [] },
  {
    name: 'cgo-glibc (os/user through glibc NSS)',
    binary: async () => fixture('cgo-glibc'),
    args: ['user'],
    expect: /^65532 nonroot$/m,
    libraries: [],
  },
  {
    name: 'png-cgo (libpng via pkg-config)',
    binary: () => debianTestBinary(BINARIES.png),
    args: [],
    expect: /^libpng 1\.6\.\d+ \(header 1\.6\.\d+\)$/m,
    libraries: ['libpng16-16', 'zlib1g'],
  },
  {
    name: 'sqlite with -tags libsqlite3 (system libsqlite3)',
    binary: () => debianTestBinary(BINARIES['sqlite-system']),
    args: [],
    expect: /^3\.40\.\d+$/m,
    libraries: ['libsqlite3-0'],
  },
];

describe('Debian base from packages (bookworm)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gokiln-debian-base-'));
  let skip: string | false = false;
  before(() => {
    for (const t of ['bwrap', 'readelf', 'dpkg', 'podman', 'runc']) {
      if (!which(t)) {
        if (CI) throw new Error(`${t} is missing`);
        skip = `${t} not installed`;
      }
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    test(c.name, async (t) => {
      if (skip) return t.skip(skip);
      let bin: string;
      try {
        bin = await c.binary();
      } catch (e) {
        if (e instanceof MissingToolError && !CI) return t.skip(e.message);
        throw e;
      }
      const r: DebianPackagesResult = await debianPackagesFor([bin], { suite: 'bookworm' });
      const names = r.set.packages.map((p) => p.name);
      assert.deepEqual(names, [...BASE, 'libc6', ...c.libraries].sort(), debianPackagesText(r.set));
      // the truth: what the host's dpkg says the binary's libraries belong to
      assert.deepEqual([...hostPackagesOf(bin)].sort(), ['libc6', ...c.libraries].sort());
      for (const lib of c.libraries) {
        const p = r.set.packages.find((x) => x.name === lib)!;
        assert.ok(
          p.reasons.some((x) => x.kind === 'soname'),
          `${lib} has a soname reason`,
        );
      }
      const libc6 = r.set.packages.find((p) => p.name === 'libc6')!;
      assert.ok(libc6.reasons.some((x) => x.kind === 'interpreter' && x.path === '/lib64/ld-linux-x86-64.so.2'));
      assert.equal(r.set.glibc.provided, '2.36');
      assert.match(r.set.glibc.required ?? '', /^2\.\d+$/);
      assert.ok(r.set.omittedDepends.some((o) => o.package === 'libc6' && o.dependency === 'libgcc-s1'));
      assert.match(debianPackagesText(r.set), /libc6 2\.36-/);
      const json = debianPackagesJson(r.set);
      assert.ok(validateJson(json), JSON.stringify(validateJson.errors));
      assert.equal((json as { packages: unknown[] }).packages.length, names.length);

      const root = join(tmp, c.name.replace(/\W+/g, '-'));
      const tree = assembleTree(r);
      await writeTree(tree, root);
      for (const d of ['dev', 'proc']) mkdirSync(join(root, d), { recursive: true });
      writeFileSync(join(root, 'app'), '');
      const osRelease = readFileSync(join(root, 'etc/os-release'), 'utf8');
      assert.match(osRelease, /^ID=debian$/m);
      assert.match(osRelease, /^VERSION_ID="12"$/m);
      const bundle = readFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), 'utf8');
      assert.ok((bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length > 100, 'the CA bundle holds the Mozilla roots');

      const run = runInRootfs(root, bin, c.args, { uid: 65532 });
      assert.equal(run.spawnError, undefined);
      assert.equal(run.exitCode, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, c.expect);

      // the packages as a scanner sees them: status.d read as syft's dpkg cataloguer reads it
      const seen = readStatusD(root);
      assert.deepEqual(
        seen.map((p) => p.name),
        names,
      );
      for (const p of seen) {
        assert.equal(p.version, r.set.packages.find((x) => x.name === p.name)!.version);
        assert.ok(p.files.length > 0, `${p.name} lists its files`);
      }
      // every file a package's md5sums lists is in the tree with that md5 (what a scanner's file check does)
      for (const p of seen) {
        for (const [f, sum] of p.md5)
          assert.equal(
            createHash('md5')
              .update(readFileSync(join(root, f)))
              .digest('hex'),
            sum,
            `${p.name} ${f}`,
          );
      }
      if (c.name.startsWith('cgo-glibc')) {
        // the base's other files at work: the CA bundle (crypto/x509) and zoneinfo (time.LoadLocation)
        const certs = runInRootfs(root, bin, ['certs'], { uid: 65532 });
        assert.equal(certs.exitCode, 0, certs.stderr);
        assert.ok(Number(certs.stdout.trim()) > 100, certs.stdout);
        const tz = runInRootfs(root, bin, ['tz', 'Europe/Berlin'], { uid: 65532 });
        assert.equal(tz.stdout.trim(), '3600', tz.stderr);
      }
      // the same tree under podman (runc), flags as the build issue gives for this machine, as uid 65532
      const pod = podmanRun(root, bin, c.args, join(tmp, 'podman'));
      assert.equal(pod.status, 0, pod.stderr);
      assert.match(pod.stdout, c.expect);

      const libc6Files = seen.find((p) => p.name === 'libc6')!.files;
      assert.ok(libc6Files.includes('/lib/x86_64-linux-gnu/libc.so.6'));
    });
  }

  test("the same cgo binary on the static base fails with the loader's message", async (t) => {
    if (skip) return t.skip(skip);
    const root = await ensureRootfs('distroless-static-like');
    const r = runInRootfs(root, fixture('cgo-glibc'), ['ok'], { exec: 'runc-like' });
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /exec \/app: no such file or directory/);
  });

  test('a static binary gets only the base packages', async (t) => {
    if (skip) return t.skip(skip);
    const r = await debianPackagesFor([fixture('static')], { suite: 'bookworm' });
    assert.deepEqual(
      r.set.packages.map((p) => p.name),
      BASE,
    );
    assert.deepEqual(r.set.glibc, { required: null, provided: null });
    assert.ok(validateJson(debianPackagesJson(r.set)), JSON.stringify(validateJson.errors));
    // the tree is deterministic: sorted, one mtime, the same entries every time
    const a = assembleTree(r);
    assert.deepEqual(assembleTree(r), a);
    assert.ok(a.every((e) => e.mtime === 0));
    assert.deepEqual(
      a.map((e) => e.path),
      [...a.map((e) => e.path)].sort(),
    );
    assert.ok(assembleTree(r, { mtime: 1700000000 }).every((e) => e.mtime === 1700000000));
  });
});
