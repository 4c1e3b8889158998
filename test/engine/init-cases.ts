/**
 * The Dockerfiles `init` writes, proved by a real engine (the cases; init-*.test.ts run them in groups,
 * each file under the test runner's per-file time limit with a cold Go build cache): on a temp copy of each example project, init's
 * library API (scan → plan → generateFiles → writeFiles, as the CLI does) writes the Dockerfile and
 * .dockerignore; buildah builds it from the project directory (applying the .dockerignore itself) with no
 * pull — the base images are local stand-ins under the names the Dockerfile uses (fixtures/base-images.ts);
 * podman runs the image with no network, and the program prints its expected line (harness/expected-runs.ts,
 * the same checks the text replay makes) as the Dockerfile's user. `--offline` builds get no network at all.
 *
 * Debian (`--paradigm ubuntu`: golang:<v>-trixie → debian:trixie-slim, whose RUN apt-get reaches
 * deb.debian.org) and distroless (→ gcr.io/distroless/*-debian13:nonroot) only: the Alpine paradigm cannot
 * be built here (no Alpine package is reachable), and keeps its text replay in test/generate.
 */
import { after, describe, test, type TestContext } from 'node:test';
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, type Paradigm } from '../../src/project/plan.js';
import { localReplaces } from '../../src/project/replaces.js';
import { generateFiles, writeFiles } from '../../src/generate/init.js';
import { haveEngine } from '../harness/engine.js';
import { RUN_CHECK, SERVE_CHECK, VERSION, assertRan, assertUser, type RunCheck } from '../harness/expected-runs.js';
import { SharedEngine, getInNetns, idsOf } from './engine-helpers.js';
import { TODAY, exampleDir, needTool, replaceProject, run } from '../project/helpers.js';

const GO_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CGO_\w+|GOOS|GOARCH|GOFLAGS|GOPROXY|GOTOOLCHAIN|GOWORK)$/.test(k))),
  GOTOOLCHAIN: 'local',
};

interface Project {
  dir: string;
  /** removes every temp directory the project made */
  cleanup: () => void;
}

