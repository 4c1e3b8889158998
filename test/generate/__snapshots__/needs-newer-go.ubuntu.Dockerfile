# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm ubuntu from the plan of example.com/needs-newer-go.
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

FROM debian:trixie-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /out/needs-newer-go /usr/local/bin/needs-newer-go
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/needs-newer-go"]
