/**
 * Lint's claims about what fails at run time, proved by the engine: the finding on a Dockerfile, then
 * buildah builds that Dockerfile and podman runs it, and the run fails with the message the rule quotes —
 * next to a control stage, one fix away, that runs. What each check found the engine really prints is
 * written to the test output (t.diagnostic), so a rule's wording can be held against it.
 *
 * - GK006: lint-claims-cgo.test.ts.
 * - GK008 and GK026 (the container does not start): lint-claims-start.test.ts.
 * - GK010: TLS client on scratch (no CA bundle) → "x509: certificate signed by unknown authority"; with the
 *   issuing certificate at /etc/ssl/certs/ca-certificates.crt the same request works.
 * - GK011: time.LoadLocation("Europe/Berlin") on scratch → "unknown time zone Europe/Berlin"; on
 *   distroless/static (tzdata) it works.
 * - GK026: USER nonroot on debian:trixie-slim (no such user) → runc's "unable to find user nonroot: no
 *   matching entries in passwd file".
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { SharedEngine } from './engine-helpers.js';
import { NET_DOCKERFILE, build, claimed, findingsByStage, netProject, ready, rulesOn } from './claims.js';

const shared = new SharedEngine();
after(() => shared.close());

describe('lint claims GK010 and GK011 (and where lint puts GK008 and GK026), proved by buildah and podman', () => {
  test(
    'GK010, GK011: the TLS and time-zone failures lint names, each next to the stage that works; GK008 and GK026 found on their stages (run in lint-claims-start)',
    { timeout: 20 * 60_000 },
    async (t) => {
      if (!ready(t)) return;
      const dir = netProject();
      try {
        const lint = findingsByStage(dir, NET_DOCKERFILE);
        const show = JSON.stringify([...lint]);
        assert.ok(
          ['GK010', 'GK011'].every((r) => rulesOn(lint, 'bare').includes(r)),
          `bare: ${show}`,
        );
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
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
