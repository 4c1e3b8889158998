# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm alpine from the plan of example.com/multi-cmd.
# go.mod: go 1.25; runtime needs: CA certificates.
# api, worker: cgo not used; version from Go's own build info (no version variable found).

FROM --platform=$BUILDPLATFORM golang:1.26-alpine3.24 AS build
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/ ./cmd/api ./cmd/worker

FROM alpine:3.24 AS runtime
RUN addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app

# docker build --target worker .
FROM runtime AS worker
COPY --from=build /out/worker /usr/local/bin/worker
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/worker"]

# docker build --target api .  (the default: last stage, the main binary)
FROM runtime AS api
COPY --from=build /out/api /usr/local/bin/api
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
