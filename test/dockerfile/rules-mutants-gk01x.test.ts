/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules GK010–GK019, killed here (issue #20). Each
 * test lints with the one rule it is about (one-rule.ts) and compares every finding.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { found, run, TLS, USES_C } from './one-rule.js';
import { GK010 } from '../../src/dockerfile/rules/GK010-no-ca-certs.js';
import { GK015 } from '../../src/dockerfile/rules/GK015-cross-build.js';
import { GK016 } from '../../src/dockerfile/rules/GK016-offline-mistakes.js';
import { GK018 } from '../../src/dockerfile/rules/GK018-cgo-alpine-no-gcc.js';

const APT = 'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*';

test('GK010: the fix installs ca-certificates with the builder’s own package manager, and names none it does not know', () => {
  const fixFrom = (builder: string) => {
    const fs = run(GK010, `FROM ${builder} AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app`, TLS);
    assert.deepEqual(
      fs.map((f) => `${f.rule}@${f.line}`),
      ['GK010@3'],
    );
    return fs[0]!.fix;
  };
  const copy = 'COPY --from=b /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/';
  const distroless = 'or use gcr.io/distroless/static-debian13:nonroot, which has it';
  // busybox and an image gokiln does not know: no package manager to name
  for (const builder of ['busybox:1.36', 'example.com/builder:1'])
    assert.equal(fixFrom(builder), `install ca-certificates in the b stage, then ${copy}; ${distroless}`);
  // Debian by release, and debian:stable, whose release the tag does not say: apt-get either way
  for (const builder of ['debian:bookworm', 'debian:stable'])
    assert.equal(fixFrom(builder), `${APT} in the b stage, then ${copy}; ${distroless}`);
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

test('GK018: cgo on without gcc matters for the go commands that compile (build, install, test, run), not for go mod', () => {
  for (const cmd of ['build -o /app .', 'install ./cmd/app', 'test ./...', 'run ./cmd/gen'])
    assert.deepEqual(found(GK018, `FROM golang:1.27-alpine\nRUN CGO_ENABLED=1 go ${cmd}`), ['GK018@2 error'], cmd);
  for (const cmd of ['mod download', 'env GOPATH', 'version'])
    assert.deepEqual(found(GK018, `FROM golang:1.27-alpine\nRUN CGO_ENABLED=1 go ${cmd}`), [], cmd);
});
