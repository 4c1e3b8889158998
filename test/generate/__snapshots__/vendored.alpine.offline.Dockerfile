# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm alpine --offline from the plan of example.com/vendored.
# go.mod: go 1.26; runtime needs: nothing beyond the binary.
# vendored: cgo not used; version from Go's own build info (no version variable found).

FROM --platform=$BUILDPLATFORM golang:1.26-alpine3.24 AS build
WORKDIR /src
# --offline: modules come from vendor/ (kept in the repository), never from the network
ENV GOFLAGS=-mod=vendor
ENV GOPROXY=off
COPY . .
# fails with "inconsistent vendoring" when vendor/ is out of date with go.mod
RUN go list -deps ./... > /dev/null
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/ .

FROM alpine:3.24
RUN addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app
COPY --from=build /out/vendored /usr/local/bin/vendored
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/vendored"]
