# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm distroless from the plan of example.com/sqlite-cgo.
# go.mod: go 1.26; runtime needs: nothing beyond the binary.
# sqlite-cgo: cgo required (glibc); version from Go's own build info (no version variable found).

# cgo is on, so the builder runs on the target platform: cross-compiling C needs a cross toolchain.
FROM golang:1.26-trixie AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 \
    go build -trimpath -ldflags="-s -w" -o /out/ .

FROM gcr.io/distroless/base-debian13:nonroot
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target or a :debug tag (busybox at /busybox/sh)
COPY --from=build /out/sqlite-cgo /sqlite-cgo
USER 65532:65532
ENTRYPOINT ["/sqlite-cgo"]
