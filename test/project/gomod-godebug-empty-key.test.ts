/**
 * Issue #20, mutant 6: `godebug =1` (an empty key) is not a setting. The go command agrees: `go mod edit
 * -json` records no GoDebug entry for it and `go build` refuses the go.mod (`unknown godebug ""`), so
 * gokiln refuses it too (E_PARSE on that line) rather than report a setting named "". `godebug k=` (an
 * empty value) is a setting with an empty value, as `go mod edit -json` prints it.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGoMod } from '../../src/project/gomod.js';
import { isGokilnError } from '../../src/errors.js';
import { haveTool } from '../truth/tools.js';
import { spawnSync } from 'node:child_process';

const GOMOD = (line: string) => `module example.com/x\n\ngo 1.23\n\n${line}\n`;

test('godebug with an empty key is a parse error on its line; an empty value is a value (checked with the go command)', (t) => {
  assert.throws(
    () => parseGoMod(GOMOD('godebug =1')),
    (e: unknown) => isGokilnError(e) && e.code === 'E_PARSE' && /:5\b|line 5/.test(e.message) && /godebug key=value/.test(e.message),
  );
  assert.throws(
    () => parseGoMod(GOMOD('godebug (\n\t=1\n)')),
    (e: unknown) => isGokilnError(e) && e.code === 'E_PARSE',
  );
  assert.deepEqual(
    parseGoMod(GOMOD('godebug k=')).godebug.map((g) => [g.key, g.value]),
    [['k', '']],
  );
  assert.deepEqual(
    parseGoMod(GOMOD('godebug panicnil=1')).godebug.map((g) => [g.key, g.value, g.line]),
    [['panicnil', '1', 5]],
  );

  if (!haveTool(t, 'go', ['version'])) return;
  const dir = mkdtempSync(join(tmpdir(), 'gk-godebug-'));
  try {
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };
    const go = (args: string[]) => spawnSync('go', args, { cwd: dir, encoding: 'utf8', env });
    writeFileSync(join(dir, 'main.go'), 'package main\nfunc main(){}\n');
    writeFileSync(join(dir, 'go.mod'), GOMOD('godebug =1'));
    const json = JSON.parse(go(['mod', 'edit', '-json']).stdout) as { GoDebug?: Array<{ Key: string }> };
    assert.ok(!(json.GoDebug ?? []).some((g) => g.Key === ''), 'go records no setting with an empty key');
    const build = go(['build', '-o', join(dir, 'out'), '.']);
    assert.notEqual(build.status, 0);
    assert.match(build.stderr, /go\.mod:5: unknown godebug ""/);
    writeFileSync(join(dir, 'go.mod'), GOMOD('godebug k='));
    const kv = JSON.parse(go(['mod', 'edit', '-json']).stdout) as { GoDebug?: Array<{ Key: string; Value: string }> };
    assert.deepEqual(
      kv.GoDebug?.map((g) => [g.Key, g.Value]),
      [['k', '']],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
