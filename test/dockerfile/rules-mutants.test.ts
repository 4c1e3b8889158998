/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules GK000–GK009, killed here (issue #20). Each
 * test lints with the one rule it is about (one-rule.ts) and compares every finding.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { found, goMod, run, TODAY, USES_C } from './one-rule.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { defaultKnowledge } from '../../src/dockerfile/knowledge-adapter.js';
import { GK000 } from '../../src/dockerfile/rules/GK000-input.js';
import { GK001 } from '../../src/dockerfile/rules/GK001-alpine-drift.js';
import { GK002 } from '../../src/dockerfile/rules/GK002-go-older-than-gomod.js';
import { GK003 } from '../../src/dockerfile/rules/GK003-unpinned-base.js';
import { GK004 } from '../../src/dockerfile/rules/GK004-go-build-a.js';
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

test('GK000: one stage or several on an ARG without a default: "it" or "them"', () => {
  const one = run(GK000, 'ARG A\nFROM ${A}')[0]!.message;
  assert.ok(one.endsWith('were not applied to it'), one);
  const two = run(GK000, 'ARG A\nARG B\nFROM ${A} AS x\nFROM ${B}');
  assert.deepEqual(
    two.map((f) => `${f.line} ${f.severity}`),
    ['3 info'],
  );
  assert.ok(two[0]!.message.endsWith('were not applied to them'), two[0]!.message);
});

test('GK000: a file from a golang stage that no command wrote is not said to come with the image', () => {
  assert.deepEqual(
    run(GK000, 'FROM golang:1.27 AS sdk\nFROM scratch\nCOPY --from=sdk /opt/tool /tool').map((f) => f.message),
    ['no visible command wrote /opt/tool in stage sdk; rules that judge the binary were not applied'],
  );
});

test('GK001: on the day an Alpine release leaves support it is no longer offered as a cure', () => {
  // Alpine 3.21 support ends 2026-11-01 (its first day without support)
  const df = 'FROM golang:1.26-alpine3.21 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app';
  assert.deepEqual(
    run(GK001, df, undefined, '2026-10-31').map((f) => f.fix),
    ['use alpine:3.21 as the runtime, or golang:<go>-alpine3.22 as the builder'],
  );
  assert.deepEqual(
    run(GK001, df, undefined, '2026-11-01').map((f) => f.fix),
    ['use golang:<go>-alpine3.22 as the builder'],
  );
});

test('GK001: the cgo evidence is named: the setting, and the import "C" the sources show', () => {
  const df =
    'FROM golang:1.26-alpine3.24 AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.20\nCOPY --from=b /app /app';
  const [f, ...rest] = run(GK001, df, USES_C);
  assert.deepEqual(rest, []);
  assert.match(f!.message, /the binary is cgo \(CGO_ENABLED=1 set in the RUN line; main\.go has import "C"\) and links musl 1\.2\.6/);
});

test('GK001: a hidden build feeding a runtime Alpine older than the tables: error when gcc makes cgo the default', () => {
  const df = 'FROM golang:1.26-alpine3.24 AS b\nRUN apk add gcc musl-dev\nRUN make build\nFROM alpine:3.11\nCOPY --from=b /app /app';
  assert.deepEqual(found(GK001, df), ['GK001@4 error']);
});

test('GK001: a hidden build on a builder whose OS is unknown, or not Alpine, says nothing about Alpine drift', () => {
  for (const builder of ['example.com/builder:1', 'golang:1.26-bookworm'])
    assert.deepEqual(found(GK001, `FROM ${builder} AS b\nRUN make build\nFROM alpine:3.22\nCOPY --from=b /app /app`), [], builder);
});

test('GK003: the messages for no tag, latest and an ARG default; pins only for images gokiln knows', () => {
  const one = (df: string) => run(GK003, df).map((f) => `${f.line} ${f.severity} ${f.message} | ${f.fix}`);
  assert.deepEqual(one('FROM ubuntu'), [
    '1 warning ubuntu has no tag, so it means ubuntu:latest, which changes under you | pin a version tag: FROM ubuntu:26.04; pin the digest too for reproducible builds',
  ]);
  const generic = run(GK003, 'FROM nginx')[0]!.fix;
  assert.ok(generic.startsWith('pin a version tag (') && !generic.includes('ubuntu:26.04;'), generic);
  assert.deepEqual(
    run(GK003, 'FROM golang:latest').map((f) => f.message),
    ['golang:latest uses the moving tag latest'],
  );
  assert.deepEqual(
    run(GK003, 'ARG BASE=nginx\nFROM ${BASE}').map((f) => `${f.line} ${f.severity} ${f.fix}`),
    ['2 info pin the default (ARG BASE=nginx:<version>), and a version in the --build-arg BASE=… your build passes'],
  );
  // an ARG without a default: GK000 says the base is unknown; there is no tag to judge
  assert.deepEqual(found(GK003, 'ARG BASE\nFROM ${BASE}'), []);
});

test('GK006: the message by what the sources show, and the runtime by its libc', () => {
  const b = (runtime: string) => `FROM golang:1.26 AS b\nRUN go build -o /app .\nFROM ${runtime}\nCOPY --from=b /app /app`;
  const uses = run(GK006, b('scratch'), USES_C);
  assert.deepEqual(
    uses.map((f) => `${f.line} ${f.severity}`),
    ['2 error'],
  );
  assert.match(
    uses[0]!.message,
    /^cgo binary \(.*main\.go has import "C"\) is linked against glibc from golang:1\.26 and runs on scratch, which has no C library:/,
  );
  const unknown = run(GK006, b('alpine:3.22'));
  assert.deepEqual(
    unknown.map((f) => `${f.line} ${f.severity}`),
    ['2 error'],
  );
  assert.match(unknown[0]!.message, /^cgo is on \(.*\), so if any package .* on alpine:3\.22, which has musl;/);
});

test('GK006: a hidden build on a Debian golang image copied into a musl runtime is asked to say CGO_ENABLED', () => {
  assert.deepEqual(found(GK006, 'FROM golang:1.26-bookworm AS b\nRUN make build\nFROM alpine:3.22\nCOPY --from=b /app /app'), [
    'GK006@2 info',
  ]);
});

test('GK007: below what Go’s own C code needs: the fix asks for that glibc; a runtime whose glibc is unknown is not judged', () => {
  const df = (runtime: string) =>
    `FROM golang:1.26-bookworm AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM ${runtime}\nCOPY --from=b /app /app`;
  const fs = run(GK007, df('debian:bullseye-slim'));
  assert.deepEqual(
    fs.map((f) => `${f.line} ${f.severity}`),
    ['2 error'],
  );
  assert.equal(
    fs[0]!.fix,
    "run it on the builder's release: debian:bookworm-slim (glibc 2.36); or a runtime with glibc 2.34 or newer (what Go's own C code needs); or CGO_ENABLED=0 when the program needs no C code",
  );
  assert.deepEqual(found(GK007, df('debian:stable-slim')), []);
});

test('GK001: a builder on an Alpine release the tag does not number (golang:1.14-alpine) cannot be measured for drift', () => {
  assert.deepEqual(found(GK001, 'FROM golang:1.14-alpine AS b\nRUN make build\nFROM alpine:3.22\nCOPY --from=b /app /app'), []);
});

test('GK007: a runtime with exactly the glibc Go’s own C code needs runs it: a warning, not an error (the boundary)', () => {
  // the tables hold no runtime at glibc 2.34, so the boundary is checked with the need moved onto bullseye's 2.31
  const df = 'FROM golang:1.26-bookworm AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM debian:bullseye-slim\nCOPY --from=b /app /app';
  const lint = (need: string) =>
    lintDockerfile(df, {
      file: 'Dockerfile',
      today: TODAY,
      rules: [GK007],
      knowledge: { ...defaultKnowledge, goCgoGlibcNeed: () => need },
    }).map((f) => `${f.line} ${f.severity}`);
  assert.deepEqual(lint('2.31'), ['2 warning']);
  assert.deepEqual(lint('2.32'), ['2 error']);
});

test('GK002: a minor tag is the newest patch of that minor; a patch tag is compared patch by patch', () => {
  const lint = (tag: string, go: string) => found(GK002, `FROM golang:${tag}\nRUN go build -o /app .`, mod(go));
  assert.deepEqual(lint('1.22', '1.22.5'), []);
  assert.deepEqual(lint('1.22.5', '1.22.5'), []);
  assert.deepEqual(lint('1.22.4', '1.22.5'), ['GK002@1 error']);
  assert.deepEqual(lint('1.22', '1.23'), ['GK002@1 error']);
});

test('GK004: go install -a rebuilds everything just as go build -a does', () => {
  assert.deepEqual(found(GK004, 'FROM golang:1.27\nRUN go install -a ./cmd/app'), ['GK004@2 warning']);
});

test('GK006: build-base on golang:*-alpine brings gcc, so a hidden build defaults to cgo and links musl', () => {
  assert.deepEqual(
    found(GK006, 'FROM golang:1.26-alpine AS b\nRUN apk add build-base\nRUN make build\nFROM scratch\nCOPY --from=b /app /app'),
    ['GK006@3 info'],
  );
});

test('GK007: a glibc builder whose glibc version is unknown (golang:1.14, before the tables) is not judged', () => {
  assert.deepEqual(
    found(GK007, 'FROM golang:1.14 AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM debian:bullseye-slim\nCOPY --from=b /app /app'),
    [],
  );
});

test('GK006: gcc alone installed on golang:*-alpine makes cgo the default for a hidden build', () => {
  assert.deepEqual(
    found(GK006, 'FROM golang:1.26-alpine AS b\nRUN apk add gcc musl-dev\nRUN make build\nFROM scratch\nCOPY --from=b /app /app'),
    ['GK006@3 info'],
  );
});