function copyOf(example: string): Project {
  const root = mkdtempSync(join(tmpdir(), `gokiln-engine-${example}-`));
  const dir = join(root, example);
  cpSync(exampleDir(example), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** //go:embed of a directory (`dist`) and a glob in another package (`static/*`); prints what it embedded. */
function embedProject(): Project {
  const root = mkdtempSync(join(tmpdir(), 'gokiln-engine-embed-'));
  const files: Record<string, string> = {
    'go.mod': 'module example.com/embedded\n\ngo 1.26\n',
    'main.go':
      'package main\n\nimport (\n\t"embed"\n\t"fmt"\n\t"io/fs"\n\n\t"example.com/embedded/internal/ui"\n)\n\n//go:embed dist\nvar site embed.FS\n\nfunc main() {\n\tfor _, f := range []fs.FS{site, ui.Files} {\n\t\t_ = fs.WalkDir(f, ".", func(p string, d fs.DirEntry, err error) error {\n\t\t\tif err == nil && !d.IsDir() {\n\t\t\t\tb, _ := fs.ReadFile(f, p)\n\t\t\t\tfmt.Printf("%s=%q ", p, b)\n\t\t\t}\n\t\t\treturn nil\n\t\t})\n\t}\n\tfmt.Println()\n}\n',
    'dist/index.html': '<h1>hi</h1>\n',
    'internal/ui/ui.go': 'package ui\n\nimport "embed"\n\n//go:embed static/*\nvar Files embed.FS\n',
    'internal/ui/static/site.css': 'body{}\n',
    // local output and secrets the .dockerignore keeps out of the context
    'bin/embedded': 'an old binary\n',
    '.env': 'SECRET=1\n',
  };
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return { dir: root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function replaceInside(): Project {
  const p = replaceProject('inside');
  return { dir: p.dir, cleanup: () => rmSync(p.root, { recursive: true, force: true }) };
}

/** What init writes into `dir` (the CLI's steps: `go mod vendor` first for --offline without vendor/). */
function init(dir: string, paradigm: Paradigm, offline: boolean) {
  if (offline && !existsSync(join(dir, 'vendor', 'modules.txt'))) {
    const v = run('go', ['mod', 'vendor'], { cwd: dir, env: GO_ENV });
    assert.equal(v.status, 0, v.stderr);
  }
  const scan = scanProject(dir, { env: GO_ENV });
  const plan = buildPlan(scan, { today: TODAY });
  const out = generateFiles(plan, {
    paradigm,
    offline,
    hasGoSum: existsSync(join(dir, 'go.sum')),
    replaces: localReplaces(scan.goMod, scan.depModules),
  });
  writeFiles(dir, out.files, false);
  return { plan, ...out, dockerfile: out.files.find((f) => f.path === 'Dockerfile')!.content };
}

export interface Case {
  /** which test file runs it */
  group: 'static' | 'cgo' | 'debian';
  name: string;
  project: () => Project;
  paradigm: Paradigm;
  offline?: boolean;
  /** checks beyond RUN_CHECK, by binary name */
  extra?: Record<string, RunCheck>;
}

const EMBED_CHECK: RunCheck = { args: [], out: /^dist\/index\.html="<h1>hi<\/h1>\\n" static\/site\.css="body\{\}\\n" \n$/ };
const REPLACE_CHECK: RunCheck = { args: [], out: /^hello from lib\n$/ };

export const CASES: Case[] = [
  { group: 'static', name: 'hello-service', project: () => copyOf('hello-service'), paradigm: 'distroless' },
  { group: 'debian', name: 'hello-service', project: () => copyOf('hello-service'), paradigm: 'ubuntu' },
  { group: 'static', name: 'multi-cmd', project: () => copyOf('multi-cmd'), paradigm: 'distroless' },
  { group: 'debian', name: 'multi-cmd', project: () => copyOf('multi-cmd'), paradigm: 'ubuntu' },
  { group: 'cgo', name: 'sqlite-cgo', project: () => copyOf('sqlite-cgo'), paradigm: 'distroless' },
  { group: 'cgo', name: 'sqlite-cgo', project: () => copyOf('sqlite-cgo'), paradigm: 'ubuntu' },
  { group: 'cgo', name: 'png-cgo', project: () => copyOf('png-cgo'), paradigm: 'ubuntu' },
  { group: 'static', name: 'vendored', project: () => copyOf('vendored'), paradigm: 'distroless' },
  { group: 'static', name: 'vendored', project: () => copyOf('vendored'), paradigm: 'distroless', offline: true },
  { group: 'debian', name: 'vendored', project: () => copyOf('vendored'), paradigm: 'ubuntu', offline: true },
  { group: 'static', name: 'embed', project: embedProject, paradigm: 'distroless', extra: { embedded: EMBED_CHECK } },
  { group: 'static', name: 'replace ./lib', project: replaceInside, paradigm: 'distroless', extra: { app: REPLACE_CHECK } },
];

function checkFor(c: Case, binary: string): RunCheck {
  const check = c.extra?.[binary] ?? RUN_CHECK[binary];
  assert.ok(check, `${binary}: no expected run, so it would never be checked`);
  return check;
}

/** init writes, buildah builds each binary's image, podman runs it: the expected line, as the expected user. */
export async function proveCase(t: TestContext, shared: SharedEngine, c: Case): Promise<void> {
  if (!haveEngine(t)) return;
  if (!needTool('mmdebstrap') || !needTool('go') || !needTool('nsenter')) return t.skip('mmdebstrap, go or nsenter not installed');
  const p = c.project();
  try {
    const { spec, dockerfile } = init(p.dir, c.paradigm, Boolean(c.offline));
    const e = await shared.loadFor(dockerfile);
    for (const b of spec.binaries) {
      const tag =
        `localhost/gokiln-test/${c.name.replace(/[^\w]+/g, '-')}-${c.paradigm}${c.offline ? '-offline' : ''}-${b.name}`.toLowerCase();
      const what = `${c.name} ${c.paradigm}${c.offline ? ' --offline' : ''} ${b.name}`;
      const built = await e.build({
        context: p.dir,
        tag,
        target: b.stage ?? undefined,
        buildArgs: { VERSION },
        network: c.offline ? 'none' : 'host',
      });
      assert.equal(built.exitCode, 0, `${what}: buildah bud failed:\n${built.stderr.slice(-4000)}`);
      t.diagnostic(`${what}: built in ${(built.ms / 1000).toFixed(1)} s${c.offline ? ' with --network none' : ''}`);
      const config = await e.imageConfig(tag);
      assertUser(spec.user, { configUser: config.User }, b.name, what);
      assert.deepEqual(config.Entrypoint, [b.path], `${what}: ENTRYPOINT`);
      const check = checkFor(c, b.name);
      if (check.serves) {
        const s = await e.serve(tag, {}, async (pid) => ({
          ids: idsOf(pid),
          got: await getInNetns(pid, check.serves.port, check.serves.path),
        }));
        assert.ok(s.probed.got.ok, `${what}: GET ${check.serves.path}: ${s.probed.got.error} ${s.logs}`);
        assert.match(s.probed.got.body, check.serves.body, what);
        assert.ok(s.running, `${what}: still serving`);
        assertUser(spec.user, s.probed.ids, b.name, what);
      } else {
        const r = await e.run(tag, { args: check.args, timeoutMs: 60_000 });
        assertRan(r, check, `${what} (podman run)`);
        assertUser(spec.user, { stdout: r.stdout }, b.name, what);
        t.diagnostic(`${what}: ${JSON.stringify(r.stdout)}`);
      }
      const serve = SERVE_CHECK[b.name];
      if (serve) {
        // the program as the image starts it: a server, as the Dockerfile's uid, answering from inside its netns
        const s = await e.serve(tag, {}, async (pid) => ({ ids: idsOf(pid), got: await getInNetns(pid, serve.port, serve.path) }));
        assert.ok(s.probed.got.ok, `${what}: GET ${serve.path}: ${s.probed.got.error} ${s.logs}`);
        assert.match(s.probed.got.body, serve.body, `${what}: GET ${serve.path}`);
        assertUser(spec.user, s.probed.ids, b.name, what);
      }
    }
  } finally {
    p.cleanup();
  }
}

/** The tests of one group, on one engine (closed after the file). */
export function caseTests(group: Case['group'], title: string): void {
  const shared = new SharedEngine();
  after(() => shared.close());
  describe(title, () => {
    for (const c of CASES.filter((x) => x.group === group)) {
      const label = `${c.name} --paradigm ${c.paradigm}${c.offline ? ' --offline (built with --network none)' : ''}: init writes it, buildah builds it, podman runs it; it prints its line as the Dockerfile's user`;
      test(label, { timeout: 14 * 60_000 }, (t) => proveCase(t, shared, c));
    }
  });
}
