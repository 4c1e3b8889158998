import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { buildModel } from '../../src/dockerfile/model.js';
import { buildsReaching } from '../../src/dockerfile/stage-graph.js';
import { defaultKnowledge } from '../../src/dockerfile/knowledge-adapter.js';
import { splitCommands } from '../../src/dockerfile/shell.js';
import { parseGoCommand, extldflagsStatic } from '../../src/dockerfile/go-command.js';
import { substitute } from '../../src/dockerfile/substitute.js';
import { parseImageRef } from '../../src/knowledge/image-ref.js';

const model = (text: string, buildArgs?: Record<string, string>) =>
  buildModel(text, buildArgs ? { knowledge: defaultKnowledge, buildArgs } : { knowledge: defaultKnowledge });

describe('shell splitting', () => {
  test('&&, ;, |, continuations and quotes', () => {
    const cmds = splitCommands('apk add --no-cache git && \\\n  CGO_ENABLED=0 go build -ldflags "-s -w" -o /app . ; echo "a && b" | tee x');
    assert.deepEqual(
      cmds.map((c) => c.words[0]),
      ['apk', 'go', 'echo', 'tee'],
    );
    assert.deepEqual(cmds[1]!.assignments, { CGO_ENABLED: '0' });
    assert.deepEqual(cmds[1]!.words, ['go', 'build', '-ldflags', '-s -w', '-o', '/app', '.']);
    assert.equal(cmds[1]!.line, 1);
    assert.deepEqual(cmds[2]!.words, ['echo', 'a && b']);
  });
  test('sh -c bodies and env wrappers are entered', () => {
    const cmds = splitCommands(`sh -c 'GOOS=linux go build .' && env CGO_ENABLED=1 go test ./...`);
    assert.equal(cmds.length, 2);
    assert.deepEqual(cmds[0]!.assignments, { GOOS: 'linux' });
    assert.deepEqual(cmds[1]!.assignments, { CGO_ENABLED: '1' });
    assert.equal(cmds[1]!.words[1], 'test');
  });
  test('comments and redirections do not become words', () => {
    const cmds = splitCommands('go build . > /dev/null 2>&1 # build it');
    assert.deepEqual(cmds[0]!.words, ['go', 'build', '.']);
  });
});

describe('go command', () => {
  test('flags with and without =, bool flags, packages', () => {
    const g = parseGoCommand(['build', '-a', '-trimpath', '-o', '/out/app', '-ldflags=-s -w', '--tags', 'netgo,osusergo', './cmd/app']);
    assert.equal(g.sub, 'build');
    assert.equal(g.flags.get('a'), true);
    assert.equal(g.flags.get('o'), '/out/app');
    assert.equal(g.flags.get('ldflags'), '-s -w');
    assert.equal(g.flags.get('tags'), 'netgo,osusergo');
    assert.deepEqual(g.packages, ['./cmd/app']);
    assert.equal(parseGoCommand(['mod', 'download', '-x']).sub, 'mod download');
  });
  test('-extldflags -static detection', () => {
    assert.equal(extldflagsStatic('-s -w -extldflags "-static"'), true);
    assert.equal(extldflagsStatic('-extldflags=-static'), true);
    assert.equal(extldflagsStatic("-linkmode external -extldflags '-static -lm'"), true);
    assert.equal(extldflagsStatic('-s -w'), false);
    assert.equal(extldflagsStatic('-extldflags "-Wl,--as-needed"'), false);
  });
});

describe('substitution and image refs', () => {
  test('forms of ${}', () => {
    const look = (n: string) => (({ A: '1', E: '' }) as Record<string, string>)[n];
    assert.equal(substitute('x${A}y$A', look).value, 'x1y1');
    assert.equal(substitute('${B:-def}', look).value, 'def');
    assert.equal(substitute('${E:-def}|${E-def}', look).value, 'def|');
    assert.equal(substitute('${A:+set}', look).value, 'set');
    assert.deepEqual(substitute('$NOPE', look).unresolved, ['NOPE']);
  });
  test('image references', () => {
    assert.deepEqual(parseImageRef('golang:1.23-alpine3.20'), {
      raw: 'golang:1.23-alpine3.20',
      repository: 'golang',
      tag: '1.23-alpine3.20',
    });
    const d = parseImageRef('gcr.io/distroless/static-debian12:nonroot@sha256:abc');
    assert.equal(d.registry, 'gcr.io');
    assert.equal(d.repository, 'distroless/static-debian12');
    assert.equal(d.tag, 'nonroot');
    assert.equal(d.digest, 'sha256:abc');
    assert.equal(parseImageRef('docker.io/library/alpine').repository, 'alpine');
    assert.equal(parseImageRef('localhost:5000/app:1').registry, 'localhost:5000');
  });
});

