import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModulesTxt, checkVendor } from '../../src/project/vendor.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { scanProject } from '../../src/project/scan.js';
import { copyExample, exampleDir, needTool, run } from './helpers.js';

describe('vendor/modules.txt', () => {
  test('parses modules, explicit markers, go versions, replacements and packages', () => {
    const mods = parseModulesTxt(
      '# a.example/x v1.0.0\n## explicit; go 1.20\na.example/x\na.example/x/sub\n# b.example/y v1.2.0 => ../y\n## explicit\n# c.example/z => d.example/z v0.1.0\n',
    );
    assert.deepEqual(mods[0], {
      path: 'a.example/x',
      version: 'v1.0.0',
      replacement: null,
      explicit: true,
      goVersion: '1.20',
      packages: ['a.example/x', 'a.example/x/sub'],
    });
    assert.deepEqual(mods[1]!.replacement, { path: '../y', version: null });
    assert.deepEqual(mods[2], {
      path: 'c.example/z',
      version: null,
      replacement: { path: 'd.example/z', version: 'v0.1.0' },
      explicit: false,
      goVersion: null,
      packages: [],
    });
  });

  const haveGo = Boolean(needTool('go'));
  test(
    'examples/vendored is consistent, and the go command agrees (go build -mod=vendor works)',
    { skip: haveGo ? false : 'go not installed' },
    () => {
      const dir = exampleDir('vendored');
      const problems = checkVendor(
        parseGoMod(readFileSync(join(dir, 'go.mod'), 'utf8')),
        readFileSync(join(dir, 'vendor/modules.txt'), 'utf8'),
      );
      assert.deepEqual(problems, []);
      const r = run('go', ['list', '-mod=vendor', '-deps', './...'], {
        cwd: dir,
        env: { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off' },
      });
      assert.equal(r.status, 0, r.stderr);
    },
  );

  const stale: Array<[string, (gomod: string) => string, string]> = [
    [
      'a required version newer than vendored',
      (g) => g.replace('github.com/google/uuid v1.6.0', 'github.com/google/uuid v1.5.0'),
      'version-mismatch',
    ],
    ['a requirement missing from vendor/', (g) => g + '\nrequire golang.org/x/text v0.14.0\n', 'missing-in-vendor'],
    ['a vendored module no longer required', (g) => g.replace(/require github.com\/google\/uuid v1.6.0\n/, ''), 'not-required'],
    ['a replacement only in go.mod', (g) => g + '\nreplace github.com/google/uuid => ../uuid\n', 'replace-mismatch'],
  ];
  for (const [name, edit, code] of stale) {
    test(
      `stale vendor/: ${name} → ${code}, and go build says "inconsistent vendoring"`,
      { skip: haveGo ? false : 'go not installed' },
      () => {
        const dir = copyExample('vendored');
        writeFileSync(join(dir, 'go.mod'), edit(readFileSync(join(dir, 'go.mod'), 'utf8')));
        const s = scanProject(dir, { go: null });
        assert.equal(s.vendor.present, true);
        assert.equal(s.vendor.consistent, false);
        assert.ok(
          s.vendor.problems.some((p) => p.code === code),
          JSON.stringify(s.vendor.problems),
        );
        const r = run('go', ['list', '-deps', './...'], { cwd: dir, env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=vendor' } });
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /inconsistent vendoring/);
      },
    );
  }
});
