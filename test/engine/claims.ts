/** Shared by the lint-claims tests: lint findings by stage, the knowledge base's failure messages, a build per target. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { selfSignedCert } from '../harness/self-signed.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { TestContext } from 'node:test';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { knowledge } from '../../src/index.js';
import { haveEngine, type Engine } from '../harness/engine.js';
import { TODAY, needTool } from '../project/helpers.js';

export const BUILDER = 'golang:1.26-trixie';

/** Findings of `rule` by the stage (its FROM's `AS` name) they are on. */
export function findingsByStage(dir: string, text: string): Map<string, string[]> {
  const { context } = loadBuildContext(dir);
  const froms = [...text.split('\n').entries()]
    .filter(([, l]) => /^FROM /.test(l))
    .map(([i, l]) => ({ line: i + 1, name: / AS (\S+)$/.exec(l)?.[1] ?? '' }));
  const out = new Map<string, string[]>();
  for (const f of lintDockerfile(text, { file: 'Dockerfile', context, today: TODAY })) {
    const stage = froms.filter((s) => s.line <= f.line).at(-1)?.name ?? '';
    out.set(stage, [...(out.get(stage) ?? []), `${f.rule}: ${f.message}`]);
  }
  return out;
}

/** The failure message the knowledge base (and the rules quoting it) claims, placeholders filled. */
export function claimed(id: string, vars: Record<string, string>): string {
  const m = knowledge.FAILURE_MESSAGES.find((x) => x.id === id);
  assert.ok(m, `no failure message ${id} in the knowledge base`);
  return m.text.replace(/\{(\w+)\}/g, (_x, k: string) => vars[k] ?? `{${k}}`);
}

export function rulesOn(m: Map<string, string[]>, stage: string): string[] {
  return [...new Set((m.get(stage) ?? []).map((x) => x.split(':')[0]!))].sort();
}

export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-engine-claims-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

export async function build(t: TestContext, e: Engine, dir: string, target: string): Promise<string> {
  const tag = `localhost/gokiln-claims/${target}`;
  const b = await e.build({ context: dir, tag, target, layers: true });
  assert.equal(b.exitCode, 0, `build --target ${target}:\n${b.stderr.slice(-3000)}`);
  t.diagnostic(`--target ${target} built in ${(b.ms / 1000).toFixed(1)} s`);
  return tag;
}

export function ready(t: TestContext): boolean {
  if (!haveEngine(t)) return false;
  for (const tool of ['mmdebstrap', 'go', 'openssl'])
    if (!needTool(tool)) {
      t.skip(`${tool} not installed`);
      return false;
    }
  return true;
}

/** The program and Dockerfile of the GK008/GK010/GK011/GK026 claims: one builder, a stage per claim and per control. */
export const NET_MAIN = `package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	switch os.Args[1] {
	case "tz":
		loc, err := time.LoadLocation("Europe/Berlin")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("zone", loc)
	case "tls":
		// an HTTPS server on the container's loopback with /srv's certificate; the client trusts the system roots only
		cert, err := tls.LoadX509KeyPair("/srv/cert.pem", "/srv/key.pem")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hello over tls") }))
		client := &http.Client{Timeout: 5 * time.Second}
		resp, err := client.Get("https://" + ln.Addr().(*net.TCPAddr).String() + "/")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(string(b))
	}
}
`;

export const NET_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM ${BUILDER} AS build
WORKDIR /src
COPY go.mod main.go ./
RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app .

FROM scratch AS bare
COPY --from=build /out/app /app
COPY srv/ /srv/
USER 65532:65532
ENTRYPOINT ["/app"]

FROM scratch AS with-ca
COPY --from=build /out/app /app
COPY srv/ /srv/
COPY srv/cert.pem /etc/ssl/certs/ca-certificates.crt
USER 65532:65532
ENTRYPOINT ["/app"]

FROM gcr.io/distroless/static-debian13:nonroot AS zones
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]

FROM gcr.io/distroless/static-debian13:nonroot AS shellform
COPY --from=build /out/app /app
ENTRYPOINT /app tz

FROM debian:trixie-slim AS named-user
COPY --from=build /out/app /app
USER nonroot
ENTRYPOINT ["/app", "tz"]
`;

/** The project of NET_DOCKERFILE, with a fresh self-signed certificate (and key) for 127.0.0.1 in srv/. */
export function netProject(): string {
  const dir = project({ 'go.mod': 'module example.com/netapp\n\ngo 1.26\n', 'main.go': NET_MAIN, Dockerfile: NET_DOCKERFILE });
  mkdirSync(join(dir, 'srv'));
  selfSignedCert(join(dir, 'srv/key.pem'), join(dir, 'srv/cert.pem'));
  execFileSync('chmod', ['0644', join(dir, 'srv/key.pem')]);
  return dir;
}