describe('model', () => {
  const df = [
    'ARG GO=1.23',
    'ARG ALPINE=3.20',
    'FROM --platform=$BUILDPLATFORM golang:${GO}-alpine${ALPINE} AS build',
    'ARG TARGETARCH',
    'ENV CGO_ENABLED=0',
    'WORKDIR /src',
    'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=bind,from=deps,source=/x,target=/y \\',
    '    go mod download && \\',
    '    GOARCH=$TARGETARCH go build -o bin/app ./cmd/app',
    'FROM alpine:${ALPINE} AS final',
    'COPY --from=build /src/bin/app /app',
  ].join('\n');
  test('FROM lines resolved with global ARG defaults and --build-arg overrides', () => {
    const m = model(df);
    assert.equal(m.stages[0]!.fromResolved, 'golang:1.23-alpine3.20');
    assert.equal(m.stages[1]!.fromResolved, 'alpine:3.20');
    const o = model(df, { ALPINE: '3.21' });
    assert.equal(o.stages[0]!.fromResolved, 'golang:1.23-alpine3.21');
    assert.equal(o.stages[1]!.fromResolved, 'alpine:3.21');
    assert.deepEqual(m.problems, []);
  });
  test('stages, names, final, edges, go commands with env and output paths', () => {
    const m = model(df);
    assert.equal(m.stages.length, 2);
    assert.equal(m.stages[0]!.name, 'build');
    assert.equal(m.final, m.stages[1]);
    assert.equal(m.stages[0]!.platform, '$BUILDPLATFORM');
    const run = m.stages[0]!.runs[0]!;
    assert.deepEqual(
      run.mounts.map((x) => [x.type, x.target, x.from]),
      [
        ['cache', '/go/pkg/mod', undefined],
        ['bind', '/y', 'deps'],
      ],
    );
    const gos = m.stages[0]!.goCommands;
    assert.deepEqual(
      gos.map((g) => g.sub),
      ['mod download', 'build'],
    );
    assert.equal(gos[1]!.line, 8);
    assert.equal(gos[1]!.env.CGO_ENABLED, '0');
    assert.equal(gos[1]!.env.GOARCH, '$TARGETARCH');
    assert.equal(gos[1]!.outputPath, '/src/bin/app');
    assert.equal(gos[1]!.cgo.on, false);
    assert.equal(m.stages[1]!.copies[0]!.fromStage, 0);
    assert.equal(buildsReaching(m, m.stages[1]!).length, 1);
  });
  test('heredoc bodies are read as the script', () => {
    const m = model('FROM golang:1.27\nRUN <<EOF\nset -e\nCGO_ENABLED=1 go build -o /a .\nEOF\n');
    const g = m.stages[0]!.goCommands[0]!;
    assert.equal(g.line, 3);
    assert.equal(g.cgo.on, true);
    assert.equal(g.cgo.explicit, true);
  });
  test('cgo default follows the builder image', () => {
    assert.equal(model('FROM golang:1.27-bookworm\nRUN go build .').stages[0]!.goCommands[0]!.cgo.on, true);
    assert.equal(model('FROM golang:1.27-alpine\nRUN go build .').stages[0]!.goCommands[0]!.cgo.on, false);
    assert.equal(model('FROM golang:1.27-alpine\nRUN apk add gcc musl-dev\nRUN go build .').stages[0]!.goCommands[0]!.cgo.on, true);
    assert.equal(model('FROM mycorp/go:1\nRUN go build .').stages[0]!.goCommands[0]!.cgo.on, undefined);
  });
  test('bad input is a problem with a line, never an exception', () => {
    const m = model('FROM alpine:3.20\nBOGUS x\nARG X\nFROM ${X}\nFROM');
    assert.deepEqual(
      m.problems.map((p) => p.line),
      [1, 3, 4],
    );
  });
});
