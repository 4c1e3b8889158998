/**
 * go.mod replacements with a local directory, built the way docker build would: the builder stage's
 * COPY and RUN steps read from the generated Dockerfile TEXT and run in order in an empty directory
 * standing in for WORKDIR, which only the COPY steps fill from the build context (the project directory,
 * less what .dockerignore excludes). So `go mod download` sees exactly what the COPY lines before it
 * copied, and nothing outside the project is reachable.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan, type Paradigm } from '../../src/project/plan.js';
import { localReplaces } from '../../src/project/replaces.js';
import { generateFiles } from '../../src/generate/init.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { GokilnError } from '../../src/errors.js';
import { buildFromContext as runFromContext, excluded, readDockerignore } from './docker-context.js';
import { TODAY, needTool, replaceProject, run } from '../project/helpers.js';

const haveGo = Boolean(needTool('go'));
const GO_ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CGO_\w+|GOOS|GOARCH|GOFLAGS|GOPROXY|GOTOOLCHAIN|GOWORK)$/.test(k))),
  GOTOOLCHAIN: 'local',
  GOPROXY: 'off',
};

function generate(dir: string, paradigm: Paradigm, offline = false) {
  const scan = scanProject(dir, { env: GO_ENV });
  const plan = buildPlan(scan, { today: TODAY });
  return generateFiles(plan, {
    paradigm,
    offline,
    hasGoSum: existsSync(join(dir, 'go.sum')),
    replaces: localReplaces(scan.goMod, scan.depModules),
  });
}

/** The builder stage run from the context (docker-context.ts: COPY filtered by .dockerignore as docker does). */
const buildFromContext = (context: string, text: string) => runFromContext(context, text, GO_ENV);

describe('go.mod replace with a local directory', { skip: haveGo ? false : 'go not installed' }, () => {
  for (const paradigm of ['distroless', 'alpine', 'ubuntu'] as const) {
    test(`inside the project (./lib), --paradigm ${paradigm}: its go.mod is copied before go mod download, and the Dockerfile's steps build a binary that runs`, () => {
      const p = replaceProject('inside');
      const { files, spec } = generate(p.dir, paradigm);
      const df = files.find((f) => f.path === 'Dockerfile')!.content;
      assert.deepEqual(spec.replaceDirs, ['lib']);
      const copyLib = df.indexOf('COPY lib/go.mod ./lib/\n');
      assert.ok(copyLib > 0 && copyLib < df.indexOf('RUN --mount=type=cache,target=/go/pkg/mod go mod download\n'), df);
      assert.equal(excluded(readDockerignore(files.find((f) => f.path === '.dockerignore')!.content), 'lib/go.mod'), false);
      const findings = lintDockerfile(df, { file: 'Dockerfile', context: loadBuildContext(p.dir).context, today: TODAY });
      assert.deepEqual(
        findings.filter((f) => f.severity !== 'info' || f.rule !== 'GK003').map((f) => `${f.line} ${f.rule} ${f.message}`),
        [],
      );
      // the context is the project with what init writes (its .dockerignore decides what COPY . . takes)
      for (const f of files) writeFileSync(join(p.dir, f.path), f.content);
      const b = buildFromContext(p.dir, df);
      assert.equal(b.status, 0, `${b.stderr}\nran: ${b.ran.join(' | ')}`);
      assert.ok(b.ran.some((r) => /go mod download$/.test(r)) && b.ran.some((r) => /go build\b/.test(r)), b.ran.join(' | '));
      const x = run(join(b.out, 'app'), []);
      assert.equal(x.stdout, 'hello from lib\n', x.stderr);
    });
  }

  test("the COPY of the replacement's go.mod is what makes go mod download work: without it, go cannot read lib/go.mod", () => {
    const p = replaceProject('inside');
    const df = generate(p.dir, 'distroless').files.find((f) => f.path === 'Dockerfile')!.content;
    const b = buildFromContext(p.dir, df.replace('COPY lib/go.mod ./lib/\n', ''));
    assert.notEqual(b.status, 0);
    assert.match(b.stderr, /go mod download\n.*example\.com\/lib@v0\.0\.0 \(replaced by \.\/lib\): reading lib\/go\.mod/s);
  });

  test('outside the project (../lib): init refuses with E_UNSUPPORTED naming the replace; with --offline, go mod vendor puts it into vendor/ and the Dockerfile builds from the project alone', () => {
    const p = replaceProject('outside');
    assert.throws(
      () => generate(p.dir, 'distroless'),
      (e: unknown) => {
        assert.ok(e instanceof GokilnError);
        assert.equal(e.code, 'E_UNSUPPORTED');
        assert.equal(e.details.file, join(p.dir, 'go.mod'));
        assert.match(e.message, /go\.mod:7: replace example\.com\/lib => \.\.\/lib points outside .*, the build context/);
        assert.equal(e.message.includes('\n'), false);
        return true;
      },
    );
    const v = run('go', ['mod', 'vendor'], { cwd: p.dir, env: GO_ENV });
    assert.equal(v.status, 0, v.stderr);
    const { files, spec } = generate(p.dir, 'distroless', true);
    assert.deepEqual(spec.replaceDirs, []);
    const df = files.find((f) => f.path === 'Dockerfile')!.content;
    for (const f of files) writeFileSync(join(p.dir, f.path), f.content);
    // the build runs in a directory of its own: ../lib is not beside it, and here it is gone as well
    renameSync(p.lib, `${p.lib}.gone`);
    const b = buildFromContext(p.dir, df);
    assert.equal(b.status, 0, `${b.stderr}\nran: ${b.ran.join(' | ')}`);
    assert.equal(run(join(b.out, 'app'), []).stdout, 'hello from lib\n');
  });
});
