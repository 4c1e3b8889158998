# syntax=docker/dockerfile:1
# gokiln ignore-file=GK003
# Written by gokiln init --paradigm alpine from the plan of example.com/needs-newer-go.
# go.mod: go 1.27.0, toolchain go1.27.3; cgo not used; runtime needs: nothing beyond the binary.

FROM --platform=$BUILDPLATFORM golang:1.27-alpine3.24 AS build
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/ .

FROM alpine:3.24
RUN addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app
COPY --from=build /out/needs-newer-go /usr/local/bin/needs-newer-go
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/needs-newer-go"]
