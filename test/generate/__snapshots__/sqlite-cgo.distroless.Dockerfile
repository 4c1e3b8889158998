# syntax=docker/dockerfile:1
# gokiln ignore-file=GK003
# Written by gokiln init --paradigm distroless from the plan of example.com/sqlite-cgo.
# go.mod: go 1.26; cgo required; runtime needs: nothing beyond the binary.
# cgo is on, so the builder runs on the target platform: cross-compiling C needs a cross toolchain.

FROM golang:1.26-trixie AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/ .

FROM gcr.io/distroless/base-debian13:nonroot
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target (see k8s/debug/README.md)
COPY --from=build /out/sqlite-cgo /sqlite-cgo
USER 65532:65532
ENTRYPOINT ["/sqlite-cgo"]
