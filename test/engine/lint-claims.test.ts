/**
 * Lint's claims about what fails at run time, proved by the engine: the finding on a Dockerfile, then
 * buildah builds that Dockerfile and podman runs it, and the run fails with the message the rule quotes —
 * next to a control stage, one fix away, that runs. What each check found the engine really prints is
 * written to the test output (t.diagnostic), so a rule's wording can be held against it.
 *
 * - GK006: lint-claims-cgo.test.ts.
 * - GK008: shell-form ENTRYPOINT on distroless (no /bin/sh) → the container does not start.
 * - GK010: TLS client on scratch (no CA bundle) → "x509: certificate signed by unknown authority"; with the
 *   issuing certificate at /etc/ssl/certs/ca-certificates.crt the same request works.
 * - GK011: time.LoadLocation("Europe/Berlin") on scratch → "unknown time zone Europe/Berlin"; on
 *   distroless/static (tzdata) it works.
 * - GK026: USER nonroot on debian:trixie-slim (no such user) → runc's "unable to find user nonroot: no
 *   matching entries in passwd file".
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SharedEngine } from './engine-helpers.js';
import { BUILDER, build, claimed, findingsByStage, project, ready, rulesOn } from './claims.js';

const shared = new SharedEngine();
after(() => shared.close());

const NET_MAIN = `package main

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

const NET_DOCKERFILE = `# syntax=docker/dockerfile:1
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

describe('lint claims GK008, GK010, GK011, GK026, proved by buildah and podman', () => {
  test('GK008, GK010, GK011, GK026: the failures lint names, each next to the stage that works', { timeout: 20 * 60_000 }, async (t) => {
    if (!ready(t)) return;
    const dir = project({ 'go.mod': 'module example.com/netapp\n\ngo 1.26\n', 'main.go': NET_MAIN, Dockerfile: NET_DOCKERFILE });
    try {
      mkdirSync(join(dir, 'srv'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'srv/key.pem'), '-out', join(dir, 'srv/cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      execFileSync('chmod', ['0644', join(dir, 'srv/key.pem')]);
      const lint = findingsByStage(dir, NET_DOCKERFILE);
      const show = JSON.stringify([...lint]);
      assert.ok(['GK010', 'GK011'].every((r) => rulesOn(lint, 'bare').includes(r)), `bare: ${show}`);
      assert.ok(!rulesOn(lint, 'with-ca').includes('GK010'), `with-ca: ${show}`);
      assert.ok(!rulesOn(lint, 'zones').includes('GK011'), `zones: ${show}`);
      assert.ok(rulesOn(lint, 'shellform').includes('GK008'), `shellform: ${show}`);
      assert.ok(rulesOn(lint, 'named-user').includes('GK026'), `named-user: ${show}`);
      const e = await shared.loadFor(NET_DOCKERFILE);
      const bare = await build(t, e, dir, 'bare');

      // GK010: no CA bundle
      const tls = await e.run(bare, { args: ['tls'], timeoutMs: 60_000 });
      assert.equal(tls.exitCode, 1, tls.stderr);
      assert.ok(tls.stderr.includes(claimed('no-ca-certs', {})), tls.stderr);
      t.diagnostic(`GK010 on scratch: ${JSON.stringify(tls.stderr.trim())}`);
      const withCa = await e.run(await build(t, e, dir, 'with-ca'), { args: ['tls'], timeoutMs: 60_000 });
      assert.equal(withCa.exitCode, 0, withCa.stderr);
      assert.equal(withCa.stdout, 'hello over tls\n');

      // GK011: no zoneinfo
      const tz = await e.run(bare, { args: ['tz'] });
      assert.equal(tz.exitCode, 1);
      assert.equal(tz.stderr, `${claimed('no-zoneinfo', { zone: 'Europe/Berlin' })}\n`);
      const zones = await e.run(await build(t, e, dir, 'zones'), { args: ['tz'] });
      assert.equal(zones.exitCode, 0, zones.stderr);
      assert.equal(zones.stdout, 'zone Europe/Berlin\n');

      // GK008: shell form, no /bin/sh: the container does not start
      const shell = await e.run(await build(t, e, dir, 'shellform'));
      assert.notEqual(shell.exitCode, 0);
      assert.match(shell.stderr, /\/bin\/sh[^\n]*no such file or directory/, shell.stderr);
      t.diagnostic(`GK008 on distroless/static: ${JSON.stringify(shell.stderr.trim())} (exit ${shell.exitCode})`);

      // GK026: a user name the image's /etc/passwd lacks
      const named = await e.run(await build(t, e, dir, 'named-user'));
      assert.notEqual(named.exitCode, 0);
      assert.ok(named.stderr.includes(claimed('user-not-found', { user: 'nonroot' })), named.stderr);
      t.diagnostic(`GK026 on debian:trixie-slim: ${JSON.stringify(named.stderr.trim())} (exit ${named.exitCode})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
