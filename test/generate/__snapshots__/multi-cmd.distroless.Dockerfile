# syntax=docker/dockerfile:1
# Written by gokiln init --paradigm distroless from the plan of example.com/multi-cmd.
# go.mod: go 1.25; runtime needs: CA certificates.
# api, worker: cgo not used; version from Go's own build info (no version variable found).

FROM --platform=$BUILDPLATFORM golang:1.26-trixie AS build
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

FROM gcr.io/distroless/static-debian13:nonroot AS runtime
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target or a :debug tag (busybox at /busybox/sh)

# docker build --target worker .
FROM runtime AS worker
COPY --from=build /out/worker /worker
USER 65532:65532
ENTRYPOINT ["/worker"]

# docker build --target api .  (the default: last stage, the main binary)
FROM runtime AS api
COPY --from=build /out/api /api
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/api"]
