/**
 * Lint's claims that a container does not start at all, proved by the engine on NET_DOCKERFILE (claims.ts;
 * lint-claims.test.ts checks that lint finds them on these stages):
 * - GK008: shell-form ENTRYPOINT on distroless/static (no /bin/sh): runc cannot exec /bin/sh.
 * - GK026: USER nonroot on debian:trixie-slim (no such user): runc's "unable to find user nonroot: no
 *   matching entries in passwd file".
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { SharedEngine } from './engine-helpers.js';
import { NET_DOCKERFILE, build, claimed, netProject, ready } from './claims.js';

const shared = new SharedEngine();
after(() => shared.close());

describe('lint claims GK008 and GK026, proved by buildah and podman', () => {
  test("GK008, GK026: the container does not start, with the engine's message", { timeout: 14 * 60_000 }, async (t) => {
    if (!ready(t)) return;
    const dir = netProject();
    try {
      const e = await shared.loadFor(NET_DOCKERFILE);
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
