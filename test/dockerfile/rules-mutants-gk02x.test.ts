/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules GK020–GK027, killed here (issue #20). Each
 * test lints with the one rule it is about (one-rule.ts) and compares every finding.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { found, goMod, goSources, run } from './one-rule.js';
import { GK021 } from '../../src/dockerfile/rules/GK021-package-cache.js';
import { GK022 } from '../../src/dockerfile/rules/GK022-end-of-support.js';
import { GK023 } from '../../src/dockerfile/rules/GK023-cgo-module-without-cgo.js';
import { GK026 } from '../../src/dockerfile/rules/GK026-user-not-in-image.js';
import { GK027 } from '../../src/dockerfile/rules/GK027-sdk-in-final-image.js';

test('GK021: a cache mount at /var/cache/apk keeps the cache out; a bind mount there does not', () => {
  assert.deepEqual(found(GK021, 'FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk add ca-certificates'), []);
  assert.deepEqual(found(GK021, 'FROM alpine:3.22\nRUN --mount=type=bind,target=/var/cache/apk apk add ca-certificates'), [
    'GK021@2 warning',
  ]);
});

test('GK021: apt and apt-get install leave recommends and lists; a cache mount on /var/lib/apt keeps the lists out; pip is not apt', () => {
  const messages = (df: string) => run(GK021, df).map((f) => `${f.line} ${f.message}`);
  assert.deepEqual(messages('FROM debian:trixie\nRUN apt install -y curl'), [
    '2 apt install without --no-install-recommends pulls in recommended packages',
    '2 apt install without removing /var/lib/apt/lists in the same RUN keeps the package lists in the layer',
  ]);
  assert.deepEqual(messages('FROM debian:trixie\nRUN apt-get update && apt-get install -y --no-install-recommends curl'), [
    '2 apt-get install without removing /var/lib/apt/lists in the same RUN keeps the package lists in the layer',
  ]);
  assert.deepEqual(
    messages(
      'FROM debian:trixie\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl',
    ),
    [],
  );
  assert.deepEqual(messages('FROM python:3.12\nRUN pip install requests'), []);
});

test('GK021: apk update keeps the index even when the apk add after it has --no-cache', () => {
  assert.deepEqual(
    run(GK021, 'FROM alpine:3.22\nRUN apk update && apk add --no-cache curl').map((f) => `${f.line} ${f.message}`),
    ['2 apk update stores the package index in /var/cache/apk, and it stays in the layer'],
  );
});

test('GK022: an out-of-support base is reported on its FROM only, not again on stages built from it', () => {
  assert.deepEqual(found(GK022, 'FROM debian:bullseye-slim AS base\nRUN true\nFROM base AS app\nRUN true\nFROM base'), ['GK022@1 warning']);
});

const SQLITE = 'github.com/mattn/go-sqlite3';
const CGO_OFF = 'FROM golang:1.27-alpine AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app';
const STUB = `which needs cgo, but this build has CGO_ENABLED=0 set in the RUN line: builds, then fails at run time`;

test('GK023: go-sqlite3 imported by a package of the module the command imports (internal/db) is found', () => {
  const context = {
    goMod: goMod(`module example.com/app\n\ngo 1.26\n\nrequire ${SQLITE} v1.14.22\n`),
    sources: goSources({
      'main.go': 'package main\nimport "example.com/app/internal/db"\nfunc main(){ db.Open() }',
      'internal/db/db.go': `package db\nimport _ "${SQLITE}"\nfunc Open(){}`,
    }),
  };
  const fs = run(GK023, CGO_OFF, context);
  assert.deepEqual(
    fs.map((f) => `${f.line} ${f.severity}`),
    ['2 error'],
  );
  assert.ok(fs[0]!.message.startsWith(`the command imports ${SQLITE}, ${STUB}`), fs[0]!.message);
});

test('GK023: go-sqlite3 imported by a vendored dependency the command imports is found', () => {
  const context = {
    goMod: goMod(`module example.com/app\n\ngo 1.26\n\nrequire (\n\texample.org/store v1.0.0\n\t${SQLITE} v1.14.22 // indirect\n)\n`),
    hasVendor: true,
    sources: goSources({ 'main.go': 'package main\nimport "example.org/store"\nfunc main(){ store.Open() }' }),
    vendored: { 'example.org/store': { imports: [SQLITE, 'fmt'] } },
  };
  const fs = run(GK023, CGO_OFF, context);
  assert.deepEqual(
    fs.map((f) => `${f.line} ${f.severity}`),
    ['2 error'],
  );
  assert.ok(fs[0]!.message.startsWith(`the command imports ${SQLITE}, ${STUB}`), fs[0]!.message);
});

test('GK026: a USER without a group is checked for the user only', () => {
  for (const df of [
    'FROM alpine:3.22\nUSER nobody',
    'FROM scratch\nCOPY app /app\nUSER 65532',
    'FROM gcr.io/distroless/static-debian13\nUSER nonroot',
  ])
    assert.deepEqual(found(GK026, df), [], df);
});

test('GK027: the SDK image as the final stage: a warning when it builds or runs the program from the sources, info for a program copied in', () => {
  const one = (df: string) =>
    run(GK027, df).map((f) => `${f.line} ${f.severity} ${/copied in rather than built there/.test(f.message) ? 'copied' : 'sdk'}`);
  // built there, from the whole context
  assert.deepEqual(one('FROM golang:1.27\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .'), ['1 warning sdk']);
  // the sources copied in (./) and run with go run: the toolchain is the runtime
  assert.deepEqual(one('FROM golang:1.27\nCOPY ./ /src\nWORKDIR /src\nCMD ["go", "run", "."]'), ['1 warning sdk']);
  // a binary from a build stage, or a release binary from the context: put there on purpose (a tool that runs go)
  assert.deepEqual(one('FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM golang:1.27\nCOPY --from=b /app /usr/local/bin/app'), [
    '3 info copied',
  ]);
  assert.deepEqual(one('FROM golang:1.27\nCOPY dist/tool /usr/local/bin/tool\nENTRYPOINT ["tool"]'), ['1 info copied']);
});
