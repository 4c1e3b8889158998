import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGoMod, compareGoVersions, goMinor } from '../../src/project/gomod.js';
import { GokilnError } from '../../src/errors.js';
import { EXAMPLES, exampleDir, needTool, run } from './helpers.js';
import { scratchDir } from '../harness/scratch.js';

const RICH = `module example.com/rich // comment

go 1.24.1

toolchain go1.26.2

godebug (
	default=go1.21
	panicnil=1
)
godebug asynctimerchan=0

require example.com/a v1.2.3

require (
	example.com/b v0.0.0-20240101000000-abcdefabcdef // indirect
	"example.com/c" v2.0.0+incompatible
	example.com/d v1.0.0-rc.1 // indirect; something
	example.com/short v1.4
)

replace example.com/a => ../a

replace (
	example.com/b v0.0.0-20240101000000-abcdefabcdef => example.com/bfork v1.0.0
	example.com/c => /abs/c
)

exclude example.com/d v0.9.0
exclude (
	example.com/e v1.0.0
)
retract v1.0.1
tool example.com/a/cmd/gen
`;

interface GoModJson {
  Module?: { Path: string };
  Go?: string;
  Toolchain?: string;
  GoDebug?: Array<{ Key: string; Value: string }> | null;
  Require?: Array<{ Path: string; Version: string; Indirect?: boolean }> | null;
  Exclude?: Array<{ Path: string; Version: string }> | null;
  Replace?: Array<{ Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }> | null;
}

/** The go command's own reading of a go.mod: `go mod edit -json`. */
type GoModResult = ({ ok: true } & GoModJson) | { ok: false; error: string };
function goModEditJson(text: string): GoModResult {
  const dir = scratchDir('gokiln-gomod-');
  writeFileSync(join(dir, 'go.mod'), text);
  const r = run('go', ['mod', 'edit', '-json', 'go.mod'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } });
  if (r.status !== 0) return { ok: false, error: r.stderr };
  return { ok: true, ...(JSON.parse(r.stdout) as GoModJson) };
}

function sameAsGo(text: string): void {
  const truth = goModEditJson(text);
  if (!truth.ok) assert.fail(`go mod edit rejected the input: ${truth.error}`);
  const m = parseGoMod(text);
  assert.equal(m.module, truth.Module?.Path ?? null);
  assert.equal(m.go, truth.Go ?? null);
  assert.equal(m.toolchain, truth.Toolchain ?? null);
  assert.deepEqual(
    m.godebug.map((g) => ({ Key: g.key, Value: g.value })),
    truth.GoDebug ?? [],
  );
  assert.deepEqual(
    m.require.map((r) => ({ Path: r.path, Version: r.version, ...(r.indirect ? { Indirect: true } : {}) })),
    truth.Require ?? [],
  );
  assert.deepEqual(
    m.exclude.map((e) => ({ Path: e.path, Version: e.version })),
    truth.Exclude ?? [],
  );
  assert.deepEqual(
    m.replace.map((r) => ({
      Old: { Path: r.old.path, ...(r.old.version ? { Version: r.old.version } : {}) },
      New: { Path: r.new.path, ...(r.new.version ? { Version: r.new.version } : {}) },
    })),
    truth.Replace ?? [],
  );
}

describe('parseGoMod agrees with `go mod edit -json`', () => {
  test('a go.mod using every directive, blocks, quotes and comments', { skip: needTool('go') ? false : 'go not installed' }, () => {
    sameAsGo(RICH);
    const m = parseGoMod(RICH);
    assert.equal(m.require.length, 5);
    assert.equal(m.require[4]!.version, 'v1.4.0');
    assert.equal(m.goLine, 3);
    assert.deepEqual(m.tool, ['example.com/a/cmd/gen']);
  });
  for (const ex of EXAMPLES) {
    test(`examples/${ex}/go.mod`, { skip: needTool('go') ? false : 'go not installed' }, () => {
      sameAsGo(readFileSync(join(exampleDir(ex), 'go.mod'), 'utf8'));
    });
  }
});

describe('malformed go.mod: E_PARSE with the line the go command names', () => {
  const cases: Array<[string, string, number]> = [
    ['unknown directive', 'module x\ngo 1.22\nfoo bar\n', 3],
    ['unterminated block', 'module x\ngo 1.22\nrequire (\nexample.com/a v1.0.0\n', 5],
    ['replacement without version is not a path', 'module x\ngo 1.22\nreplace example.com/a => example.com/b\n', 3],
    ['bad go version', 'module x\ngo banana\n', 2],
    ['require without version', 'module x\n\nrequire example.com/a\n', 3],
    ['version that is not semver', 'module x\nrequire example.com/a vbanana\n', 2],
    ['unterminated string', 'module "x\n', 1],
    ['repeated module', 'module x\nmodule y\n', 2],
  ];
  for (const [name, text, line] of cases) {
    test(name, () => {
      assert.throws(
        () => parseGoMod(text, 'go.mod'),
        (e: unknown) =>
          e instanceof GokilnError && e.code === 'E_PARSE' && e.details.line === line && e.message.startsWith(`go.mod:${line}:`),
      );
      if (needTool('go')) {
        const truth = goModEditJson(text);
        if (truth.ok) assert.fail('the go command accepts it');
        assert.match(truth.error, new RegExp(`go\\.mod:${line}[:\\s]`), `go names line ${line}: ${truth.error}`);
      }
    });
  }
});

test('compareGoVersions orders as the go command does', () => {
  const sorted = ['1.21', '1.21rc1', '1.21.0', '1.21.1', '1.22', '1.22.0', '1.26.8', '1.27.0'];
  for (let i = 0; i + 1 < sorted.length; i++)
    assert.ok(compareGoVersions(sorted[i]!, sorted[i + 1]!) < 0, `${sorted[i]} < ${sorted[i + 1]}`);
  assert.equal(compareGoVersions('go1.26.8', '1.26.8'), 0);
  assert.equal(goMinor('go1.27.3'), '1.27');
});

test('any text: parseGoMod returns data or throws E_PARSE, never a raw error (fast-check)', async () => {
  const fc = (await import('fast-check')).default;
  const pieces = [
    'module',
    'go',
    'toolchain',
    'require',
    'replace',
    'exclude',
    'godebug',
    'retract',
    '(',
    ')',
    '=>',
    '"',
    '`',
    '//',
    'v1.2.3',
    '1.22',
    'example.com/a',
    ' ',
    '\t',
    '\n',
    'indirect',
    'k=v',
    '../x',
  ];
  const arb = fc.oneof(
    fc.string(),
    fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((a) => a.join(' ')),
  );
  fc.assert(
    fc.property(arb, (text) => {
      try {
        parseGoMod(text);
      } catch (e) {
        assert.ok(e instanceof GokilnError && e.code === 'E_PARSE', String(e));
      }
    }),
    { numRuns: 3000 },
  );
});
