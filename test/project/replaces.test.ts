/** go.mod's local replacements against the build context (the project directory), with the real go command. */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseGoMod } from '../../src/project/gomod.js';
import { localReplaces } from '../../src/project/replaces.js';
import { checkVendor } from '../../src/project/vendor.js';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { goErrorLine } from '../../src/project/go-output.js';
import { TODAY, needTool, replaceProject, run } from './helpers.js';

const haveGo = Boolean(needTool('go'));
const GO_ENV = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '' };

describe('local replacements', () => {
  test('inside, outside, absolute and inert replacements are told apart', () => {
    const mod = parseGoMod(
      'module example.com/app\n\ngo 1.26\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b v1.0.0\n\texample.com/c v1.0.0\n\texample.com/d v1.0.0\n\texample.com/e v1.0.0\n)\n\n' +
        'replace example.com/a => ./third_party/a/\nreplace example.com/b v1.0.0 => ../b\nreplace example.com/c => /opt/c\nreplace example.com/d => ./x/../../d\n' +
        'replace example.com/e => example.com/e2 v1.1.0\nreplace example.com/unused => ../unused\n',
    );
    assert.deepEqual(
      localReplaces(mod).map((r) => [r.module, r.version, r.path, r.dir]),
      [
        ['example.com/a', null, './third_party/a/', 'third_party/a'],
        ['example.com/b', 'v1.0.0', '../b', null],
        ['example.com/c', null, '/opt/c', null],
        ['example.com/d', null, './x/../../d', null],
      ],
    );
    // a module the package graph reads counts even when go.mod does not require it (go < 1.17 lists only direct requirements)
    assert.deepEqual(
      localReplaces(mod, ['example.com/unused'])
        .map((r) => r.module)
        .at(-1),
      'example.com/unused',
    );
  });

  test(
    'plan warns about a replacement outside the project, naming the replace, its go.mod line and the ways out; not about one inside or an inert one',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const out = replaceProject('outside');
      // the project builds where it stands: ../lib is there on this machine, just not in the build context
      assert.equal(run('go', ['build', '-o', join(out.root, 'app.bin'), '.'], { cwd: out.dir, env: GO_ENV }).status, 0);
      const plan = buildPlan(scanProject(out.dir, { env: GO_ENV }), { today: TODAY });
      assert.equal(plan.scan.method, 'go-list');
      const w = plan.warnings.filter((x) => x.code === 'replace-outside-context');
      assert.equal(w.length, 1);
      assert.equal(w[0]!.message.includes('\n'), false);
      assert.match(
        w[0]!.message,
        new RegExp(
          `^${join(out.dir, 'go.mod').replace(/[.]/g, '\\.')}:7: replace example\\.com/lib => \\.\\./lib points outside ${out.dir.replace(/[.]/g, '\\.')}, the build context`,
        ),
      );
      assert.match(w[0]!.message, /gokiln init --offline/);
      assert.match(w[0]!.message, /parent directory as the context/);
      assert.match(w[0]!.message, /go\.work/);
      for (const kind of ['inside', 'unused'] as const) {
        const p = replaceProject(kind);
        assert.equal(run('go', ['build', '-o', join(p.root, 'app.bin'), '.'], { cwd: p.dir, env: GO_ENV }).status, 0, kind);
        const pl = buildPlan(scanProject(p.dir, { env: GO_ENV }), { today: TODAY });
        assert.deepEqual(
          pl.warnings.filter((x) => x.code === 'replace-outside-context'),
          [],
          kind,
        );
      }
    },
  );

  test(
    'go mod vendor copies an outside replacement into vendor/: modules.txt is consistent (the version-less replace line no longer hides the module), and go builds from vendor/ with ../lib gone',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const out = replaceProject('outside');
      const v = run('go', ['mod', 'vendor'], { cwd: out.dir, env: GO_ENV });
      assert.equal(v.status, 0, v.stderr);
      const txt = readFileSync(join(out.dir, 'vendor', 'modules.txt'), 'utf8');
      assert.match(txt, /^# example\.com\/lib => \.\.\/lib$/m, 'go writes the wildcard replace line this test is about');
      assert.deepEqual(checkVendor(parseGoMod(readFileSync(join(out.dir, 'go.mod'), 'utf8')), txt), []);
      assert.equal(scanProject(out.dir, { go: null }).vendor.consistent, true);
      renameSync(out.lib, `${out.lib}.gone`);
      const b = run('go', ['build', '-o', join(out.root, 'app.bin'), '.'], { cwd: out.dir, env: { ...GO_ENV, GOFLAGS: '-mod=vendor' } });
      assert.equal(b.status, 0, b.stderr);
      assert.equal(run(join(out.root, 'app.bin'), []).stdout, 'hello from lib\n');
    },
  );
});

describe('go error output as one line', () => {
  test('progress lines skipped, tab continuations joined, white space collapsed; the whole output kept after the separator', () => {
    const stderr =
      'go: downloading github.com/mattn/go-sqlite3 v1.14.53\ngo: example.com/sqlite-cgo imports\n\tgithub.com/mattn/go-sqlite3: module lookup disabled by GOPROXY=off\n';
    const line = goErrorLine(stderr);
    assert.equal(line.includes('\n') || line.includes('\t'), false);
    assert.equal(
      line,
      'go: example.com/sqlite-cgo imports github.com/mattn/go-sqlite3: module lookup disabled by GOPROXY=off | output: go: downloading github.com/mattn/go-sqlite3 v1.14.53 | go: example.com/sqlite-cgo imports github.com/mattn/go-sqlite3: module lookup disabled by GOPROXY=off',
    );
    assert.equal(
      goErrorLine('go: go.mod file not found in current directory or any parent directory\n'),
      'go: go.mod file not found in current directory or any parent directory',
    );
    assert.equal(goErrorLine('  \n', 'exit 1'), 'exit 1');
  });
});
