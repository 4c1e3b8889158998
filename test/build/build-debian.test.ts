/**
 * `gokiln build --paradigm ubuntu|debian`: the repository's cgo examples (png-cgo: libpng + zlib; sqlite-cgo:
 * go-sqlite3's amalgamation, libc only) and a cgo probe that asks the C library for its uid are built with cgo,
 * put on a base of the Debian packages they need, written as docker-archives, loaded and run by podman (runc)
 * as uid 65532. The lockfile makes a second build byte-identical; without cgo the paradigm degrades to the
 * static embedded base and says so.
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyExample, needTool } from '../project/helpers.js';
import { aptInstallPackages } from '../../src/build/debian-base.js';
import { gokiln, podman, probeProject, RUN_FLAGS } from './helpers.js';
import { statusDOfImage } from '../image-debian/status-d.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync('schemas/build.schema.json', 'utf8')) as object);
const validatePlan = ajv.compile(JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as object);

interface Built {
  digest: string;
  base: { name: string };
  platforms: Array<{ layers: Array<{ digest: string }> }>;
  debian?: { suite: string; from: 'lockfile' | 'index'; lockfile: string | null; packages: Array<{ name: string; reasons: string[] }> };
  notes?: string[];
}

const tools = { go: needTool('go'), gcc: needTool('gcc'), podman: needTool('podman'), runc: needTool('runc') };
const missing = (...names: Array<keyof typeof tools>) => names.filter((n) => !tools[n]).join(', ') || false;

function build(args: string[], env: NodeJS.ProcessEnv = {}): Built {
  const r = gokiln(['build', ...args, '--json'], env);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Built;
  assert.ok(validate(out), JSON.stringify(validate.errors));
  return out;
}

interface PlanDebian {
  binary: string;
  source: 'knowledge' | 'index' | 'lockfile';
  packages: Array<{ name: string; version: string | null; reasons: Array<{ kind: string }> }>;
  notes: string[];
}

/** `gokiln plan DIR --json` (schema-checked): its Debian package lists. */
function planDebian(args: string[]): PlanDebian[] {
  const r = gokiln(['plan', ...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { debian: PlanDebian[] };
  assert.ok(validatePlan(out), JSON.stringify(validatePlan.errors));
  return out.debian;
}

/**
 * The plan's list against the image: the names plan gives offline (knowledge) and, resolved (a lockfile or
 * the suite's indexes), the names and versions are the image's status.d, read from the written archive.
 */
async function planEqualsImage(src: string, archive: string, resolved: string[], suite?: string): Promise<void> {
  const image = await statusDOfImage(`docker-archive:${archive}`);
  assert.ok(image.length > 0, 'the image has status.d');
  // offline, plan names the packages of its own suite (the builder's) unless told the image's
  const offline = planDebian([src, ...(suite ? ['--suite', suite] : [])]);
  assert.equal(offline.length, 1);
  assert.equal(offline[0]!.source, 'knowledge');
  assert.deepEqual(
    offline[0]!.packages.map((p) => p.name),
    image.map((x) => x.split(' ')[0]),
  );
  assert.ok(offline[0]!.packages.every((p) => p.version === null && p.reasons.length > 0));
  const exact = planDebian([src, ...resolved]);
  assert.equal(exact[0]!.source, resolved[0] === '--resolve' ? 'index' : 'lockfile');
  assert.deepEqual(
    exact[0]!.packages.map((p) => `${p.name} ${p.version}`),
    image,
  );
}

const names = (b: Built) => (b.debian?.packages ?? []).map((p) => p.name).sort();
const BASE = ['base-files', 'ca-certificates', 'netbase', 'tzdata'];

/** podman load + run with the sandbox's flags; returns stdout. */
function loadAndRun(root: string, archive: string, image: string): string {
  const load = podman(root, ['load', '-i', archive]);
  assert.equal(load.status, 0, load.stderr);
  const user = podman(root, ['image', 'inspect', image, '--format', '{{.Config.User}}']);
  assert.equal(user.stdout.trim(), '65532:65532');
  const run = podman(root, ['run', '--rm', ...RUN_FLAGS, image]);
  assert.equal(run.status, 0, `${run.stderr}`);
  return run.stdout;
}

describe('gokiln build --paradigm ubuntu|debian (cgo on Debian packages)', () => {
  const work = mkdtempSync(join(tmpdir(), 'gokiln-build-debian-'));
  const dirs: string[] = [];
  after(() => {
    for (const d of [work, ...dirs]) rmSync(d, { recursive: true, force: true });
  });

  test(
    'png-cgo: libc6 + libpng16-16 + zlib1g on the base packages, runs under podman; the lockfile gives the same bytes; plan lists the same packages; apt list for the Dockerfile',
    { skip: missing('go', 'gcc', 'podman', 'runc') },
    async () => {
      const src = copyExample('png-cgo');
      dirs.push(src);
      const lock = join(work, 'png.lock.json');
      const a = build([
        src,
        '--paradigm',
        'ubuntu',
        '--suite',
        'bookworm',
        '--lockfile',
        lock,
        '--archive',
        join(work, 'png-a.tar'),
        '--tag',
        'png-cgo:a',
      ]);
      assert.deepEqual(names(a), [...BASE, 'libc6', 'libpng16-16', 'zlib1g'].sort());
      assert.equal(a.debian?.from, 'index');
      assert.equal(a.platforms[0]!.layers.length, 2, 'one Debian base layer under the application layer');
      assert.ok(a.debian?.packages.find((p) => p.name === 'libpng16-16')?.reasons.includes('libpng16.so.16 needed by /app/png-cgo'));
      const locked = JSON.parse(readFileSync(lock, 'utf8')) as { suite: string; packages: Array<{ name: string; sha256: string }> };
      assert.equal(locked.suite, 'bookworm');
      assert.deepEqual(locked.packages.map((p) => p.name).sort(), names(a));

      // the alias, from the lockfile: the same image, byte for byte
      const b = build([src, '--paradigm', 'debian', '--lockfile', lock, '--archive', join(work, 'png-b.tar'), '--tag', 'png-cgo:a']);
      assert.equal(b.debian?.from, 'lockfile');
      assert.equal(b.digest, a.digest);
      assert.ok(readFileSync(join(work, 'png-a.tar')).equals(readFileSync(join(work, 'png-b.tar'))), 'the two archives differ');

      await planEqualsImage(src, join(work, 'png-a.tar'), ['--lockfile', lock], 'bookworm');
      // plan's bad input: exit 2, a typed error, before any network
      const usage = [
        { args: [src, '--resolve', '--lockfile', lock], re: /E_USAGE.*--resolve and --lockfile/ },
        { args: [src, '--lockfile', join(work, 'none.lock.json')], re: /E_NOT_FOUND.*none\.lock\.json not found/ },
        { args: [src, '--suite', 'forky'], re: /E_USAGE.*covers bookworm and trixie, not forky/ },
      ];
      for (const u of usage) {
        const bad = gokiln(['plan', ...u.args]);
        assert.equal(bad.status, 2, bad.stderr);
        assert.match(bad.stderr, u.re);
      }

      const out = loadAndRun(join(work, 'podman-png'), join(work, 'png-a.tar'), 'png-cgo:a');
      assert.match(out, /^libpng 1\.6\.\d+ \(header 1\.6\.\d+\)\n$/);

      // what init's Dockerfile installs on debian:bookworm-slim for the same binary
      const bin = join(work, 'png-cgo');
      const go = spawnSync('go', ['build', '-trimpath', '-o', bin, '.'], {
        cwd: src,
        encoding: 'utf8',
        env: { ...process.env, CGO_ENABLED: '1', GOTOOLCHAIN: 'local' },
      });
      assert.equal(go.status, 0, go.stderr);
      return aptInstallPackages([bin], { lockfile: lock }).then((apt) =>
        assert.deepEqual(apt, ['ca-certificates', 'libpng16-16', 'netbase', 'tzdata', 'zlib1g']),
      );
    },
  );

  test(
    'sqlite-cgo (go-sqlite3): libc6 only on the base packages, as plan says; runs under podman',
    { skip: missing('go', 'gcc', 'podman', 'runc') },
    async () => {
      const src = copyExample('sqlite-cgo');
      dirs.push(src);
      // -O0: the amalgamation compiles in seconds instead of a minute (as test/fixtures/recipes.ts does)
      const r = build([src, '--paradigm', 'ubuntu', '--archive', join(work, 'sqlite.tar'), '--tag', 'sqlite-cgo:t'], { CGO_CFLAGS: '-O0' });
      assert.deepEqual(names(r), [...BASE, 'libc6'].sort());
      await planEqualsImage(src, join(work, 'sqlite.tar'), ['--resolve']);
      assert.match(loadAndRun(join(work, 'podman-sqlite'), join(work, 'sqlite.tar'), 'sqlite-cgo:t'), /^sqlite 3\.\d+\.\d+\n$/);
    },
  );

  test(
    'a cgo probe (os/user) sees uid and gid 65532 and the user nonroot through the C library; plan lists its packages',
    { skip: missing('go', 'gcc', 'podman', 'runc') },
    async () => {
      // os/user with cgo on asks glibc (getpwuid_r through NSS and the image's /etc/passwd)
      const src = probeProject(
        {},
        'package main\n\n// #include <unistd.h>\nimport "C"\n\nimport (\n\t"fmt"\n\t"os/user"\n)\n\nfunc main() {\n\tu, err := user.Current()\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Printf("cgo uid=%d gid=%d user=%s\\n", C.getuid(), C.getgid(), u.Username)\n}\n',
      );
      dirs.push(src);
      const r = build([src, '--paradigm', 'ubuntu', '--archive', join(work, 'probe.tar'), '--tag', 'probe:cgo']);
      assert.equal(r.base.name, 'debian:trixie (gokiln packages)', 'no --suite: the suite of the golang images, as plan and init');
      await planEqualsImage(src, join(work, 'probe.tar'), ['--resolve']);
      assert.equal(loadAndRun(join(work, 'podman-probe'), join(work, 'probe.tar'), 'probe:cgo'), 'cgo uid=65532 gid=65532 user=nonroot\n');
    },
  );

  test(
    'without cgo the paradigm degrades to the static embedded base and says so; Debian flags need the paradigm; cgo for another arch is E_PLATFORM',
    { skip: missing('go') },
    () => {
      const src = probeProject();
      dirs.push(src);
      const r = build([src, '--paradigm', 'ubuntu', '--oci', join(work, 'static')]);
      assert.equal(r.base.name, 'embedded');
      assert.equal(r.debian, undefined);
      assert.match(r.notes?.[0] ?? '', /no cgo .*embedded static base/);
      // no cgo: plan lists no Debian packages either (os/user and net in pure Go)
      assert.deepEqual(planDebian([src]), []);
      const text = gokiln(['build', src, '--paradigm', 'debian', '--oci', join(work, 'static2')]);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /note: --paradigm debian: no cgo/);
      const bad = gokiln(['build', src, '--lockfile', join(work, 'x.json'), '--oci', join(work, 'static3')]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /E_USAGE.*--paradigm ubuntu\|debian/);
      // cgo for another architecture needs a cross compiler: refused before anything is compiled or written
      const cgo = probeProject({}, 'package main\n\n// int two() { return 2; }\nimport "C"\n\nfunc main() { println(C.two()) }\n');
      dirs.push(cgo);
      const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
      const cross = gokiln(['build', cgo, '--paradigm', 'ubuntu', '--platform', other, '--oci', join(work, 'cross')]);
      assert.equal(cross.status, 2);
      assert.match(cross.stderr, /E_PLATFORM.*needs cgo.*host's C compiler/);
      assert.equal(existsSync(join(work, 'cross')), false);
    },
  );
});
