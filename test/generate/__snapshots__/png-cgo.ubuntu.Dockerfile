# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm ubuntu from the plan of example.com/png-cgo.
# go.mod: go 1.26; runtime needs: libpng.
# png-cgo: cgo required (glibc); version from Go's own build info (no version variable found).

# cgo is on, so the builder runs on the target platform: cross-compiling C needs a cross toolchain.
FROM golang:1.26-trixie AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpng-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 \
    go build -trimpath -ldflags="-s -w" -o /out/ .

FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libpng16-16t64 netbase tzdata zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /out/png-cgo /usr/local/bin/png-cgo
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/png-cgo"]
