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

test('GK022: a Go older than the tables, a Go past support, and a distroless Debian past support', () => {
  assert.deepEqual(
    run(GK022, 'FROM golang:1.10').map((f) => `${f.severity} ${f.message}`),
    [
      "warning Go 1.10 (golang:1.10) is older than every Go release in gokiln's tables, whose support has already ended",
      'warning golang:1.10 is built on Debian before bullseye, and every such release is past its support: it gets no security fixes',
    ],
  );
  assert.deepEqual(
    run(GK022, 'FROM golang:1.20').map((f) => `${f.severity} ${f.message}`),
    [
      'info Debian bookworm (golang:1.20) left regular security support on 2026-07-11; Debian LTS updates continue until 2028-06-30',
      'warning Go 1.20 (golang:1.20) is out of support since 2024-02-06',
    ],
  );
  assert.deepEqual(
    run(GK022, 'FROM gcr.io/distroless/static-debian12').map((f) => `${f.severity} ${f.message}`),
    ['warning distroless debian12 (gcr.io/distroless/static-debian12) is out of support since 2026-10-01'],
  );
});

test('GK026: a user created by a RUN before the USER is accepted, not one created after it; a passwd copied in is', () => {
  assert.deepEqual(found(GK026, 'FROM alpine:3.22\nRUN adduser -D app\nUSER app'), []);
  assert.deepEqual(found(GK026, 'FROM alpine:3.22\nUSER app\nRUN adduser -D app'), ['GK026@2 error']);
  assert.deepEqual(found(GK026, 'FROM scratch\nCOPY passwd /etc/passwd\nUSER app'), []);
  assert.deepEqual(found(GK026, 'FROM scratch\nCOPY --from=build /etc/passwd /etc/passwd\nUSER app'), []);
  assert.deepEqual(found(GK026, 'FROM scratch\nUSER app'), ['GK026@2 error']);
  // a USER from a variable is not known before the build
  assert.deepEqual(found(GK026, 'FROM scratch\nUSER ${APP_USER}'), []);
});

test('GK027: go install and a hidden build (make) are builds in the SDK image; a go command that builds nothing is not', () => {
  const one = (df: string) =>
    run(GK027, df).map((f) => `${f.line} ${f.severity} ${/it builds the program/.test(f.message) ? 'builds' : 'runs'}`);
  assert.deepEqual(one('FROM golang:1.27\nRUN go install ./cmd/app'), ['1 warning builds']);
  assert.deepEqual(one('FROM golang:1.27\nRUN make build'), ['1 warning builds']);
  assert.deepEqual(one('FROM golang:1.27\nCMD ["go", "version"]'), ['1 warning runs']);
});

test('GK021: an apk add without --no-cache in the same RUN already says the index stays: apk update is not reported again', () => {
  assert.deepEqual(
    run(GK021, 'FROM alpine:3.22\nRUN apk update && apk add curl').map((f) => `${f.line} ${f.message}`),
    ['2 apk add without --no-cache leaves the package index in the layer'],
  );
});

test('GK022: golang:alpine names no Go minor: no Go support date to judge', () => {
  assert.deepEqual(found(GK022, 'FROM golang:alpine'), []);
});

test('GK026: accounts brought in by copying all of / or into /etc/, and a USER of unresolved variables, are not judged', () => {
  assert.deepEqual(found(GK026, 'FROM scratch\nCOPY --from=build / /\nUSER app'), []);
  assert.deepEqual(found(GK026, 'FROM scratch\nCOPY files/ /etc/\nUSER app'), []);
  assert.deepEqual(found(GK026, 'FROM scratch\nUSER $UID:$GID'), []);
});

test('GK027: a go test in the SDK image builds no program: the copied-in binary is still the point (info)', () => {
  assert.deepEqual(
    found(GK027, 'FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM golang:1.27\nCOPY --from=b /app /app\nRUN go test ./...'),
    ['GK027@3 info'],
  );
});

test('GK023: go-sqlite3 required directly but imported by no package the command builds: nothing (other commands use it)', () => {
  const context = {
    goMod: goMod(`module example.com/app\n\ngo 1.26\n\nrequire ${SQLITE} v1.14.22\n`),
    sources: goSources({ 'main.go': 'package main\nimport "fmt"\nfunc main(){ fmt.Println() }' }),
  };
  assert.deepEqual(found(GK023, CGO_OFF, context), []);
});

test('GK026: a builder stage’s second USER is checked up to the end of the stage; a COPY --from of a binary brings no accounts', () => {
  assert.deepEqual(found(GK026, 'FROM alpine:3.22 AS b\nUSER nobody\nRUN true\nUSER app\nRUN true\nFROM scratch\nCOPY --from=b /x /x'), [
    'GK026@4 error',
  ]);
  assert.deepEqual(found(GK026, 'FROM scratch\nCOPY --from=b /app /app\nUSER app'), ['GK026@3 error']);
});

test('GK026: a $ left after substitution is part of the name (BuildKit looks up "app$"); a variable is resolved first', () => {
  assert.deepEqual(found(GK026, 'FROM alpine:3.22\nUSER app$'), ['GK026@2 error']);
  assert.deepEqual(found(GK026, 'FROM alpine:3.22\nARG APP_USER=nobody\nUSER $APP_USER'), []);
  assert.deepEqual(found(GK026, 'FROM alpine:3.22\nARG APP_USER=app\nUSER ${APP_USER}'), ['GK026@3 error']);
  // an unset variable is '' (BuildKit's substitution): nothing to look up
  assert.deepEqual(found(GK026, 'FROM alpine:3.22\nUSER ${APP_USER}'), []);
});
