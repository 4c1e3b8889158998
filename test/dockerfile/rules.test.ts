// One-line cases per rule, in the spirit of hadolint's `ruleCatches`/`ruleCatchesNot`: each Dockerfile is
// written on one line with \n, and the expected line of the finding is checked where it matters.
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { RULES } from '../../src/dockerfile/registry.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { scanGoSources } from '../../src/dockerfile/sources.js';
import { DEFAULT_CONFIG, type LintConfig } from '../../src/dockerfile/config.js';
import type { BuildContext } from '../../src/dockerfile/model.js';
import type { Severity } from '../../src/dockerfile/types.js';
import { verdictFor, type BinaryFacts } from '../../src/analysis/verdict.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { NO_NEEDS } from '../../src/analysis/needs.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { haveOnPath } from '../truth/tools.js';
import { recommendedImages } from '../../src/knowledge/image-choice.js';
import { alpineRelease } from '../../src/knowledge/alpine.js';
import { goRelease } from '../../src/knowledge/go-releases.js';
import { debianRelease, ubuntuRelease } from '../../src/knowledge/distros.js';
import { distrolessImage } from '../../src/knowledge/distroless.js';
import { golangImage, newestGolangMinor } from '../../src/knowledge/golang-images.js';
import { supportedGoMinors } from '../../src/knowledge/go-releases.js';

interface Case {
  df: string;
  /** 1-based line the finding must be on */
  line?: number;
  severity?: Severity;
  context?: BuildContext;
  config?: Partial<LintConfig>;
  buildArgs?: Record<string, string>;
  today?: string;
}

const TODAY = '2026-11-26';
const mod = (text: string) => parseGoMod(text);
const goSrc = (text: string) => scanGoSources([{ path: 'main.go', text }]);
const CTX_TLS: BuildContext = { sources: goSrc('package main\nimport "net/http"\nfunc main(){ http.Get("https://example.com") }') };
const CTX_TZ: BuildContext = { sources: goSrc('package main\nimport "time"\nfunc main(){ time.LoadLocation("Europe/Berlin") }') };
const CTX_TZ_EMBED: BuildContext = {
  sources: goSrc('package main\nimport ("time"; _ "time/tzdata")\nfunc main(){ time.LoadLocation("Europe/Berlin") }'),
};
const CTX_PURE: BuildContext = {
  goMod: mod('module example.com/app\n\ngo 1.26\n'),
  sources: goSrc('package main\nimport "fmt"\nfunc main(){ fmt.Println("ok") }'),
};
const CTX_NET: BuildContext = {
  goMod: mod('module example.com/app\n\ngo 1.26\n'),
  sources: goSrc('package main\nimport "net/http"\nfunc main(){ http.ListenAndServe(":8080", nil) }'),
};
const CTX_C: BuildContext = {
  goMod: mod('module example.com/app\n\ngo 1.26\n'),
  sources: goSrc('package main\n// int one(void){return 1;}\nimport "C"\nfunc main(){ _ = C.one() }'),
};
const SQLITE: BuildContext = { goMod: mod('module x\n\ngo 1.23\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n') };
// the same go.mod with the sources: the command itself imports go-sqlite3, or only fmt
const SQLITE_USED: BuildContext = { ...SQLITE, sources: goSrc('package main\nimport _ "github.com/mattn/go-sqlite3"\nfunc main(){}') };
const SQLITE_UNUSED: BuildContext = { ...SQLITE, sources: goSrc('package main\nimport "fmt"\nfunc main(){ fmt.Println() }') };

