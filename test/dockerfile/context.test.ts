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
import { compiledFiles } from '../../src/gosrc/graph.js';
import { fileArch, linuxTarget } from '../../src/gosrc/target.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import type { ScannedSources } from '../../src/dockerfile/sources.js';

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

test('the sources are also read package by package: directory, package clause, files a linux build may compile', () => {
  const dir = context(true);
  try {
    mkdirSync(join(dir, 'cmd', 'api'), { recursive: true });
    writeFileSync(join(dir, 'cmd', 'api', 'main.go'), TLS_MAIN);
    writeFileSync(join(dir, 'cmd', 'api', 'main_test.go'), 'package main\n\nimport "os/user"\n');
    writeFileSync(join(dir, 'cmd', 'api', 'gen.go'), '//go:build ignore\n\npackage main\n\nimport "os/user"\n');
    writeFileSync(join(dir, 'cmd', 'api', 'dial_arm64.go'), '//go:build linux\n\npackage main\n\nimport "net"\n');
    mkdirSync(join(dir, 'testdata'), { recursive: true });
    writeFileSync(join(dir, 'testdata', 'x.go'), 'package x\n\nimport "plugin"\n');
    const src = loadBuildContext(dir).context.sources as ScannedSources;
    assert.deepEqual(Object.keys(src.packages).sort(), ['', 'cmd/api']);
    // the model keeps every file of a package; a linux build compiles these (gosrc/graph.ts compiledFiles)
    const linux = (d: string) =>
      compiledFiles(src.packages[d]!, linuxTarget(null)).map((f) => ({
        path: f.path,
        imports: f.imports,
        cgo: f.cgo,
        ...(fileArch(f.name) ? { arch: fileArch(f.name) } : {}),
        ...(f.constraint ? { constraint: f.constraint } : {}),
      }));
    assert.equal(src.packages['cmd/api']!.name, 'main');
    assert.deepEqual(linux('cmd/api'), [
      { path: 'cmd/api/dial_arm64.go', imports: ['net'], cgo: false, arch: 'arm64', constraint: 'linux' },
      { path: 'cmd/api/main.go', imports: ['net/http'], cgo: false },
    ]);
    assert.equal(src.packages['']!.name, 'main');
    assert.deepEqual(linux(''), [{ path: 'main.go', imports: [], cgo: false }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a build run in a subdirectory (WORKDIR /src/cmd/api, go build .) is placed through the COPY . . destination; outside the copied context it is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-ctx-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.26\n');
    mkdirSync(join(dir, 'cmd', 'api'), { recursive: true });
    writeFileSync(join(dir, 'cmd', 'api', 'main.go'), TLS_MAIN);
    const df =
      'FROM golang:1.26 AS b\nWORKDIR /src\nCOPY . .\nWORKDIR /src/cmd/api\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]\n';
    const f = lintDockerfile(df, { file: 'Dockerfile', context: loadBuildContext(dir).context, today: '2026-11-26' }).filter(
      (x) => x.rule === 'GK006',
    );
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /cmd\/api\/main\.go imports net\/http, which uses cgo through net\)/);
    assert.doesNotMatch(f[0]!.message, /every package of the module/);
    // a WORKDIR outside where the context was copied: not placed, the whole module is read, and it says so
    const outside = df.replace('WORKDIR /src/cmd/api', 'WORKDIR /elsewhere');
    const g = lintDockerfile(outside, { file: 'Dockerfile', context: loadBuildContext(dir).context, today: '2026-11-26' }).filter(
      (x) => x.rule === 'GK006',
    );
    assert.equal(g.length, 1);
    assert.match(
      g[0]!.message,
      /gokiln read every package of the module, as it could not tell which one is built \(\. in WORKDIR \/elsewhere lies outside the build context, which was copied to \/src\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
