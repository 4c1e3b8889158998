# syntax=docker/dockerfile:1
# gokiln ignore-file=GK003
# Written by gokiln init --paradigm distroless from the plan of example.com/multi-cmd.
# go.mod: go 1.25; cgo not used; runtime needs: CA certificates.

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
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/ ./cmd/api ./cmd/worker

FROM gcr.io/distroless/static-debian13:nonroot AS runtime
# distroless :nonroot: uid 65532, no shell; debug with kubectl debug --target (see k8s/debug/README.md)

# docker build --target api .
FROM runtime AS api
COPY --from=build /out/api /api
USER 65532:65532
ENTRYPOINT ["/api"]

# docker build --target worker .  (the default: last stage)
FROM runtime AS worker
COPY --from=build /out/worker /worker
USER 65532:65532
ENTRYPOINT ["/worker"]