const catches: Record<string, Case[]> = {
  GK000: [
    { df: 'FROM alpine:3.20\nFOO bar', line: 2 },
    { df: 'ARG BASE\nFROM ${BASE}', line: 2 },
    { df: 'RUN echo hi\nFROM alpine:3.20', line: 1 },
    { df: 'FROM alpine:3.20\nCMD ["/app", 8080]', line: 2 },
    { df: '' },
  ],
  GK001: [
    {
      df: 'FROM golang:1.23-alpine3.20 AS b\nRUN go build -o /app .\nFROM alpine:3.21\nCOPY --from=b /app /app',
      line: 3,
      severity: 'warning',
    },
    // same musl (1.2.5 on both): the cgo binary runs; only its other C libraries may differ
    {
      df: 'FROM golang:1.23-alpine3.20 AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.21\nCOPY --from=b /app /app',
      line: 4,
      severity: 'warning',
    },
    // musl 1.2.6 (3.24) -> 1.2.5 (3.23): an older musl than the one linked against
    {
      df: 'FROM golang:1.27-alpine3.24 AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.23\nCOPY --from=b /app /app',
      line: 4,
      severity: 'error',
    },
    // the other way: a newer musl runs what an older one linked
    {
      df: 'FROM golang:1.27-alpine3.23 AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app',
      line: 4,
      severity: 'warning',
    },
    // cgo on, but no package uses it: static, so a warning even towards an older musl
    {
      df: 'FROM golang:1.27-alpine3.24 AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:3.23\nCOPY --from=b /app /app',
      context: CTX_PURE,
      line: 4,
      severity: 'warning',
    },
    {
      df: 'FROM golang:1.23-alpine3.19 AS b\nRUN go build -o /app .\nFROM alpine:3.21\nCOPY --from=b /app /app',
      config: { allowedDrift: { alpineMinor: 1 } },
      line: 3,
    },
    {
      df: 'FROM alpine:3.20 AS b\nRUN apk add --no-cache go && go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
      line: 3,
      severity: 'warning',
    },
  ],
  GK002: [
    { df: 'FROM golang:1.22-alpine\nRUN go build .', context: { goMod: mod('module x\n\ngo 1.23.1\n') }, line: 1 },
    { df: 'FROM golang:1.23.0\nRUN go build .', context: { goMod: mod('module x\n\ngo 1.23.4\n') }, line: 1 },
    // golang:1.21.1 and later set GOTOOLCHAIN=local
    { df: 'FROM golang:1.21.1\nRUN go build .', context: { goMod: mod('module x\n\ngo 1.21.4\n') }, line: 1 },
  ],
  GK003: [
    { df: 'FROM alpine\nRUN true', line: 1, severity: 'warning' },
    { df: 'FROM golang:latest\nRUN go build .', line: 1, severity: 'warning' },
    { df: 'FROM alpine:3.20', line: 1, severity: 'info' },
  ],
  GK004: [
    { df: 'FROM golang:1.27\nRUN go build -a -o /app .', line: 2 },
    { df: 'FROM golang:1.27\nRUN go mod download && \\\n    CGO_ENABLED=0 go build -a -o /app .', line: 3 },
  ],
  GK005: [
    { df: 'FROM golang:1.27\nRUN CGO_ENABLED=0 go build -ldflags \'-s -w -extldflags "-static"\' -o /app .', line: 2 },
    { df: 'FROM golang:1.27-alpine\nRUN go build -ldflags="-extldflags=-static" -o /app .', line: 2 },
  ],
  GK006: [
    { df: 'FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT ["/app"]', line: 2 },
    { df: 'FROM golang:1.27-bookworm AS b\nRUN go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app', line: 2 },
    {
      df: 'FROM golang:1.27-alpine AS b\nRUN apk add gcc musl-dev && CGO_ENABLED=1 go build -o /app .\nFROM gcr.io/distroless/static-debian13\nCOPY --from=b /app /app',
      line: 2,
    },
    { df: 'FROM golang:1.27 AS b\nRUN make build\nFROM scratch\nCOPY --from=b /src/app /app', line: 2, severity: 'info' },
    {
      df: 'FROM golang:1.27 AS b\nRUN go build -o /app .\nFROM scratch AS prod\nCOPY --from=b /app /app\nFROM gcr.io/distroless/base-debian13\nCOPY --from=b /app /app',
      line: 2,
    },
    // the context shows a package that uses cgo (net/http → net)
    { df: 'FROM golang:1.26 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_NET, line: 2 },
  ],
  GK007: [
    { df: 'FROM golang:1.23-bookworm AS b\nRUN go build -o /app .\nFROM debian:bullseye-slim\nCOPY --from=b /app /app', line: 2 },
    {
      df: 'FROM golang:1.27-trixie AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=b /app /app',
      line: 2,
    },
    {
      df: 'FROM golang:1.27-trixie AS b\nRUN ./build.sh\nFROM debian:bookworm-slim\nCOPY --from=b /out/app /app',
      line: 2,
      severity: 'info',
    },
    // above the GLIBC_2.34 floor of Go's own C code: only the program's C code can need more (warning)
    {
      df: 'FROM golang:1.26-bookworm AS b\nRUN go build -o /app .\nFROM ubuntu:22.04\nCOPY --from=b /app /app',
      line: 2,
      severity: 'warning',
    },
    {
      df: 'FROM golang:1.26-trixie AS b\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
      context: CTX_C,
      line: 2,
      severity: 'warning',
    },
    // below it: runtime/cgo needs GLIBC_2.34
    {
      df: 'FROM golang:1.26-bookworm AS b\nRUN go build -o /app .\nFROM ubuntu:20.04\nCOPY --from=b /app /app',
      context: CTX_NET,
      line: 2,
      severity: 'error',
    },
  ],
  GK008: [
    { df: 'FROM scratch\nCOPY app /app\nENTRYPOINT /app', line: 3 },
    { df: 'FROM gcr.io/distroless/static-debian13:nonroot\nCMD /app serve', line: 2 },
    { df: 'FROM scratch\nHEALTHCHECK CMD /app health', line: 2 },
    // JSON that does not parse is shell form to Docker (BuildKit parseMaybeJSON)
    { df: 'FROM scratch\nCOPY app /app\nCMD ["/app", ', line: 3 },
    { df: 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app", ', line: 3 },
    { df: "FROM gcr.io/distroless/static-debian13\nENTRYPOINT ['/app']", line: 2 },
    { df: 'FROM scratch\nHEALTHCHECK CMD ["/app", "health",]', line: 2 },
  ],
  GK009: [
    { df: 'FROM scratch\nRUN mkdir /data', line: 2 },
    { df: 'FROM scratch\nRUN ["/app", "--selftest"', line: 2 },
    { df: 'FROM gcr.io/distroless/static-debian13:debug\nRUN ls', line: 2 },
  ],
  GK010: [
    { df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_TLS, line: 3 },
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:trixie-slim\nCOPY --from=b /app /app',
      context: CTX_TLS,
      line: 3,
    },
  ],
  GK011: [
    { df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_TZ, line: 3 },
    {
      df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app',
      context: CTX_TZ,
      line: 3,
      severity: 'error',
    },
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
      context: { sources: goSrc('package main\nimport "time"\nfunc load(z string){ time.LoadLocation(z) }') },
      line: 3,
      severity: 'warning',
    },
  ],
  GK012: [
    { df: 'FROM alpine:3.22\nCOPY app /app', line: 1 },
    { df: 'FROM alpine:3.22\nUSER root', line: 2 },
    { df: 'FROM gcr.io/distroless/static-debian13', line: 1 },
    { df: 'FROM scratch\nUSER 0:0', line: 2 },
  ],
  GK026: [
    { df: 'FROM alpine:3.24\nCOPY app /app\nUSER nonroot', line: 3 },
    { df: 'FROM scratch\nCOPY app /app\nUSER nobody', line: 3 },
    { df: 'FROM debian:trixie-slim\nUSER app\nENTRYPOINT ["/app"]', line: 2 },
    { df: 'FROM scratch\nUSER 65532:nonroot', line: 2 },
    { df: 'FROM gcr.io/distroless/static-debian13\nUSER nonroot:app', line: 2 },
    // a builder stage: the RUN after USER is where the build stops
    { df: 'FROM golang:1.26-alpine AS b\nUSER builder\nRUN go build -o /app .', line: 2 },
  ],
  GK013: [
    { df: 'FROM golang:1.27\nRUN go mod download', line: 2 },
    { df: 'FROM golang:1.27\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /app .', line: 2 },
  ],
  GK014: [
    { df: 'FROM golang:1.27\nWORKDIR /src\nCOPY . .\nRUN go mod download', line: 3 },
    { df: 'FROM golang:1.27\nADD . /src\nRUN go mod download && go build .', line: 2 },
  ],
  GK015: [
    { df: 'FROM --platform=$BUILDPLATFORM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .', line: 2 },
    // cgo cross-compiled with the host gcc
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
      context: CTX_C,
      line: 3,
      severity: 'error',
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nENV CGO_ENABLED=1 GOARCH=$TARGETARCH\nRUN go build -o /app .',
      context: CTX_NET,
      line: 4,
      severity: 'error',
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
      line: 3,
      severity: 'warning',
    },
    {
      df: 'FROM --platform=linux/amd64 golang:1.26-bookworm AS b\nARG TARGETARCH\nRUN CGO_ENABLED=1 GOARCH=$TARGETARCH go build -o /app .',
      context: CTX_C,
      line: 3,
      severity: 'error',
    },
    // GOARCH from the target however it is spelled: exported in the script (with the assignment or after it), or cut out of TARGETPLATFORM
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN export GOARCH=$TARGETARCH && CGO_ENABLED=1 go build -o /app .',
      context: CTX_C,
      line: 3,
      severity: 'error',
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETPLATFORM\nRUN CGO_ENABLED=1 GOARCH=${TARGETPLATFORM#linux/} go build -o /app .',
      context: CTX_C,
      line: 3,
      severity: 'error',
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN GOARCH=$TARGETARCH; export GOARCH; CGO_ENABLED=1 go build -o /app .',
      context: CTX_C,
      line: 3,
      severity: 'error',
    },
    { df: 'FROM --platform=$BUILDPLATFORM golang:1.27 AS b\nRUN GOARCH=$TARGETARCH go build -o /app .', line: 2 },
    { df: 'FROM golang:1.27 AS b\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .', line: 1, severity: 'warning' },
  ],
  GK016: [
    { df: 'FROM golang:1.27\nENV GOPROXY=direct', line: 2 },
    { df: 'FROM golang:1.27\nRUN GOSUMDB=off go mod download', line: 2 },
    {
      df: 'FROM golang:1.27\nRUN go build -mod=vendor -o /app .',
      context: { goMod: mod('module x\n\ngo 1.27\n'), hasVendor: false },
      line: 2,
      severity: 'error',
    },
  ],
  GK017: [
    { df: 'FROM golang:1.27\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint', line: 2 },
    { df: 'FROM golang:1.27\nRUN go get -u github.com/swaggo/swag/cmd/swag', line: 2 },
    { df: 'FROM golang:1.27\nRUN go install golang.org/x/tools/cmd/stringer@latest', line: 2, severity: 'warning' },
    // Alpine 3.16 packages go 1.18, where go get stopped installing (pkgs.alpinelinux.org, package go)
    { df: 'FROM alpine:3.16\nRUN apk add --no-cache go && go get github.com/swaggo/swag/cmd/swag', line: 2 },
    // a go.mod copied in picks the version; copying another file (or go.mod after the install) does not
    { df: 'FROM golang:1.27\nWORKDIR /src\nCOPY main.go ./\nRUN go install github.com/swaggo/swag/cmd/swag', line: 4 },
    { df: 'FROM golang:1.27\nWORKDIR /src\nRUN go install github.com/swaggo/swag/cmd/swag\nCOPY go.mod ./', line: 3 },
  ],
  GK018: [
    { df: 'FROM golang:1.27-alpine\nRUN CGO_ENABLED=1 go build -o /app .', line: 2 },
    { df: 'FROM golang:1.27-alpine\nENV CGO_ENABLED=1\nRUN apk add --no-cache gcc\nRUN go build -o /app .', line: 4 },
    // the context shows a package that uses cgo (net/http → net)
    { df: 'FROM golang:1.27-alpine\nRUN CGO_ENABLED=1 go build -o /app .', context: CTX_NET, line: 2 },
  ],
  GK019: [{ df: 'FROM gcr.io/distroless/static-debian13:debug-nonroot\nCOPY app /app', line: 1 }],
  GK020: [{ df: 'FROM alpine:3.22\nEXPOSE 8080 6060', line: 2 }],
  GK021: [
    { df: 'FROM alpine:3.22\nRUN apk add ca-certificates', line: 2 },
    { df: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y ca-certificates', line: 2 },
  ],
  GK022: [
    { df: 'FROM golang:1.22-alpine3.20\nRUN go build .', line: 1 },
    { df: 'FROM alpine:3.19', line: 1 },
    { df: 'FROM debian:bullseye-slim', line: 1 },
    { df: 'FROM debian:bookworm-slim', line: 1, severity: 'info' },
    // ESM needs Ubuntu Pro: the public image gets no fixes
    { df: 'FROM ubuntu:20.04', line: 1, severity: 'warning' },
    { df: 'FROM alpine:3.21', today: '2026-11-01', line: 1 },
  ],
  GK023: [
    { df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app', context: SQLITE, line: 2 },
    {
      df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app',
      context: SQLITE_USED,
      line: 2,
    },
  ],
  GK024: [{ df: 'FROM quay.io/prometheus/busybox:latest', config: { trustedRegistries: ['docker.io', 'gcr.io'] }, line: 1 }],
  GK027: [
    { df: 'FROM golang:1.27-alpine3.24\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]', line: 1, severity: 'warning' },
    // the build stage left last: the runtime above it is not what ships
    { df: 'FROM alpine:3.24 AS rt\nFROM golang:1.27 AS build\nRUN go build -o /app .', line: 2 },
    // a stage built on the golang stage is the SDK image too
    { df: 'FROM golang:1.27 AS build\nRUN go build -o /app .\nFROM build AS dev\nCMD ["/app"]', line: 1 },
  ],
  GK025: [
    { df: 'FROM golang:1.27\nRUN GOAMD64=v3 CGO_ENABLED=0 go build -o /app .', line: 2, severity: 'info' },
    { df: 'FROM golang:1.27\nENV GOAMD64=v2\nRUN go build -o /app .', line: 3 },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.27\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH GOAMD64=v4 go build -o /app .',
      line: 3,
    },
  ],
};

