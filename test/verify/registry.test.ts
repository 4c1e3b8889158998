/**
 * verify reads registry images through the same client `gokiln build --push` and `--base` use: an image
 * built and pushed to a real registry (Debian's docker-registry on 127.0.0.1) is verified by reference, and
 * the verdicts equal those of the same image read from its OCI layout. A reference to a closed port is a
 * typed network error, and a tag that is not there is a typed registry error.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, probeProject } from '../build/helpers.js';
import { freePort, startRegistry, type Registry } from '../image/registry-harness.js';
import { scratchDir } from '../harness/scratch.js';

const missing = ['go', 'docker-registry'].filter((t) => !needTool(t));

describe('gokiln verify of a registry image', { skip: missing.length ? `${missing.join(', ')} needed` : false }, () => {
  let reg: Registry;
  const src = probeProject();
  const out = scratchDir('gokiln-verify-reg-');
  const env = { DOCKER_CONFIG: out };
  before(async () => {
    reg = await startRegistry();
  });
  after(async () => {
    await reg?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  test('an image pushed by gokiln build is verified by reference (docker://REF and bare REF) with the verdicts of its layout', async () => {
    const ref = `127.0.0.1:${reg.port}/probe:1`;
    const push = await gokilnAsync(['build', src, '--push', ref, '--json'], env);
    assert.equal(push.status, 0, push.stdout + push.stderr);
    const layout = join(out, 'layout');
    const lay = await gokilnAsync(['build', src, '--oci', layout, '--tag', 'probe:1', '--json'], env);
    assert.equal(lay.status, 0, lay.stdout + lay.stderr);

    const fromLayout = await gokilnAsync(['verify', `oci:${layout}:1`, '--json'], env);
    const viaScheme = await gokilnAsync(['verify', `docker://${ref}`, '--json'], env);
    const bare = await gokilnAsync(['verify', ref, '--json'], env);
    for (const r of [fromLayout, viaScheme, bare]) assert.equal(r.status, 0, r.stdout + r.stderr);
    const [a, b, c] = [fromLayout, viaScheme, bare].map((r) => JSON.parse(r.stdout));
    assert.equal(b.verdict, 'runs');
    const checks = (j: { checks: Array<{ id: string; ok: boolean }> }) => j.checks.map((k) => `${k.id}:${k.ok}`).sort();
    assert.deepEqual(checks(b), checks(a), 'the same image read from the registry and from its layout gets the same checks');
    assert.deepEqual(checks(c), checks(b));
    assert.equal(b.binary, a.binary);
  });

  test('a closed port is E_NETWORK and a missing tag a typed registry error, exit 2, never a stack trace', async () => {
    const closed = await gokilnAsync(['verify', `127.0.0.1:${await freePort()}/probe:1`, '--json'], env);
    assert.equal(closed.status, 2, closed.stdout + closed.stderr);
    assert.match(closed.stderr, /^gokiln: E_NETWORK: /);
    assert.equal(JSON.parse(closed.stdout).error.code, 'E_NETWORK');
    const absent = await gokilnAsync(['verify', `127.0.0.1:${reg.port}/nothing:here`, '--json'], env);
    assert.equal(absent.status, 2, absent.stdout + absent.stderr);
    assert.match(absent.stderr, /^gokiln: E_(NOT_FOUND|REGISTRY): .*nothing/);
    assert.doesNotMatch(closed.stderr + absent.stderr, /\n\s+at /, 'no stack trace');
  });
});
