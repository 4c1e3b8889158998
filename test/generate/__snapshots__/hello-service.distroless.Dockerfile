# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm distroless from the plan of example.com/hello-service.
# go.mod: go 1.26; runtime needs: CA certificates, zoneinfo.
# hello-service: cgo not used; version stamped into main.version (main.go: var version).

FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build
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

FROM gcr.io/distroless/static-debian13:nonroot
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target or a :debug tag (busybox at /busybox/sh)
COPY --from=build /out/hello-service /hello-service
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/hello-service"]
