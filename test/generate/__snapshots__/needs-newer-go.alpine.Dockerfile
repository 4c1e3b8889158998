# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm alpine from the plan of example.com/needs-newer-go.
# go.mod: go 1.27.0, toolchain go1.27.3; runtime needs: nothing beyond the binary.
# needs-newer-go: cgo not used; version from Go's own build info (no version variable found).

FROM --platform=$BUILDPLATFORM golang:1.27-alpine3.24 AS build
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

FROM alpine:3.24
RUN addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app
COPY --from=build /out/needs-newer-go /usr/local/bin/needs-newer-go
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/needs-newer-go"]
