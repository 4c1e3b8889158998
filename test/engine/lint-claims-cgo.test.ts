/**
 * Lint's claim GK006, proved by the engine: the finding on a Dockerfile whose builder builds with cgo and
 * whose runtime is distroless/static; buildah builds it, podman runs it, and it fails with "exec /app: no
 * such file or directory" — while the same binary in distroless/base (glibc) runs. The other claims are in
 * lint-claims.test.ts (one file each, so each stays under the test runner's per-file time limit).
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { SharedEngine } from './engine-helpers.js';
import { BUILDER, build, claimed, findingsByStage, project, ready } from './claims.js';

const shared = new SharedEngine();
after(() => shared.close());

const CGO_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM ${BUILDER} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=1 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot AS static
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]

FROM gcr.io/distroless/base-debian13:nonroot AS base
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`;

describe('lint claim GK006, proved by buildah and podman', () => {
  test(
    'GK006: a cgo binary in distroless/static does not start ("no such file or directory"); in distroless/base it runs',
    { timeout: 20 * 60_000 },
    async (t) => {
      if (!ready(t)) return;
      const dir = project({
        'go.mod': 'module example.com/cgoapp\n\ngo 1.26\n',
        'main.go':
          'package main\n\n/*\nstatic int answer(void) { return 42; }\n*/\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println("cgo says", C.answer()) }\n',
        Dockerfile: CGO_DOCKERFILE,
      });
      try {
        // GK006 sits on the builder's go build line and names the runtime that cannot run its binary
        const gk006 = [...findingsByStage(dir, CGO_DOCKERFILE).values()].flat().filter((f) => f.startsWith('GK006'));
        assert.ok(
          gk006.some((f) => f.includes('distroless/static-debian13')),
          JSON.stringify(gk006),
        );
        assert.ok(!gk006.some((f) => f.includes('distroless/base-debian13')), JSON.stringify(gk006));
        const e = await shared.loadFor(CGO_DOCKERFILE);
        const no = await e.run(await build(t, e, dir, 'static'));
        assert.notEqual(no.exitCode, 0);
        assert.ok(no.stderr.includes(claimed('no-interpreter', { path: '/app' })), no.stderr);
        t.diagnostic(`GK006, podman run on distroless/static: ${JSON.stringify(no.stderr.trim())} (exit ${no.exitCode})`);
        const yes = await e.run(await build(t, e, dir, 'base'));
        assert.equal(yes.exitCode, 0, yes.stderr);
        assert.equal(yes.stdout, 'cgo says 42\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