const catchesNot: Record<string, Case[]> = {
  GK000: [
    { df: 'ARG GO=1.27\nFROM golang:${GO}-alpine\nRUN go version' },
    { df: 'ARG BASE\nFROM ${BASE}', buildArgs: { BASE: 'alpine:3.22' } },
  ],
  GK001: [
    { df: 'FROM golang:1.23-alpine3.21 AS b\nRUN go build -o /app .\nFROM alpine:3.21\nCOPY --from=b /app /app' },
    {
      df: 'FROM golang:1.23-alpine3.20 AS b\nRUN go build -o /app .\nFROM alpine:3.21\nCOPY --from=b /app /app',
      config: { allowedDrift: { alpineMinor: 1 } },
    },
    {
      df: 'FROM golang:1.23-alpine3.20 AS b\nRUN go build -o /app .\nFROM alpine:3.21 AS tools\nRUN apk add --no-cache curl\nFROM scratch\nCOPY --from=b /app /app',
    },
  ],
  GK002: [
    { df: 'FROM golang:1.23-alpine\nRUN go build .', context: { goMod: mod('module x\n\ngo 1.23.4\n') } },
    { df: 'FROM golang:1.22\nENV GOTOOLCHAIN=auto\nRUN go build .', context: { goMod: mod('module x\n\ngo 1.23\n') } },
    // golang:1.21.0 was last built before the image set GOTOOLCHAIN=local: go downloads go1.21.4 itself
    { df: 'FROM golang:1.21.0\nRUN go build .', context: { goMod: mod('module x\n\ngo 1.21.4\n') } },
  ],
  GK003: [
    { df: 'FROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000' },
    { df: 'FROM scratch' },
    { df: 'FROM alpine:3.20', config: { trustedRegistries: ['docker.io'] } },
    { df: 'FROM golang:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS b\nFROM b' },
  ],
  GK004: [
    { df: 'FROM golang:1.27\nRUN go build -o /app .' },
    { df: 'FROM golang:1.27\nRUN go build -o /app -asmflags=all=-trimpath=/src .' },
  ],
  GK005: [
    { df: 'FROM golang:1.27\nRUN CGO_ENABLED=1 go build -ldflags \'-linkmode external -extldflags "-static"\' -o /app .' },
    { df: 'FROM golang:1.27\nRUN CGO_ENABLED=0 go build -ldflags "-s -w" -o /app .' },
  ],
  GK006: [
    { df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app' },
    { df: 'FROM golang:1.27 AS b\nENV CGO_ENABLED=0\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app' },
    { df: 'FROM golang:1.27-bookworm AS b\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=b /app /app' },
    { df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app' },
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /tool ./cmd/tool && go build -o /app .\nFROM scratch\nCOPY --from=b /tool /tool',
    },
    { df: 'FROM golang:1.27 AS b\nENV CGO_ENABLED=0\nRUN make build\nFROM scratch\nCOPY --from=b /src/app /app' },
    // cgo on, but no package uses it: the binary is static (test/dockerfile/cgo-linkage.test.ts builds it)
    { df: 'FROM golang:1.26 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_PURE },
    { df: 'FROM golang:1.26 AS b\nRUN go build -tags netgo -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_NET },
  ],
  GK007: [
    { df: 'FROM golang:1.23-bullseye AS b\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app' },
    { df: 'FROM golang:1.23-bookworm AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:bullseye-slim\nCOPY --from=b /app /app' },
    { df: 'FROM golang:1.27-trixie AS b\nENV CGO_ENABLED=0\nRUN ./build.sh\nFROM debian:bookworm-slim\nCOPY --from=b /out/app /app' },
    { df: 'FROM golang:1.23-bookworm AS b\nRUN go build -o /app .\nFROM debian:bullseye-slim\nCOPY --from=b /app /app', context: CTX_PURE },
    { df: 'FROM golang:1.26-bookworm AS b\nRUN go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=b /app /app', context: CTX_C },
  ],
  GK008: [
    { df: 'FROM scratch\nENTRYPOINT ["/app"]' },
    { df: 'FROM scratch\nCMD ["/app", \\\n  "serve"]' },
    { df: 'FROM scratch\nENTRYPOINT ["/app", \\\n# a comment inside the continuation\n  "serve"]' },
    // `[` is the test command: in an image with a shell this is an ordinary shell-form CMD
    { df: 'FROM alpine:3.22\nCMD [ -f /etc/app.conf ] && exec /app' },
    { df: 'FROM alpine:3.22\nENTRYPOINT /app' },
    { df: 'FROM gcr.io/distroless/static-debian13\nHEALTHCHECK CMD ["/app", "health"]' },
  ],
  GK009: [
    { df: 'FROM alpine:3.22\nRUN mkdir /data' },
    { df: 'FROM scratch\nRUN ["/app", "--selftest"]' },
    { df: 'FROM scratch\nRUN ["/app", \\\n  "--selftest"]' },
  ],
  GK010: [
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=b /app /app',
      context: CTX_TLS,
    },
    { df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_TZ },
    { df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app' },
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian13\nCOPY --from=b /app /app',
      context: CTX_TLS,
    },
  ],
  GK011: [
    { df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app', context: CTX_TZ_EMBED },
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -tags timetzdata -o /app .\nFROM scratch\nCOPY --from=b /app /app',
      context: CTX_TZ,
    },
    {
      df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.22\nRUN apk add --no-cache tzdata\nCOPY --from=b /app /app',
      context: CTX_TZ,
    },
    {
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /usr/share/zoneinfo /usr/share/zoneinfo\nCOPY --from=b /app /app',
      context: CTX_TZ,
    },
  ],
  GK012: [
    { df: 'FROM alpine:3.22\nUSER 65532:65532' },
    { df: 'FROM gcr.io/distroless/static-debian13:nonroot' },
    { df: 'FROM alpine:3.22\nUSER root\nRUN apk add --no-cache curl\nUSER app' },
  ],
  GK026: [
    { df: 'FROM alpine:3.24\nUSER 10001:10001' },
    { df: 'FROM scratch\nUSER 65532' },
    { df: 'FROM gcr.io/distroless/static-debian13\nUSER nonroot:nonroot' },
    { df: 'FROM alpine:3.24\nUSER nobody' },
    { df: 'FROM alpine:3.24\nRUN addgroup -S app && adduser -S app -G app\nUSER app:app' },
    { df: 'FROM debian:trixie-slim AS base\nRUN useradd --system app\nFROM base\nUSER app' },
    { df: 'FROM golang:1.26 AS b\nRUN useradd app\nFROM scratch\nCOPY --from=b /etc/passwd /etc/passwd\nUSER app' },
    { df: 'FROM ubuntu:24.04\nUSER ubuntu' },
    { df: 'FROM example.com/team/base:1\nUSER app' },
    { df: 'FROM alpine:3.24\nARG U\nUSER ${U}' },
    // USER in a builder with nothing run after it is never resolved
    { df: 'FROM golang:1.26-alpine AS b\nRUN go build -o /app .\nUSER builder\nFROM scratch\nCOPY --from=b /app /app\nUSER 65532' },
  ],
  GK013: [
    {
      df: 'FROM golang:1.27\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .',
    },
    { df: 'FROM golang:1.27\nENV GOCACHE=/cache/build GOMODCACHE=/cache/mod\nRUN --mount=type=cache,target=/cache go build -o /app .' },
    { df: 'FROM golang:1.27\nRUN go version' },
  ],
  GK014: [
    { df: 'FROM golang:1.27\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build .' },
    { df: 'FROM golang:1.27\nCOPY . .\nRUN go build .' },
  ],
  GK015: [
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.27 AS b\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
    },
    { df: 'FROM golang:1.27 AS b\nRUN go build -o /app .' },
    { df: 'FROM --platform=$BUILDPLATFORM golang:1.27 AS b\nARG TARGETARCH\nENV GOARCH=$TARGETARCH\nRUN go build -o /app .' },
    // a cross compiler is named, or cgo stays off, or nothing uses cgo, or cgo is on by default only (go turns it off when cross-compiling)
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
      context: CTX_C,
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nCOPY --from=tonistiigi/xx / /\nARG TARGETPLATFORM\nRUN CGO_ENABLED=1 xx-go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
      context: CTX_C,
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
      context: CTX_PURE,
    },
    {
      df: 'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
      context: CTX_C,
    },
    { df: 'FROM golang:1.26-bookworm AS b\nRUN CGO_ENABLED=1 go build -o /app .', context: CTX_C },
  ],
  GK016: [
    {
      df: 'FROM golang:1.27\nENV GOPROXY=https://proxy.golang.org,direct GOFLAGS=-mod=vendor\nRUN go build .',
      context: { goMod: mod('module x\n\ngo 1.27\n'), hasVendor: true },
    },
    { df: 'FROM golang:1.27\nRUN go build -mod=vendor .' },
  ],
  GK017: [
    { df: 'FROM golang:1.27\nRUN go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.64.8' },
    { df: 'FROM golang:1.27\nRUN go install ./cmd/app' },
    { df: 'FROM golang:1.27\nRUN go install example.com/svc/cmd/svc', context: { goMod: mod('module example.com/svc\n\ngo 1.27\n') } },
    // Alpine 3.15 packages go 1.17, whose go get still builds and installs
    { df: 'FROM alpine:3.15\nRUN apk add --no-cache go && go get github.com/swaggo/swag/cmd/swag' },
    // go.mod in the working directory (copied alone, or with the whole context) picks the tool's version
    { df: 'FROM golang:1.27\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go install github.com/swaggo/swag/cmd/swag' },
    { df: 'FROM golang:1.27\nWORKDIR /src\nCOPY . .\nRUN go install github.com/swaggo/swag/cmd/swag' },
    { df: 'FROM golang:1.27\nWORKDIR /src\nCOPY ./ ./\nRUN go install github.com/swaggo/swag/cmd/swag' },
  ],
  GK018: [
    // cgo on, but no package of the program uses it: go build never runs the C compiler
    { df: 'FROM golang:1.27-alpine\nRUN CGO_ENABLED=1 go build -o /app .', context: CTX_PURE },
    { df: 'FROM golang:1.27-alpine\nRUN apk add --no-cache gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .' },
    { df: 'FROM golang:1.27-alpine\nRUN apk add --no-cache build-base && CGO_ENABLED=1 go build -o /app .' },
    { df: 'FROM golang:1.27\nRUN CGO_ENABLED=1 go build -o /app .' },
  ],
  GK019: [{ df: 'FROM gcr.io/distroless/static-debian13:debug AS dbg\nFROM gcr.io/distroless/static-debian13:nonroot' }],
  GK020: [{ df: 'FROM alpine:3.22\nEXPOSE 8080' }, { df: 'FROM alpine:3.22 AS dev\nEXPOSE 6060\nFROM alpine:3.22\nEXPOSE 8080' }],
  GK021: [
    { df: 'FROM alpine:3.22\nRUN apk add --no-cache ca-certificates' },
    { df: 'FROM golang:1.27-alpine AS b\nRUN apk add git\nFROM scratch\nCOPY --from=b /app /app' },
    {
      df: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*',
    },
    { df: 'FROM golang:1.27-alpine AS b\nRUN apk add git\nFROM b AS test\nRUN go test ./...\nFROM scratch\nCOPY --from=b /app /app' },
  ],
  GK022: [
    { df: 'FROM golang:1.27-alpine3.24\nRUN go build .' },
    { df: 'FROM alpine:3.21', today: '2026-10-31' },
    { df: 'FROM debian:trixie-slim' },
  ],
  GK023: [
    { df: 'FROM golang:1.27-bookworm AS b\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app', context: SQLITE },
    { df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app' },
    // go.mod requires it, but the command built does not import it: not linked, no stub
    { df: 'FROM golang:1.27-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.24\nCOPY --from=b /app /app', context: SQLITE_UNUSED },
  ],
  GK024: [{ df: 'FROM gcr.io/distroless/static-debian13', config: { trustedRegistries: ['gcr.io'] } }, { df: 'FROM quay.io/x/y:1' }],
  GK027: [
    { df: 'FROM golang:1.27 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app' },
    { df: 'FROM alpine:3.24\nCOPY app /app' },
  ],
  GK025: [
    { df: 'FROM golang:1.27\nRUN CGO_ENABLED=0 go build -o /app .' },
    { df: 'FROM golang:1.27\nRUN GOAMD64=v1 go build -o /app .' },
    // GOAMD64 does nothing for another architecture
    { df: 'FROM golang:1.27\nRUN GOARCH=arm64 GOAMD64=v3 go build -o /app .' },
    { df: 'FROM golang:1.27\nENV GOAMD64=v3\nRUN go vet ./...' },
  ],
};

function run(c: Case) {
  const opts: Parameters<typeof lintDockerfile>[1] = {
    file: 'Dockerfile',
    today: c.today ?? TODAY,
    config: { ...DEFAULT_CONFIG, ...c.config },
  };
  if (c.context) opts.context = c.context;
  if (c.buildArgs) opts.buildArgs = c.buildArgs;
  return lintDockerfile(c.df, opts);
}

describe('every rule has documentation and cases', () => {
  test('ids are unique, in order, and fully documented', () => {
    const ids = RULES.map((r) => r.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    // no gaps: GK000 up to the highest id, so a rule file that fails to register is missed nowhere
    const highest = Math.max(...ids.map((id) => Number(id.slice(2))));
    assert.ok(highest >= 25);
    for (let n = 0; n <= highest; n++) assert.ok(ids.includes(`GK${String(n).padStart(3, '0')}`), `GK${n} missing`);
    for (const r of RULES) {
      assert.match(r.id, /^GK\d{3}$/);
      assert.ok(r.title.length > 10 && r.explanation.length > 60 && r.fix.length > 10, `${r.id} documentation too thin`);
      assert.ok((catches[r.id]?.length ?? 0) >= 1, `${r.id} has no positive case`);
      assert.ok((catchesNot[r.id]?.length ?? 0) >= 1, `${r.id} has no negative case`);
    }
  });
});

for (const rule of RULES) {
  describe(rule.id, () => {
    for (const [i, c] of (catches[rule.id] ?? []).entries()) {
      test(`catches #${i + 1}: ${JSON.stringify(c.df).slice(0, 90)}`, () => {
        const hits = run(c).filter((f) => f.rule === rule.id);
        assert.ok(hits.length > 0, `expected ${rule.id}, got ${JSON.stringify(run(c).map((f) => `${f.rule}@${f.line}`))}`);
        if (c.line !== undefined)
          assert.ok(
            hits.some((h) => h.line === c.line),
            `expected line ${c.line}, got ${hits.map((h) => h.line)}`,
          );
        if (c.severity !== undefined)
          assert.ok(
            hits.some((h) => h.severity === c.severity),
            `expected ${c.severity}, got ${hits.map((h) => h.severity)}`,
          );
        for (const h of hits) assert.ok(h.message.length > 10 && h.fix.length > 5);
      });
    }
    for (const [i, c] of (catchesNot[rule.id] ?? []).entries()) {
      test(`does not catch #${i + 1}: ${JSON.stringify(c.df).slice(0, 90)}`, () => {
        const hits = run(c).filter((f) => f.rule === rule.id);
        assert.deepEqual(
          hits.map((h) => `${h.line}: ${h.message}`),
          [],
        );
      });
    }
  });
}

describe("GK007: error below the glibc Go itself needs, warning above it; the fix names the builder's release", () => {
  const gk007 = (b: string, r: string, context?: BuildContext) =>
    lintDockerfile(`FROM ${b} AS b\nRUN go build -o /app .\nFROM ${r}\nCOPY --from=b /app /app`, {
      file: 'D',
      today: TODAY,
      ...(context ? { context } : {}),
    }).filter((f) => f.rule === 'GK007');
  test("severity by the GLIBC_2.34 floor (builder >= 2.34) or the builder's own glibc (older builder)", () => {
    assert.deepEqual(
      gk007('golang:1.26-bookworm', 'ubuntu:22.04').map((f) => f.severity),
      ['warning'],
    );
    assert.deepEqual(
      gk007('golang:1.26-bookworm', 'debian:bullseye-slim').map((f) => f.severity),
      ['error'],
    );
    assert.deepEqual(
      gk007('golang:1.26-trixie', 'ubuntu:22.04').map((f) => f.severity),
      ['warning'],
    );
    assert.deepEqual(
      gk007('golang:1.26-trixie', 'ubuntu:20.04').map((f) => f.severity),
      ['error'],
    );
    assert.deepEqual(
      gk007('golang:1.23-bullseye', 'ubuntu:18.04').map((f) => f.severity),
      ['error'],
    );
    assert.deepEqual(gk007('golang:1.26-bookworm', 'debian:bookworm-slim'), []);
    const e = gk007('golang:1.26-bookworm', 'debian:bullseye-slim', CTX_NET)[0]!;
    assert.match(e.message, /needs GLIBC_2\.34, which glibc 2\.31 lacks/);
    const w = gk007('golang:1.26-bookworm', 'ubuntu:22.04')[0]!;
    assert.match(w.message, /Go's own C code needs GLIBC_2\.34 at most, which ubuntu:22\.04 has/);
  });
  test("the fix keeps the builder's Go and names the runtime of the builder's Debian release", () => {
    const t = gk007('golang:1.26-trixie', 'ubuntu:20.04')[0]!;
    assert.match(t.fix, /^run it on the builder's release: debian:trixie-slim or gcr\.io\/distroless\/base-debian13 \(glibc 2\.41\)/);
    const b = gk007('golang:1.26-bookworm', 'ubuntu:22.04')[0]!;
    assert.match(b.fix, /^run it on the builder's release: debian:bookworm-slim \(glibc 2\.36\)/);
    for (const f of [t, b]) {
      assert.doesNotMatch(f.fix, /golang:1\.27|same release/, f.fix);
      assert.doesNotMatch(f.fix, /ubuntu/, f.fix);
    }
  });
});

describe('GK015: a builder pinned to one platform, and cgo cross-compiled with the host gcc', () => {
  const gk015 = (df: string, context?: BuildContext) =>
    lintDockerfile(df, { file: 'D', today: TODAY, ...(context ? { context } : {}) }).filter((f) => f.rule === 'GK015');
  test('--platform=linux/amd64 is named as a fixed platform, not as a missing one', () => {
    const f = gk015(
      'FROM --platform=linux/amd64 golang:1.26-bookworm AS b\nARG TARGETARCH\nRUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /app .',
    );
    assert.equal(f.length, 1);
    assert.equal(
      f[0]!.message,
      'go build takes GOARCH from TARGETARCH, and the builder is pinned to --platform=linux/amd64: the compiler runs natively only on amd64 build machines and emulated on every other one',
    );
    assert.match(f[0]!.fix, /\$BUILDPLATFORM/);
    assert.doesNotMatch(f[0]!.message, /has no --platform/);
  });
  test('CGO_ENABLED=1 with GOARCH=$TARGETARCH names the cross compiler, xx, CGO_ENABLED=0 and the emulated build', () => {
    const f = gk015(
      'FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS b\nARG TARGETOS TARGETARCH\nRUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /app .',
      CTX_C,
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.match(f[0]!.message, /main\.go has import "C"/);
    for (const w of [
      /CC=aarch64-linux-gnu-gcc/,
      /gcc-aarch64-linux-gnu/,
      /tonistiigi\/xx/,
      /xx-go/,
      /xx-apt-get/,
      /CGO_ENABLED=0/,
      /drop --platform=\$BUILDPLATFORM/,
    ])
      assert.match(f[0]!.fix, w);
  });
});

describe('GK026: the words runc stops the container with (opencontainers/runc libcontainer/user GetExecUser)', () => {
  test('alpine has no nonroot, scratch no /etc/passwd', () => {
    const m = (df: string) =>
      lintDockerfile(df, { file: 'D', today: TODAY })
        .filter((f) => f.rule === 'GK026')
        .map((f) => f.message);
    assert.deepEqual(m('FROM alpine:3.24\nCOPY app /app\nUSER nonroot'), [
      'USER nonroot: alpine:3.24\'s /etc/passwd has no user nonroot (it has root, guest, nobody…), so the container does not start: "unable to find user nonroot: no matching entries in passwd file"',
    ]);
    assert.deepEqual(m('FROM scratch\nCOPY app /app\nUSER nobody'), [
      'USER nobody: scratch has no /etc/passwd, so the container does not start: "unable to find user nobody: no matching entries in passwd file"',
    ]);
  });
});

describe('GK008: an exec form whose JSON does not parse', () => {
  test('says the JSON did not parse, so Docker falls back to shell form, and offers the array it meant', () => {
    const f = lintDockerfile('FROM scratch\nCOPY app /app\nCMD ["/app", ', { file: 'D', today: TODAY }).filter((x) => x.rule === 'GK008');
    assert.equal(f.length, 1);
    assert.match(
      f[0]!.message,
      /^CMD's JSON array does not parse \(.+\), so Docker runs it in shell form, with \/bin\/sh, which scratch does not have$/,
    );
    assert.equal(f[0]!.fix, 'write valid JSON (double quotes, commas between strings, a closing ]): CMD ["/app"]');
    const e = lintDockerfile("FROM scratch\nENTRYPOINT ['/app', 'serve']", { file: 'D', today: TODAY }).filter((x) => x.rule === 'GK008');
    assert.match(e[0]!.message, /^ENTRYPOINT's JSON array does not parse/);
    assert.match(e[0]!.fix, /ENTRYPOINT \["\/app","serve"\]$/);
  });
});

describe('GK018: cgo on needs gcc only for a program that uses cgo', () => {
  const DF = 'FROM golang:1.27-alpine\nRUN CGO_ENABLED=1 go build -o /app .';
  const gk018 = (context?: BuildContext) =>
    lintDockerfile(DF, { file: 'D', today: TODAY, ...(context ? { context } : {}) }).filter((f) => f.rule === 'GK018');
  const PROGRAMS = {
    'fmt only': 'package main\nimport "fmt"\nfunc main(){ fmt.Println("ok") }\n',
    'net/http': 'package main\nimport "net/http"\nfunc main(){ http.ListenAndServe(":8080", nil) }\n',
  };
  test('the message says why with sources, and says it is conditional without them', () => {
    const net = gk018(CTX_NET);
    assert.equal(net.length, 1);
    assert.match(
      net[0]!.message,
      /^CGO_ENABLED=1 on .+, which has no gcc and musl-dev, and the program uses cgo \(main\.go imports net\/http, which uses cgo through net\): the build stops with "cgo: C compiler "gcc" not found"$/,
    );
    const none = gk018();
    assert.equal(none.length, 1);
    assert.match(none[0]!.message, /: if any package of the program uses cgo .*; gokiln read no Go sources in the build context to tell$/);
    assert.deepEqual(gk018(CTX_PURE), []);
  });
  test('a real CGO_ENABLED=1 go build with no C compiler (CC=/nonexistent) fails exactly when GK018 fires', (t) => {
    if (!haveOnPath(t, 'go')) return;
    for (const [what, text] of Object.entries(PROGRAMS)) {
      const dir = mkdtempSync(join(tmpdir(), 'gokiln-gk018-'));
      try {
        writeFileSync(join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.26\n');
        writeFileSync(join(dir, 'main.go'), text);
        const fires =
          gk018({ goMod: mod('module example.com/app\n\ngo 1.26\n'), sources: scanGoSources([{ path: 'main.go', text }]) }).length > 0;
        const b = spawnSync('go', ['build', '-o', join(dir, 'app'), '.'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, CGO_ENABLED: '1', CC: '/nonexistent', GOTOOLCHAIN: 'local', GOFLAGS: '', GOPROXY: 'off' },
        });
        assert.equal(b.error, undefined, `${what}: ${b.error?.message}`);
        if (fires) {
          assert.notEqual(b.status, 0, `${what}: GK018 fires, but the build worked without a C compiler`);
          assert.match(b.stderr, /cgo: C compiler "\/nonexistent" not found/, what);
        } else {
          assert.equal(b.status, 0, `${what}: GK018 is silent, but the build failed: ${b.stderr}`);
        }
        t.diagnostic(`${what}: GK018 ${fires ? 'fires' : 'silent'}; go build exit ${b.status}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // both outcomes were seen: the check is not passing on one side only
    assert.deepEqual(
      Object.values(PROGRAMS).map(
        (text) => gk018({ goMod: mod('module example.com/app\n\ngo 1.26\n'), sources: scanGoSources([{ path: 'main.go', text }]) }).length,
      ),
      [0, 1],
    );
  });
});

describe('GK001 and GK022 against the knowledge they share with inspect', () => {
  test('GK001 is an error only when the cgo binary meets an older musl than it linked', () => {
    const sev = (b: string, r: string, context?: BuildContext) =>
      lintDockerfile(
        `FROM golang:1.27-alpine${b} AS b\nRUN apk add gcc musl-dev\nRUN CGO_ENABLED=1 go build -o /app .\nFROM alpine:${r}\nCOPY --from=b /app /app`,
        { file: 'D', today: TODAY, ...(context ? { context } : {}) },
      )
        .filter((f) => f.rule === 'GK001')
        .map((f) => f.severity);
    assert.deepEqual(sev('3.24', '3.23'), ['error']);
    assert.deepEqual(sev('3.23', '3.24'), ['warning']);
    assert.deepEqual(sev('3.24', '3.23', CTX_NET), ['error']);
    assert.deepEqual(sev('3.24', '3.23', CTX_PURE), ['warning']);
  });
  test("GK022 says of a Debian LTS release what inspect's lts-only warning says", () => {
    const f = lintDockerfile('FROM debian:bookworm', { file: 'D', today: TODAY }).filter((x) => x.rule === 'GK022');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'info');
    assert.equal(
      f[0]!.message,
      'Debian bookworm (debian:bookworm) left regular security support on 2026-07-11; Debian LTS updates continue until 2028-06-30',
    );
    const rt = findRuntime('debian:bookworm');
    assert.ok(rt);
    const staticGo: BinaryFacts = {
      format: 'elf',
      os: 'linux',
      arch: 'amd64',
      kind: 'executable',
      linking: 'static',
      interpreter: null,
      libc: 'none',
      needed: [],
      glibcRequired: null,
      versionNeeds: [],
      needs: NO_NEEDS,
      cgo: false,
    };
    const w = verdictFor(staticGo, rt, { today: TODAY }).warnings.find((x) => x.code === 'lts-only');
    assert.equal(w?.message.replace(/^debian:bookworm/, ''), f[0]!.message.replace(/^Debian bookworm \(debian:bookworm\)/, ''));
  });
});

describe('a builder stage copied from more than once', () => {
  // the CA bundle copied first must not hide the binary copied after it from the same stage
  const CERTS_FIRST =
    'FROM golang:1.27-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /app /app\nUSER 1000\nENTRYPOINT ["/app"]';
  test('GK006 sees the build behind the second COPY --from', () => {
    const f = lintDockerfile(CERTS_FIRST, { file: 'D', today: TODAY, context: CTX_NET }).filter((x) => x.rule === 'GK006');
    assert.deepEqual(
      f.map((x) => [x.line, x.severity]),
      [[4, 'error']],
    );
    // and the same without the certificate copy, as before
    const without = CERTS_FIRST.replace('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n', '');
    assert.deepEqual(
      lintDockerfile(without, { file: 'D', today: TODAY, context: CTX_NET })
        .filter((x) => x.rule === 'GK006')
        .map((x) => x.line),
      [4],
    );
  });
  test('GK011 sees -tags timetzdata on the build behind the second COPY --from', () => {
    const tz = CERTS_FIRST.replace('RUN go build -o /app .', 'RUN CGO_ENABLED=0 go build -tags timetzdata -o /app .');
    assert.deepEqual(
      lintDockerfile(tz, { file: 'D', today: TODAY, context: CTX_TZ }).filter((x) => x.rule === 'GK011'),
      [],
    );
    const noTags = CERTS_FIRST.replace('RUN go build -o /app .', 'RUN CGO_ENABLED=0 go build -o /app .');
    assert.equal(lintDockerfile(noTags, { file: 'D', today: TODAY, context: CTX_TZ }).filter((x) => x.rule === 'GK011').length, 1);
  });
});

/**
 * Fix texts that name images name supported ones: each tag is judged by the knowledge module on the
 * day the lint runs (TODAY, and the real date: when the knowledge base goes stale, this fails).
 */
describe('fix texts recommend images supported on the lint day (GK001, GK003, GK007, GK010)', () => {
  const IMAGE = /(?:gcr\.io\/)?distroless\/[a-z-]+-debian\d+|\b(?:golang|alpine|debian|ubuntu):[\w.-]+/g;
  /** Why a tag is not supported on `day`, or null when it is. */
  function unsupported(tag: string, day: string): string | null {
    const name = tag.replace(/^gcr\.io\//, '');
    const d = /^distroless\/([a-z-]+)-debian(\d+)$/.exec(name);
    if (d) {
      const img = distrolessImage(d[1]!, Number(d[2]));
      if (!img) return `${tag}: unknown distroless image`;
      return img.eol !== null && img.eol <= day ? `${tag}: out of support since ${img.eol}` : null;
    }
    const [repo, t] = name.split(':') as [string, string];
    const osOk = (distro: 'alpine' | 'debian' | 'ubuntu', release: string): string | null => {
      const r = distro === 'alpine' ? alpineRelease(release) : distro === 'debian' ? debianRelease(release) : ubuntuRelease(release);
      if (!r) return `${tag}: ${distro} ${release} unknown to the knowledge base`;
      return r.eol !== null && r.eol <= day ? `${tag}: ${distro} ${release} out of support since ${r.eol}` : null;
    };
    if (repo === 'golang') {
      const g = golangImage(name);
      if (!g) return `${tag}: not a golang tag the knowledge base knows`;
      if (!g.published) return `${tag}: never published`;
      if (!supportedGoMinors(day).includes(g.goMinor)) return `${tag}: Go ${g.goMinor} is not supported on ${day}`;
      return osOk(g.os, g.release);
    }
    if (repo === 'alpine') return osOk('alpine', t);
    if (repo === 'debian') return osOk('debian', t.replace(/-slim$/, ''));
    if (repo === 'ubuntu') return osOk('ubuntu', t);
    return `${tag}: unexpected image`;
  }
  const DAYS = [...new Set([TODAY, new Date().toISOString().slice(0, 10)])];
  const CASES: Array<{ rule: string; df: string; context?: BuildContext }> = [
    { rule: 'GK001', df: 'FROM golang:1.23-alpine3.20 AS b\nRUN go build -o /app .\nFROM alpine:3.18\nCOPY --from=b /app /app' },
    { rule: 'GK001', df: 'FROM golang:1.27-alpine3.24 AS b\nRUN go build -o /app .\nFROM alpine:3.22\nCOPY --from=b /app /app' },
    {
      rule: 'GK003',
      df: 'FROM golang AS b\nRUN go version\nFROM gcr.io/distroless/static-debian12\nCOPY --from=b /usr/local/go/VERSION /v',
    },
    { rule: 'GK003', df: 'FROM alpine:latest\nFROM debian\nFROM ubuntu\nFROM example.com/team/base' },
    {
      rule: 'GK007',
      df: 'FROM golang:1.27-trixie AS b\nRUN CGO_ENABLED=1 go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=b /app /app',
    },
    {
      rule: 'GK010',
      df: 'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
      context: CTX_TLS,
    },
  ];
  for (const day of DAYS) {
    test(`on ${day}: every image a rule's generic fix or a finding's fix names is supported`, () => {
      const named: Array<{ where: string; tags: string[] }> = [];
      for (const r of RULES.filter((x) => ['GK001', 'GK003', 'GK007', 'GK010'].includes(x.id)))
        named.push({ where: `${r.id}'s generic fix`, tags: r.fix.match(IMAGE) ?? [] });
      for (const c of CASES) {
        const hits = lintDockerfile(c.df, { file: 'D', today: day, ...(c.context ? { context: c.context } : {}) }).filter(
          (f) => f.rule === c.rule,
        );
        assert.ok(hits.length > 0, `${c.rule} does not fire on ${JSON.stringify(c.df)}`);
        for (const h of hits)
          named.push({ where: `${c.rule} at line ${h.line} of ${JSON.stringify(c.df)}`, tags: h.fix.match(IMAGE) ?? [] });
      }
      // not vacuous: every text names at least one image
      assert.deepEqual(
        named.filter((n) => n.tags.length === 0).map((n) => n.where),
        [],
      );
      const problems = named.flatMap((n) =>
        n.tags
          .map((t) => unsupported(t, day))
          .filter((w): w is string => w !== null)
          .map((w) => `${n.where}: ${w}`),
      );
      assert.deepEqual(problems, []);
    });
  }

  test('the recommendation follows the day: before Go 1.27 was released it is 1.26; it never names an image older than the day allows', () => {
    const r = recommendedImages('2026-05-01');
    assert.equal(r.goMinor, '1.26');
    for (const t of [r.golangAlpine, r.alpine, r.golangDebian, r.debianSlim, r.ubuntu, r.distroless.static])
      assert.equal(unsupported(t, '2026-05-01'), null, t);
    assert.equal(recommendedImages().goMinor, newestGolangMinor());
  });

  const gk010 = (df: string) => lintDockerfile(df, { file: 'D', today: TODAY, context: CTX_TLS }).filter((f) => f.rule === 'GK010');
  test("GK010's fix follows the runtime and builder family: apt-get on Debian/Ubuntu, COPY --from for scratch, never apk for a Debian builder", () => {
    const debRt = gk010('FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:trixie-slim\nCOPY --from=b /app /app');
    assert.equal(debRt.length, 1);
    assert.match(
      debRt[0]!.fix,
      /^install them in the runtime stage: RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates/,
    );
    const ubuRt = gk010('FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM ubuntu:24.04\nCOPY --from=b /app /app');
    assert.match(ubuRt[0]!.fix, /apt-get install -y --no-install-recommends ca-certificates/);
    const scratchGolang = gk010(
      'FROM golang:1.27-trixie AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app',
    );
    assert.match(
      scratchGolang[0]!.fix,
      /^COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\/ \(golang:1\.27-trixie has the bundle\), or use gcr\.io\/distroless\/static-debian\d+:nonroot/,
    );
    const scratchAlpineGo = gk010('FROM golang:1.27-alpine AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app');
    assert.match(scratchAlpineGo[0]!.fix, /^COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt/);
    // Alpine images carry the CA bundle too (ca-certificates-bundle is in the base image)
    const scratchAlpine = gk010(
      'FROM alpine:3.22 AS build\nRUN apk add --no-cache go && CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app',
    );
    assert.match(
      scratchAlpine[0]!.fix,
      /^COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\/ \(alpine:3\.22 has the bundle\)/,
    );
    const scratchDebBuilder = gk010(
      'FROM debian:trixie-slim AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /app /app',
    );
    assert.match(
      scratchDebBuilder[0]!.fix,
      /^RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates .* in the b stage, then COPY --from=b \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\//,
    );
    for (const f of [...debRt, ...ubuRt, ...scratchGolang, ...scratchDebBuilder]) assert.doesNotMatch(f.fix, /apk/, f.fix);
    // the fix cures it: the Dockerfile with the fix applied is not reported
    assert.deepEqual(
      gk010(
        'FROM golang:1.27 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\nCOPY --from=b /app /app',
      ),
      [],
    );
    assert.deepEqual(
      gk010(
        'FROM debian:trixie-slim AS b\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=b /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=b /app /app',
      ),
      [],
    );
  });
});

describe('GK022 on the day support ends', () => {
  // a Go minor is supported until the release of the second one after it (go.dev/doc/devel/release); the
  // day it ends is already past support
  test('go 1.24 is reported from its end day on, not the day before', () => {
    const end = goRelease('1.24')!.eol!;
    const dayBefore = new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const gk022 = (today: string) =>
      lintDockerfile('FROM golang:1.24\nRUN go build -o /app .', { file: 'D', today }).filter(
        (f) => f.rule === 'GK022' && /^Go 1\.24/.test(f.message),
      );
    assert.equal(gk022(end).length, 1, `on ${end}`);
    assert.equal(gk022(dayBefore).length, 0, `on ${dayBefore}`);
  });
});

describe('GK012 says how to leave root in the image at hand', () => {
  // distroless images have a nonroot user (uid 65532) and a :nonroot tag; other bases need a USER
  const gk012 = (df: string) =>
    lintDockerfile(df, { file: 'D', today: TODAY })
      .filter((f) => f.rule === 'GK012')
      .map((f) => f.message);
  test('distroless: the :nonroot tag; debian: a USER', () => {
    assert.deepEqual(gk012('FROM gcr.io/distroless/static-debian13\nCOPY app /app'), [
      'gcr.io/distroless/static-debian13 runs as root (use the :nonroot tag or USER nonroot)',
    ]);
    assert.deepEqual(gk012('FROM debian:trixie-slim\nCOPY app /app'), ['debian:trixie-slim has no USER, so the program runs as root']);
  });
});
