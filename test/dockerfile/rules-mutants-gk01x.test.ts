/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules GK010–GK019, killed here (issue #20). Each
 * test lints with the one rule it is about (one-rule.ts) and compares every finding.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { found, goMod, run, TLS, USES_C } from './one-rule.js';
import { GK010 } from '../../src/dockerfile/rules/GK010-no-ca-certs.js';
import { GK012 } from '../../src/dockerfile/rules/GK012-runs-as-root.js';
import { GK013 } from '../../src/dockerfile/rules/GK013-no-cache-mount.js';
import { GK015 } from '../../src/dockerfile/rules/GK015-cross-build.js';
import { GK016 } from '../../src/dockerfile/rules/GK016-offline-mistakes.js';
import { GK017 } from '../../src/dockerfile/rules/GK017-go-install-unversioned.js';
import { GK018 } from '../../src/dockerfile/rules/GK018-cgo-alpine-no-gcc.js';
import { GK019 } from '../../src/dockerfile/rules/GK019-debug-final.js';

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

test('GK010: a runtime fed by a stage it copies from (no Go build seen) is told to copy the bundle from that stage', () => {
  const df =
    'FROM alpine:3.22 AS certs\nRUN apk add ca-certificates\nFROM scratch\nCOPY --from=certs /etc/passwd /etc/passwd\nCOPY app /app';
  assert.deepEqual(
    run(GK010, df, TLS).map((f) => `${f.line} ${f.fix}`),
    [
      '3 COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ (alpine:3.22 has the bundle), or use gcr.io/distroless/static-debian13:nonroot, which has it',
    ],
  );
});

test('GK012: an image gokiln does not know may set its own USER: nothing is said; a known image without USER runs as root', () => {
  assert.deepEqual(found(GK012, 'FROM example.com/app-base:1\nCOPY app /app'), []);
  assert.deepEqual(found(GK012, 'FROM busybox:glibc\nCOPY app /app'), ['GK012@1 warning']);
});

test('GK013: a vendored build (-mod=vendor, as a flag or in GOFLAGS) needs only the build cache mounted', () => {
  for (const df of [
    'FROM golang:1.27\nRUN go build -mod=vendor -o /app .',
    'FROM golang:1.27\nENV GOFLAGS=-mod=vendor\nRUN go build -o /app .',
  ])
    assert.deepEqual(
      run(GK013, df).map((f) => f.message),
      ['go build runs without a cache mount on /root/.cache/go-build'],
      df,
    );
});

test('GK015: go install on a native builder without GOARCH is the same mistake as go build', () => {
  assert.deepEqual(
    found(GK015, 'FROM --platform=$BUILDPLATFORM golang:1.26 AS b\nRUN go install ./cmd/app\nFROM scratch\nCOPY --from=b /go/bin/app /app'),
    ['GK015@2 error'],
  );
});

test('GK015: GOARCH from TARGETARCH set by ENV (not in the RUN line) on a builder pinned to one platform', () => {
  assert.deepEqual(
    found(GK015, 'FROM --platform=linux/amd64 golang:1.26 AS b\nARG TARGETARCH\nENV GOARCH=$TARGETARCH\nRUN go build -o /app .'),
    ['GK015@1 warning'],
  );
});

test('GK016: GOSUMDB=off is reported where it is set: ENV, inline, or exported in the RUN', () => {
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nENV GOSUMDB=off\nRUN go mod download'), ['GK016@2 warning']);
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nRUN export GOSUMDB=off && go mod download'), ['GK016@2 warning']);
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nRUN export GOPROXY=direct && go mod download'), ['GK016@2 warning']);
  assert.deepEqual(found(GK016, 'FROM golang:1.27\nRUN GOSUMDB=sum.golang.org go mod download'), []);
});

test('GK017: with a go.mod of another module, a tool outside it still needs @version', () => {
  const context = { goMod: goMod('module example.com/svc\n\ngo 1.27\n') };
  assert.deepEqual(found(GK017, 'FROM golang:1.27\nRUN go install github.com/swaggo/swag/cmd/swag', context), ['GK017@2 warning']);
  assert.deepEqual(found(GK017, 'FROM golang:1.27\nRUN go install example.com/svc/cmd/svc', context), []);
});

test('GK017: go get stopped installing in Go 1.18 itself (go.dev/doc/go1.18), not from 1.19', () => {
  assert.deepEqual(found(GK017, 'FROM golang:1.18\nRUN go get -u github.com/swaggo/swag/cmd/swag'), ['GK017@2 warning']);
  assert.deepEqual(found(GK017, 'FROM golang:1.17\nRUN go get -u github.com/swaggo/swag/cmd/swag'), []);
});

test('GK018: only golang:*-alpine lacks gcc: Debian golang images (also before the history) have it; gcc with musl-dev is enough', () => {
  assert.deepEqual(found(GK018, 'FROM golang:1.14\nRUN CGO_ENABLED=1 go build -o /app .'), []);
  assert.deepEqual(found(GK018, 'FROM golang:1.27-alpine\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .'), []);
  assert.deepEqual(
    run(GK018, 'FROM golang:1.27-alpine\nRUN apk add gcc\nRUN CGO_ENABLED=1 go build -o /app .').map((f) => `${f.line} ${f.fix}`),
    ['3 RUN apk add --no-cache musl-dev before the build'],
  );
});

test('GK010: ubuntu:latest as the builder (no release in the tag) is still apt; SSL_CERT_FILE or SSL_CERT_DIR in the runtime is a bundle', () => {
  const fs = run(GK010, 'FROM ubuntu:latest AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', TLS);
  assert.ok(fs.length === 1 && fs[0]!.fix.startsWith(`${APT} in the b stage`), JSON.stringify(fs));
  assert.deepEqual(found(GK010, 'FROM scratch\nENV SSL_CERT_FILE=/certs/ca.pem\nCOPY app /app', TLS), []);
  assert.deepEqual(found(GK010, 'FROM scratch\nENV SSL_CERT_DIR=/certs\nCOPY app /app', TLS), []);
});

test('GK012: a distroless tag gokiln cannot read leaves the user unknown: no claim; :latest runs as root', () => {
  assert.deepEqual(found(GK012, 'FROM gcr.io/distroless/static:v1.2\nCOPY app /app'), []);
  assert.deepEqual(found(GK012, 'FROM gcr.io/distroless/static:latest\nCOPY app /app'), ['GK012@1 warning']);
});

test('GK018: build-base brings both gcc and the musl headers', () => {
  assert.deepEqual(found(GK018, 'FROM golang:1.27-alpine\nRUN apk add build-base\nRUN CGO_ENABLED=1 go build -o /app .'), []);
});

test('GK018: clang named as CC (the tonistiigi/xx way) is the C compiler; with the musl headers nothing is missing', () => {
  assert.deepEqual(
    found(GK018, 'FROM golang:1.27-alpine\nRUN apk add clang lld musl-dev\nENV CC=clang\nRUN CGO_ENABLED=1 go build -o /app .'),
    [],
  );
});

test('GK017: an OS release older than the tables packages a Go before 1.18, whose go get still installs', () => {
  assert.deepEqual(found(GK017, 'FROM debian:jessie\nRUN go get -u github.com/swaggo/swag/cmd/swag'), []);
  assert.deepEqual(found(GK017, 'FROM debian:bookworm\nRUN go get -u github.com/swaggo/swag/cmd/swag'), ['GK017@2 warning']);
});

test('GK019: a debug tag on an image gokiln does not know is still a debug image in the final stage', () => {
  assert.deepEqual(found(GK019, 'FROM example.com/app:debug\nCOPY app /app'), ['GK019@1 warning']);
});

test('GK015: a pinned --platform without an architecture (linux, or linux/ which no builder accepts) is named whole', () => {
  const message = (platform: string) =>
    run(
      GK015,
      `FROM --platform=${platform} golang:1.26-bookworm AS b\nARG TARGETARCH\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .`,
    ).map((f) => /natively only on (\S+) build machines/.exec(f.message)?.[1]);
  assert.deepEqual(message('linux/arm64'), ['arm64']);
  assert.deepEqual(message('linux/'), ['linux/']);
  assert.deepEqual(message('linux'), ['linux']);
});

test('GK017: a path starting with @ is no module path (go refuses it): not reported as a tool without @version', () => {
  assert.deepEqual(found(GK017, 'FROM golang:1.27\nRUN go install @github.com/swaggo/swag/cmd/swag'), []);
  assert.deepEqual(found(GK017, 'FROM golang:1.27\nRUN go install github.com/swaggo/swag/cmd/swag'), ['GK017@2 warning']);
});

test('GK018: apk add gcc without musl-dev turns cgo on by default (the go command finds gcc) and leaves the headers out', () => {
  const f = run(GK018, 'FROM golang:1.27-alpine\nRUN apk add --no-cache gcc\nRUN go build -o /app .');
  assert.deepEqual(
    f.map((x) => [x.line, x.fix]),
    [[3, 'RUN apk add --no-cache musl-dev before the build, or build with CGO_ENABLED=0']],
  );
  assert.match(
    f[0]!.message,
    /^cgo on by default \(gcc is installed in the builder, so cgo defaults to on\) on golang:1\.27-alpine, which has no musl-dev: if any package .* the C headers are missing;/,
  );
  // CGO_ENABLED=0, or no gcc at all (cgo then defaults to off): nothing to compile C with, nothing said
  assert.deepEqual(found(GK018, 'FROM golang:1.27-alpine\nRUN apk add --no-cache gcc\nRUN CGO_ENABLED=0 go build -o /app .'), []);
  assert.deepEqual(found(GK018, 'FROM golang:1.27-alpine\nRUN go build -o /app .'), []);
  assert.deepEqual(found(GK018, 'FROM golang:1.27-alpine\nRUN apk add --no-cache gcc musl-dev\nRUN go build -o /app .'), []);
});
