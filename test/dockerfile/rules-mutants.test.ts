/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules, killed here (issue #20). Each test lints
 * with the one rule it is about (imported from its own file, so the mutation run finds this file for it)
 * and compares every finding, so an extra finding, a lost one or an internal error (GK000) fails it.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import type { Rule } from '../../src/dockerfile/rule.js';
import type { BuildContext } from '../../src/dockerfile/model.js';
import type { Finding } from '../../src/dockerfile/types.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { scanGoSources } from '../../src/dockerfile/sources.js';
import { GK001 } from '../../src/dockerfile/rules/GK001-alpine-drift.js';
import { GK002 } from '../../src/dockerfile/rules/GK002-go-older-than-gomod.js';
import { GK006 } from '../../src/dockerfile/rules/GK006-cgo-into-libcless.js';
import { GK007 } from '../../src/dockerfile/rules/GK007-glibc-newer-than-runtime.js';
import { GK010 } from '../../src/dockerfile/rules/GK010-no-ca-certs.js';
import { GK015 } from '../../src/dockerfile/rules/GK015-cross-build.js';
import { GK016 } from '../../src/dockerfile/rules/GK016-offline-mistakes.js';
import { GK021 } from '../../src/dockerfile/rules/GK021-package-cache.js';
import { GK022 } from '../../src/dockerfile/rules/GK022-end-of-support.js';
import { haveOnPath } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';

const TODAY = '2026-11-26';
const run = (rule: Rule, df: string, context?: BuildContext): Finding[] =>
  lintDockerfile(df, { file: 'Dockerfile', today: TODAY, rules: [rule], ...(context ? { context } : {}) });
/** `rule@line severity` of every finding, GK000 (a rule that threw) included */
const found = (rule: Rule, df: string, context?: BuildContext) => run(rule, df, context).map((f) => `${f.rule}@${f.line} ${f.severity}`);

const goMod = (go: string): BuildContext => ({ goMod: parseGoMod(`module example.com/app\n\ngo ${go}\n`) });
const TLS: BuildContext = {
  sources: scanGoSources([{ path: 'main.go', text: 'package main\nimport "net/http"\nfunc main(){ http.Get("https://example.com") }' }]),
};
const USES_C: BuildContext = {
  goMod: parseGoMod('module example.com/app\n\ngo 1.26\n'),
  sources: scanGoSources([{ path: 'main.go', text: 'package main\n// int one(void){return 1;}\nimport "C"\nfunc main(){ _ = C.one() }' }]),
};

test('GK021: a cache mount at /var/cache/apk keeps the cache out; a bind mount there does not', () => {
  assert.deepEqual(found(GK021, 'FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk add ca-certificates'), []);
  assert.deepEqual(found(GK021, 'FROM alpine:3.22\nRUN --mount=type=bind,target=/var/cache/apk apk add ca-certificates'), [
    'GK021@2 warning',
  ]);
});

test('GK022: an out-of-support base is reported on its FROM only, not again on stages built from it', () => {
  assert.deepEqual(found(GK022, 'FROM debian:bullseye-slim AS base\nRUN true\nFROM base AS app\nRUN true\nFROM base'), ['GK022@1 warning']);
});

test('GK001: a builder on an Alpine release newer than the tables is offered as the runtime (no end of support known)', () => {
  // alpine 3.25 is past the knowledge snapshot: nothing says it is out of support, so it stays a cure
  const [f, ...rest] = run(
    GK001,
    'FROM golang:1.26-alpine3.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
  );
  assert.deepEqual(rest, []);
  assert.equal(f?.line, 3);
  assert.equal(f?.fix, 'use alpine:3.25 as the runtime, or golang:<go>-alpine3.22 as the builder');
});

test('GK002: a golang tag that names no Go release (golang:alpine) cannot be judged against go.mod', () => {
  assert.deepEqual(found(GK002, 'FROM golang:alpine\nRUN go build -o /app .', goMod('1.30')), []);
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nRUN go build -o /app .', goMod('1.30')), ['GK002@1 error']);
});

test("GK002: ENV GOTOOLCHAIN= (empty) is not local: go reads an empty variable as unset and takes go.env's default", () => {
  // the golang image sets GOTOOLCHAIN=local; an empty value hands the choice back to $GOROOT/go.env, which
  // is auto in Go's own distribution (the one the image ships), so go downloads the toolchain go.mod asks for
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nENV GOTOOLCHAIN=\nRUN go build -o /app .', goMod('1.23')), []);
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nENV GOTOOLCHAIN=local\nRUN go build -o /app .', goMod('1.23')), ['GK002@1 error']);
});

test('go itself treats GOTOOLCHAIN= like an unset GOTOOLCHAIN (the fact the GK002 case above rests on)', (t) => {
  if (!haveOnPath(t, 'go')) return;
  // a go env file of our own says auto: an empty variable must fall back to it, exactly as an unset one does
  const dir = scratchDir('gk002-gotoolchain-');
  const envFile = join(dir, 'env');
  writeFileSync(envFile, 'GOTOOLCHAIN=auto\n');
  const base: NodeJS.ProcessEnv = { ...process.env, GOENV: envFile, GOFLAGS: '' };
  delete base.GOTOOLCHAIN;
  const unset = spawnSync('go', ['env', 'GOTOOLCHAIN'], { env: base, cwd: dir, encoding: 'utf8' });
  const empty = spawnSync('go', ['env', 'GOTOOLCHAIN'], { env: { ...base, GOTOOLCHAIN: '' }, cwd: dir, encoding: 'utf8' });
  const local = spawnSync('go', ['env', 'GOTOOLCHAIN'], { env: { ...base, GOTOOLCHAIN: 'local' }, cwd: dir, encoding: 'utf8' });
  assert.equal(unset.status, 0, unset.stderr);
  assert.deepEqual([unset.stdout.trim(), empty.stdout.trim(), local.stdout.trim()], ['auto', 'auto', 'local']);
});

test('GK006: a hidden build (make) on golang:*-alpine, which has no gcc, cannot turn cgo on: nothing to say for scratch', () => {
  // since Go 1.20 cgo is off by default when no C compiler is found (go.dev/doc/go1.20)
  assert.deepEqual(found(GK006, 'FROM golang:1.26-alpine AS b\nRUN make build\nFROM scratch\nCOPY --from=b /app /app'), []);
  assert.deepEqual(found(GK006, 'FROM golang:1.26-bookworm AS b\nRUN make build\nFROM scratch\nCOPY --from=b /app /app'), ['GK006@2 info']);
});

test('GK006: a hidden build on a Debian golang image copied into a glibc runtime is not a libc mismatch', () => {
  assert.deepEqual(found(GK006, 'FROM golang:1.26-bookworm AS b\nRUN make build\nFROM debian:bookworm-slim\nCOPY --from=b /app /app'), []);
});

test('GK007: a hidden build on the same or an older glibc than the runtime has is fine', () => {
  assert.deepEqual(found(GK007, 'FROM golang:1.26-bookworm AS b\nRUN make build\nFROM debian:bookworm-slim\nCOPY --from=b /app /app'), []);
  assert.deepEqual(found(GK007, 'FROM golang:1.26-bookworm AS b\nRUN make build\nFROM debian:trixie-slim\nCOPY --from=b /app /app'), []);
  assert.deepEqual(found(GK007, 'FROM golang:1.26-bookworm AS b\nRUN make build\nFROM debian:bullseye-slim\nCOPY --from=b /app /app'), [
    'GK007@2 info',
  ]);
});

test('GK007: a builder whose glibc is known but not its OS release (distroless) gets a fix without a same-release runtime', () => {
  const df =
    'FROM gcr.io/distroless/cc-debian13 AS b\nENV CGO_ENABLED=1\nCOPY --from=golang:1.26 /usr/local/go /usr/local/go\n' +
    'RUN ["/usr/local/go/bin/go", "build", "-o", "/app", "."]\nFROM debian:bookworm-slim\nCOPY --from=b /app /app';
  const fs = run(GK007, df);
  assert.deepEqual(
    fs.map((f) => `${f.rule}@${f.line} ${f.severity}`),
    ['GK007@4 warning'],
  );
  assert.equal(fs[0]!.fix, 'a runtime with glibc 2.41 or newer; or CGO_ENABLED=0 when the program needs no C code');
});

test('GK010: a builder with no package manager gokiln knows is told to install ca-certificates, not to run apk', () => {
  for (const builder of ['busybox:1.36', 'example.com/builder:1']) {
    const fs = run(GK010, `FROM ${builder} AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app`, TLS);
    assert.deepEqual(
      fs.map((f) => `${f.rule}@${f.line}`),
      ['GK010@3'],
    );
    assert.ok(fs[0]!.fix.startsWith('install ca-certificates in the b stage, then COPY --from=b '), fs[0]!.fix);
  }
  const apt = run(GK010, 'FROM debian:bookworm AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', TLS);
  assert.ok(apt[0]!.fix.startsWith('RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates'), apt[0]!.fix);
});

test('GK015: cgo cross-compiled says the program uses cgo when the sources show it, and "if any package" when unknown', () => {
  const df =
    'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .';
  const known = run(GK015, df, USES_C);
  assert.deepEqual(
    known.map((f) => `${f.line} ${f.severity}`),
    ['3 error'],
  );
  assert.match(known[0]!.message, /: the program uses cgo \(/);
  const unknown = run(GK015, df);
  assert.deepEqual(
    unknown.map((f) => `${f.line} ${f.severity}`),
    ['3 warning'],
  );
  assert.match(unknown[0]!.message, /: if any package of the program uses cgo/);
});

test('GK015: a tool built natively on $BUILDPLATFORM for the build itself is not a cross-build mistake', () => {
  // stringer runs in the builder, on the build machine: built without GOARCH on purpose
  const df =
    'FROM --platform=$BUILDPLATFORM golang:1.26 AS tools\nRUN go install golang.org/x/tools/cmd/stringer@v0.30.0\n' +
    'FROM --platform=$BUILDPLATFORM golang:1.26 AS b\nARG TARGETOS TARGETARCH\nCOPY --from=tools /go/bin/stringer /usr/local/bin/\n' +
    'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .\nFROM scratch\nCOPY --from=b /app /app';
  assert.deepEqual(found(GK015, df), []);
  // the same builder without GOARCH, whose binary lands in the final image, is one
  assert.deepEqual(
    found(GK015, 'FROM --platform=$BUILDPLATFORM golang:1.26 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app'),
    ['GK015@2 error'],
  );
});

test('GK016: GOPROXY=direct is reported where it is set, and a go command with another proxy is not', () => {
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nENV GOPROXY=direct\nRUN go build -o /app .'), ['GK016@2 warning']);
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nRUN GOPROXY=https://proxy.golang.org,direct go build -o /app .'), []);
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nRUN GOPROXY=direct go build -o /app .'), ['GK016@2 warning']);
});
