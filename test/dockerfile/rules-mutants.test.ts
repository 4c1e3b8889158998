/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules GK000–GK009, killed here (issue #20). Each
 * test lints with the one rule it is about (one-rule.ts) and compares every finding.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { found, goMod, run, USES_C } from './one-rule.js';
import { GK000 } from '../../src/dockerfile/rules/GK000-input.js';
import { GK001 } from '../../src/dockerfile/rules/GK001-alpine-drift.js';
import { GK002 } from '../../src/dockerfile/rules/GK002-go-older-than-gomod.js';
import { GK003 } from '../../src/dockerfile/rules/GK003-unpinned-base.js';
import { GK006 } from '../../src/dockerfile/rules/GK006-cgo-into-libcless.js';
import { GK007 } from '../../src/dockerfile/rules/GK007-glibc-newer-than-runtime.js';
import { haveOnPath } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';

const mod = (go: string) => ({ goMod: goMod(`module example.com/app\n\ngo ${go}\n`) });

test('GK000: a file copied from a stage that is only an image may come with that image; once the stage runs commands, that is not said', () => {
  const image = run(GK000, 'FROM ghcr.io/example/tools:1.0 AS tools\nFROM scratch\nCOPY --from=tools /opt/tool /tool');
  assert.deepEqual(
    image.map((f) => `${f.line} ${f.message}`),
    [
      '3 no visible command wrote /opt/tool in stage tools (it may come with its base image ghcr.io/example/tools:1.0); rules that judge the binary were not applied',
    ],
  );
  const ran = run(GK000, 'FROM ghcr.io/example/tools:1.0 AS tools\nRUN mkdir -p /data\nFROM scratch\nCOPY --from=tools /opt/tool /tool');
  assert.deepEqual(
    ran.map((f) => `${f.line} ${f.message}`),
    ['4 no visible command wrote /opt/tool in stage tools; rules that judge the binary were not applied'],
  );
});

test('GK001: a builder on an Alpine release newer than the tables is offered as the runtime (no end of support known)', () => {
  // alpine 3.25 is past the knowledge snapshot: nothing says it is out of support, so it stays a cure
  const fs = run(
    GK001,
    'FROM golang:1.26-alpine3.25 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
  );
  assert.deepEqual(
    fs.map((f) => `${f.line} ${f.severity} ${f.fix}`),
    ['3 warning use alpine:3.25 as the runtime, or golang:<go>-alpine3.22 as the builder'],
  );
});

test('GK001: a cgo binary on a runtime Alpine older than the tables (musl unknown, older than all listed) is an error', () => {
  const df =
    'FROM golang:1.26-alpine3.20 AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.11\nCOPY --from=b /app /app';
  const fs = run(GK001, df, USES_C);
  assert.deepEqual(
    fs.map((f) => `${f.line} ${f.severity}`),
    ['4 error'],
  );
  assert.match(fs[0]!.message, /links musl 1\.2\.5, newer than the older musl of Alpine 3\.11/);
});

test('GK001: a build hidden in make on an Alpine builder newer than the runtime: error when gcc makes cgo the default', () => {
  const b = (setup: string) => `FROM golang:1.26-alpine3.24 AS b\n${setup}RUN make build\nFROM alpine:3.20\nCOPY --from=b /app /app`;
  // Alpine 3.24 has musl 1.2.6, 3.20 has 1.2.5; with gcc (or build-base, or clang) and no CGO_ENABLED, cgo is on
  assert.deepEqual(found(GK001, b('RUN apk add gcc musl-dev\n')), ['GK001@4 error']);
  assert.deepEqual(found(GK001, b('RUN apk add build-base\n')), ['GK001@4 error']);
  assert.deepEqual(found(GK001, b('RUN apk add clang\n')), ['GK001@4 error']);
  // no C compiler, or cgo turned off (in ENV, or in the RUN that builds): only a warning that the releases differ
  assert.deepEqual(found(GK001, b('')), ['GK001@3 warning']);
  assert.deepEqual(found(GK001, b('RUN apk add gcc musl-dev\nENV CGO_ENABLED=0\n')), ['GK001@5 warning']);
  assert.deepEqual(found(GK001, b('RUN apk add gcc\n').replace('RUN make', 'RUN CGO_ENABLED=0 make')), ['GK001@4 warning']);
  // the same release in both stages: nothing drifts
  assert.deepEqual(found(GK001, b('RUN apk add build-base\n').replace('alpine:3.20', 'alpine:3.24')), []);
});

test('GK002: a golang tag that names no Go release (golang:alpine) cannot be judged against go.mod', () => {
  assert.deepEqual(found(GK002, 'FROM golang:alpine\nRUN go build -o /app .', mod('1.30')), []);
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nRUN go build -o /app .', mod('1.30')), ['GK002@1 error']);
});

test('GK002: a golang stage that runs no go command does not meet go.mod', () => {
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nCOPY app /app', mod('1.23')), []);
});

test("GK002: ENV GOTOOLCHAIN= (empty) is not local: go reads an empty variable as unset and takes go.env's default", () => {
  // the golang image sets GOTOOLCHAIN=local; an empty value hands the choice back to $GOROOT/go.env, which
  // is auto in Go's own distribution (the one the image ships), so go downloads the toolchain go.mod asks for
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nENV GOTOOLCHAIN=\nRUN go build -o /app .', mod('1.23')), []);
  assert.deepEqual(found(GK002, 'FROM golang:1.22\nENV GOTOOLCHAIN=local\nRUN go build -o /app .', mod('1.23')), ['GK002@1 error']);
});

test('go itself treats GOTOOLCHAIN= like an unset GOTOOLCHAIN (the fact the GK002 case above rests on)', (t) => {
  if (!haveOnPath(t, 'go')) return;
  // a go env file of our own says auto: an empty variable must fall back to it, exactly as an unset one does
  const dir = scratchDir('gk002-gotoolchain-');
  const envFile = join(dir, 'env');
  writeFileSync(envFile, 'GOTOOLCHAIN=auto\n');
  const base: NodeJS.ProcessEnv = { ...process.env, GOENV: envFile, GOFLAGS: '' };
  delete base.GOTOOLCHAIN;
  const goenv = (env: NodeJS.ProcessEnv) => spawnSync('go', ['env', 'GOTOOLCHAIN'], { env, cwd: dir, encoding: 'utf8' });
  const unset = goenv(base);
  assert.equal(unset.status, 0, unset.stderr);
  assert.deepEqual(
    [unset.stdout.trim(), goenv({ ...base, GOTOOLCHAIN: '' }).stdout.trim(), goenv({ ...base, GOTOOLCHAIN: 'local' }).stdout.trim()],
    ['auto', 'auto', 'local'],
  );
});

test('GK003: a tag that names no release is reported once per FROM, and the pin keeps the image family (musl stays musl)', () => {
  const one = (df: string) => run(GK003, df).map((f) => `${f.line} ${f.severity} ${f.fix}`);
  assert.deepEqual(one('FROM debian:stable-slim'), [
    '1 warning pin a version tag: FROM debian:trixie-slim; pin the digest too for reproducible builds',
  ]);
  assert.deepEqual(one('FROM golang:1-alpine'), [
    '1 warning pin a version tag: FROM golang:1.27-alpine3.24; pin the digest too for reproducible builds',
  ]);
  assert.deepEqual(one('FROM golang:alpine AS b'), [
    '1 warning pin a version tag: FROM golang:1.27-alpine3.24; pin the digest too for reproducible builds',
  ]);
  assert.deepEqual(one('FROM golang:1'), [
    '1 warning pin a version tag: FROM golang:1.27-trixie; pin the digest too for reproducible builds',
  ]);
  // a stage built FROM another stage has no base of its own to pin
  assert.deepEqual(one(`FROM alpine:3.22@sha256:${'a'.repeat(64)} AS base\nFROM base`), []);
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
  const b = (builder: string, runtime: string) => `FROM ${builder} AS b\nRUN make build\nFROM ${runtime}\nCOPY --from=b /app /app`;
  assert.deepEqual(found(GK007, b('golang:1.26-bookworm', 'debian:bookworm-slim')), []);
  assert.deepEqual(found(GK007, b('golang:1.26-bookworm', 'debian:trixie-slim')), []);
  assert.deepEqual(found(GK007, b('golang:1.26-bookworm', 'debian:bullseye-slim')), ['GK007@2 info']);
  // only a golang image's C toolchain makes cgo the default: debian:trixie has no gcc until installed
  assert.deepEqual(found(GK007, b('debian:trixie', 'debian:bookworm-slim')), []);
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
