/**
 * Issue #20, mutant 3: GK006 exempts a cgo build linked fully static (`-linkmode external -extldflags
 * "-static"`): it carries its libc, so scratch runs it. The truth is the glibc-static fixture, built with
 * exactly these flags: readelf shows no PT_INTERP and no DT_NEEDED, and it runs in the scratch stand-in.
 * The same Dockerfile without the static flags is still GK006.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { fixture, fixtureInfo } from '../fixtures/index.js';
import { ensureRootfs, runInRootfs } from '../harness/rootfs.js';
import { haveTool } from '../truth/tools.js';
import { readelfInterpreter, readelfNeeded, readelfText } from '../truth/readelf.js';

const TODAY = '2026-11-26';
const df = (ldflags: string) =>
  `FROM golang:1.27 AS b\nRUN CGO_ENABLED=1 go build -tags netgo,osusergo ${ldflags} -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]`;

test('CGO_ENABLED=1 with -linkmode external -extldflags "-static" into scratch: no GK006; without the static flags: GK006', async (t) => {
  const rules = (text: string) => lintDockerfile(text, { file: 'Dockerfile', today: TODAY }).map((f) => f.rule);
  for (const flags of [`-ldflags '-linkmode external -extldflags "-static"'`, `-ldflags="-linkmode=external -extldflags=-static"`]) {
    assert.ok(!rules(df(flags)).includes('GK006'), flags);
  }
  assert.ok(rules(df('')).includes('GK006'));
  assert.ok(rules(df(`-ldflags '-s -w'`)).includes('GK006'));

  if (!haveTool(t, 'readelf', ['--version']) || !haveTool(t, 'bwrap', ['--version'])) return;
  const recipe = fixtureInfo('glibc-static').recipe;
  assert.ok(
    recipe.kind === 'go' &&
      recipe.env.CGO_ENABLED === '1' &&
      recipe.flags.some((f) => f.includes('-linkmode external -extldflags "-static"')),
  );
  const bin = fixture('glibc-static');
  const text = readelfText(bin);
  assert.equal(readelfInterpreter(text), null);
  assert.deepEqual(readelfNeeded(text), []);
  const r = runInRootfs(await ensureRootfs('scratch'), bin, ['ok']);
  assert.equal(r.stdout, 'ok\n', r.stderr);
});
