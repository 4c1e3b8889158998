# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm alpine from the plan of example.com/hello-service.
# go.mod: go 1.26; runtime needs: CA certificates, zoneinfo.
# hello-service: cgo not used; version stamped into main.version (main.go: var version).

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
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/ .

FROM alpine:3.24
RUN apk add --no-cache tzdata \
 && addgroup -S -g 10001 app \
 && adduser -S -D -H -u 10001 -G app app
COPY --from=build /out/hello-service /usr/local/bin/hello-service
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/hello-service"]
