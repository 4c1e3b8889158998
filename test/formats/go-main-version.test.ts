/**
 * Main-module version derivation: `-X …version=` from -ldflags (truth: the built program prints the
 * variable it was linked with) and VCS pseudo-versions (truth: the pseudo-version Go 1.24+ itself stamps
 * from the same vcs.* settings in the `vcs` fixture).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { fixture } from '../fixtures/index.js';
import { readBuildInfo } from '../../src/formats/go/buildinfo.js';
import { deriveMainVersion, ldflagsDefinitions, splitFlags } from '../../src/formats/go/main-version.js';
import type { GoBuildInfo } from '../../src/formats/go/types.js';
import { openImages } from './open-image.js';
import { runToolIfInstalled } from '../truth/tools.js';

function bi(version: string, settings: Record<string, string>): GoBuildInfo {
  return {
    goVersion: 'go1.27.0',
    path: 'example.com/app',
    main: { path: 'example.com/app', version, sum: null, replace: null },
    deps: [],
    settings: Object.entries(settings).map(([key, value]) => ({ key, value })),
    ptrSize: 8,
    bigEndian: false,
    inlineStrings: true,
  };
}

describe('deriveMainVersion', () => {
  const cases: Array<[string, GoBuildInfo, ReturnType<typeof deriveMainVersion>]> = [
    ['a real version is kept', bi('v1.4.0', { '-ldflags': '-X main.version=9' }), { version: 'v1.4.0', derivedFrom: 'buildinfo' }],
    ['-X main.version=', bi('(devel)', { '-ldflags': '-s -w -X main.version=1.2.3' }), { version: '1.2.3', derivedFrom: 'ldflags' }],
    [
      '-X=pkg.Version=',
      bi('(devel)', { '-ldflags': '-X=github.com/x/y/internal/build.Version=v2.0.1' }),
      { version: 'v2.0.1', derivedFrom: 'ldflags' },
    ],
    [
      'quoted -X with a space',
      bi('(devel)', { '-ldflags': '-X "main.version=1.2.3 beta" -s' }),
      { version: '1.2.3 beta', derivedFrom: 'ldflags' },
    ],
    ['single-quoted -X', bi('', { '-ldflags': "-X 'main.version=v3'" }), { version: 'v3', derivedFrom: 'ldflags' }],
    [
      'main.version wins over another package',
      bi('(devel)', { '-ldflags': '-X main.version=1 -X other/pkg.version=2' }),
      { version: '1', derivedFrom: 'ldflags' },
    ],
    [
      'last -X of main wins',
      bi('(devel)', { '-ldflags': '-X main.version=1 -X main.version=2' }),
      { version: '2', derivedFrom: 'ldflags' },
    ],
    ['not a version symbol', bi('(devel)', { '-ldflags': '-X main.commit=abc' }), null],
    [
      'vcs pseudo-version',
      bi('(devel)', {
        'vcs.revision': '6c80ec3785433626da3a107725d5303b26392248',
        'vcs.time': '2022-12-05T17:18:34Z',
        'vcs.modified': 'false',
      }),
      { version: 'v0.0.0-20221205171834-6c80ec378543', derivedFrom: 'vcs' },
    ],
    [
      'vcs dirty',
      bi('(devel)', { 'vcs.revision': 'abcdef1234567890', 'vcs.time': '2026-01-01T12:00:00Z', 'vcs.modified': 'true' }),
      { version: 'v0.0.0-20260101120000-abcdef123456+dirty', derivedFrom: 'vcs' },
    ],
    [
      'ldflags before vcs',
      bi('(devel)', { '-ldflags': '-X main.Version=7', 'vcs.revision': 'abc', 'vcs.time': '2026-01-01T00:00:00Z' }),
      { version: '7', derivedFrom: 'ldflags' },
    ],
    ['nothing to go on', bi('(devel)', { CGO_ENABLED: '0' }), null],
  ];
  for (const [title, input, want] of cases) test(title, () => assert.deepEqual(deriveMainVersion(input), want));
});

test('splitFlags and ldflagsDefinitions follow cmd/go quoting', () => {
  assert.deepEqual(splitFlags(` -s  -w -X 'a.b=c d' "-X=e.f=g h"`), ['-s', '-w', '-X', 'a.b=c d', '-X=e.f=g h']);
  assert.deepEqual(ldflagsDefinitions(`-X 'a.version=1' "-X=b.Version=2" -X`), [
    { symbol: 'a.version', value: '1' },
    { symbol: 'b.Version', value: '2' },
  ]);
});

test('vcs fixture: the pseudo-version derived from vcs.* equals the one Go stamped', () => {
  const real = readBuildInfo(openImages(fixture('vcs'))[0]!);
  assert.ok(real && real.main);
  assert.match(real.main.version, /^v0\.0\.0-\d{14}-[0-9a-f]{12}(\+dirty)?$/, 'Go stamps a pseudo-version');
  const devel: GoBuildInfo = {
    ...real,
    main: { ...real.main, version: '(devel)' },
    settings: real.settings.filter((s) => s.key !== '-ldflags'),
  };
  assert.deepEqual(deriveMainVersion(devel), { version: real.main.version, derivedFrom: 'vcs' });
  // with its -ldflags back, -X main.version wins
  const withFlags: GoBuildInfo = { ...real, main: { ...real.main, version: '(devel)' } };
  assert.deepEqual(deriveMainVersion(withFlags), { version: '1.2.3', derivedFrom: 'ldflags' });
});

test('a (devel) build with -X: the derived version is what the program itself prints', (t) => {
  if (runToolIfInstalled('go', ['version']) === null) return t.skip('go missing');
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-gomv-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/mv\n\ngo 1.21\n');
    writeFileSync(
      join(dir, 'main.go'),
      'package main\n\nimport "os"\n\nvar version = "unset"\n\nfunc main() { os.Stdout.WriteString(version) }\n',
    );
    const out = join(dir, 'mv');
    execFileSync('go', ['build', '-buildvcs=false', '-ldflags=-s -w -X "main.version=4.5.6 (rc)"', '-o', out, '.'], {
      cwd: dir,
      env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '' },
      stdio: 'pipe',
    });
    const printed = execFileSync(out, { encoding: 'utf8' });
    const info = readBuildInfo(openImages(out)[0]!);
    assert.ok(info);
    assert.equal(info.main?.version, '(devel)');
    assert.deepEqual(deriveMainVersion(info), { version: printed, derivedFrom: 'ldflags' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
