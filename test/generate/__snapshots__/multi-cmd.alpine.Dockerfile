# syntax=docker/dockerfile:1
# gokiln ignore-file=GK003
# Written by gokiln init --paradigm alpine from the plan of example.com/multi-cmd.
# go.mod: go 1.25; cgo not used; runtime needs: CA certificates.

FROM --platform=$BUILDPLATFORM golang:1.26-alpine3.24 AS build
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
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/ ./cmd/api ./cmd/worker

FROM alpine:3.24 AS runtime
RUN addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app

# docker build --target api .
FROM runtime AS api
COPY --from=build /out/api /usr/local/bin/api
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/api"]

# docker build --target worker .  (the default: last stage)
FROM runtime AS worker
COPY --from=build /out/worker /usr/local/bin/worker
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/worker"]
