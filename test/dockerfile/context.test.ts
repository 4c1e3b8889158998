/**
 * The build context the linter reads: the Go sources of this module only. A nested directory with its own
 * go.mod is another module (examples/, tools/, test programs) and must not lend its TLS or time-zone use
 * to the program this context builds.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';

const DOCKERFILE = 'FROM golang:1.26-alpine3.23 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]\n';
const TLS_MAIN = 'package main\n\nimport "net/http"\n\nfunc main() { _, _ = http.Get("https://example.com") }\n';

function context(nestedGoMod: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-ctx-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.26\n');
  writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
  mkdirSync(join(dir, 'tools', 'fetch'), { recursive: true });
  if (nestedGoMod) writeFileSync(join(dir, 'tools', 'fetch', 'go.mod'), 'module example.com/fetch\n\ngo 1.26\n');
  writeFileSync(join(dir, 'tools', 'fetch', 'main.go'), TLS_MAIN);
  return dir;
}

function gk010(dir: string): number {
  const { context: ctx } = loadBuildContext(dir);
  return lintDockerfile(DOCKERFILE, { file: 'Dockerfile', context: ctx, today: '2026-11-26' }).filter((f) => f.rule === 'GK010').length;
}

test('a nested module (own go.mod) is not read as part of the built program', () => {
  const dir = context(true);
  try {
    assert.equal(loadBuildContext(dir).context.sources?.tlsEvidence ?? null, null);
    assert.equal(gk010(dir), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a package directory of the same module is read (GK010 still fires)', () => {
  const dir = context(false);
  try {
    assert.match(loadBuildContext(dir).context.sources?.tlsEvidence ?? '', /tools\/fetch\/main\.go/);
    assert.equal(gk010(dir), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
