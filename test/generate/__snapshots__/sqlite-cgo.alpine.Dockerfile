# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm alpine from the plan of example.com/sqlite-cgo.
# go.mod: go 1.26; runtime needs: nothing beyond the binary.
# sqlite-cgo: cgo required (musl); version from Go's own build info (no version variable found).

# cgo is on, so the builder runs on the target platform: cross-compiling C needs a cross toolchain.
FROM golang:1.26-alpine3.24 AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=1 \
    go build -trimpath -ldflags="-s -w" -o /out/ .

FROM alpine:3.24
RUN addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app
COPY --from=build /out/sqlite-cgo /usr/local/bin/sqlite-cgo
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/sqlite-cgo"]
