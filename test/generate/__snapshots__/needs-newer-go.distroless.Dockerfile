# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm distroless from the plan of example.com/needs-newer-go.
# go.mod: go 1.27.0, toolchain go1.27.3; runtime needs: nothing beyond the binary.
# needs-newer-go: cgo not used; version from Go's own build info (no version variable found).

FROM --platform=$BUILDPLATFORM golang:1.27-trixie AS build
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/ .

FROM gcr.io/distroless/static-debian13:nonroot
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target or a :debug tag (busybox at /busybox/sh)
COPY --from=build /out/needs-newer-go /needs-newer-go
USER 65532:65532
ENTRYPOINT ["/needs-newer-go"]
