# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm distroless --offline from the plan of example.com/vendored.
# go.mod: go 1.26; runtime needs: nothing beyond the binary.
# vendored: cgo not used; version from Go's own build info (no version variable found).

FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build
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

FROM gcr.io/distroless/static-debian13:nonroot
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target or a :debug tag (busybox at /busybox/sh)
COPY --from=build /out/vendored /vendored
USER 65532:65532
ENTRYPOINT ["/vendored"]
