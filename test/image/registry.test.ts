/**
 * `gokiln build --push` against a real registry (Debian's docker-registry, distribution 2.8) started here:
 * plain and behind htpasswd (bcrypt), and through a proxy injecting the faults a push meets. skopeo reads
 * back what was pushed.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, probeProject } from '../build/helpers.js';
import { freePort, startProxy, startRegistry, type Fault, type Registry } from './registry-harness.js';

const skopeo = (args: string[]) => spawnSync('skopeo', args, { encoding: 'utf8', timeout: 120_000 });
const missing = ['go', 'docker-registry', 'htpasswd', 'skopeo'].filter((t) => !needTool(t));
const skip = missing.length ? `${missing.join(', ')} needed` : false;

describe('gokiln build --push to a local registry', { skip }, () => {
  let src = '';
  let reg: Registry | null = null;
  let authReg: Registry | null = null;
  const cfgDir = mkdtempSync(join(tmpdir(), 'gokiln-docker-config-'));
  const empty = mkdtempSync(join(tmpdir(), 'gokiln-docker-config-empty-'));
  const push = (ref: string, env: NodeJS.ProcessEnv = { DOCKER_CONFIG: empty }) =>
    gokilnAsync(['build', src, '--push', ref, '--json'], env);
  const manifestStatus = async (host: string, repo: string, tag: string) =>
    (
      await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
        method: 'HEAD',
        headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
      })
    ).status;

  before(async () => {
    src = probeProject();
    reg = await startRegistry();
    authReg = await startRegistry({ user: 'kiln', password: 's3cret-pw' });
  });
  after(async () => {
    await reg?.stop();
    await authReg?.stop();
    for (const d of [src, cfgDir, empty]) rmSync(d, { recursive: true, force: true });
  });

  test('plain: skopeo reads and copies the pushed image; the SBOM has its tag', async () => {
    const r = await push(`${reg!.host}/probe:1`);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { digest: string; sbom: { tag: string }; output: { path: string } };
    assert.equal(out.output.path, `${reg!.host}/probe:1@${out.digest}`);
    const insp = skopeo(['inspect', '--tls-verify=false', `docker://${reg!.host}/probe:1`]);
    assert.equal(insp.status, 0, insp.stderr);
    assert.equal((JSON.parse(insp.stdout) as { Digest: string }).Digest, out.digest);
    const tags = JSON.parse(skopeo(['list-tags', '--tls-verify=false', `docker://${reg!.host}/probe`]).stdout) as { Tags: string[] };
    assert.deepEqual(tags.Tags.sort(), ['1', out.sbom.tag].sort());
    const dst = mkdtempSync(join(tmpdir(), 'gokiln-copy-'));
    try {
      const cp = skopeo(['copy', '--src-tls-verify=false', `docker://${reg!.host}/probe:1`, `oci:${dst}:1`]);
      assert.equal(cp.status, 0, cp.stderr);
    } finally {
      rmSync(dst, { recursive: true, force: true });
    }
  });

  test('htpasswd (bcrypt): credentials from $DOCKER_CONFIG work; a wrong password is E_AUTH and never printed', async () => {
    const cfg = (pw: string) =>
      writeFileSync(
        join(cfgDir, 'config.json'),
        JSON.stringify({ auths: { [authReg!.host]: { auth: Buffer.from(`kiln:${pw}`).toString('base64') } } }),
      );
    cfg('s3cret-pw');
    const ok = await push(`${authReg!.host}/probe:1`, { DOCKER_CONFIG: cfgDir });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(
      skopeo(['inspect', '--tls-verify=false', `docker://${authReg!.host}/probe:1`]).status !== 0,
      true,
      'truth: the registry wants credentials',
    );
    assert.equal(skopeo(['inspect', '--tls-verify=false', '--creds', 'kiln:s3cret-pw', `docker://${authReg!.host}/probe:1`]).status, 0);
    cfg('wrong-pw-123');
    const bad = await push(`${authReg!.host}/probe:2`, { DOCKER_CONFIG: cfgDir });
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /gokiln: E_AUTH: .*refused the credentials.*HTTP 401/);
    assert.doesNotMatch(bad.stderr + bad.stdout, /wrong-pw-123|s3cret/);
    const none = await push(`${authReg!.host}/probe:3`);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /E_AUTH: .*none is configured/);
  });

  test('a refused connection is E_NETWORK after retries', async () => {
    const port = await freePort();
    const r = await push(`127.0.0.1:${port}/probe:1`);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /gokiln: E_NETWORK: .*ECONNREFUSED.*after 4 attempts/);
  });

  const viaProxy = async (
    fault: (method: string, path: string, n: number) => Fault,
    run: (host: string, seen: string[]) => Promise<void>,
  ) => {
    const counts = new Map<string, number>();
    const proxy = await startProxy(reg!.port, (m, p) => {
      const k = `${m} ${p.replace(/[0-9a-f-]{36}/, 'UUID')}`;
      const n = (counts.get(k) ?? 0) + 1;
      counts.set(k, n);
      return fault(m, p, n);
    });
    try {
      await run(proxy.host, proxy.seen);
    } finally {
      await proxy.stop();
    }
  };

  test('a registry answering 500 then 201 on the retry: the push completes', async () => {
    let failed = 0;
    await viaProxy(
      (m, p) => (m === 'PUT' && p.includes('/blobs/uploads/') && failed++ === 0 ? { status: 500 } : 'pass'),
      async (host, seen) => {
        const r = await push(`${host}/retry:1`);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(
          seen.some((s) => /^PUT .*uploads.* 500$/.test(s)),
          seen.join('\n'),
        );
        assert.equal(await manifestStatus(reg!.host, 'retry', '1'), 200);
      },
    );
  });

  test('a registry refusing monolithic uploads: chunked PATCH uploads (distribution 2.8 Content-Range) complete the push', async () => {
    // refuse a PUT that carries the body; let through the final PUT with an empty body
    let sawBodyPut = false;
    await viaProxyBody(reg!.port, async (host, seen) => {
      const r = await push(`${host}/chunked:1`);
      assert.equal(r.status, 0, r.stderr);
      sawBodyPut = seen.some((s) => /^PUT .* 405$/.test(s));
      assert.ok(
        seen.some((s) => /^PATCH .*uploads.* 202$/.test(s)),
        seen.join('\n'),
      );
      const insp = skopeo(['inspect', '--tls-verify=false', `docker://${reg!.host}/chunked:1`]);
      assert.equal(insp.status, 0, insp.stderr);
    });
    assert.ok(sawBodyPut);
  });

  test('a corrupted upload (one byte flipped on the way): E_DIGEST, and no tag points at the image', async () => {
    await viaProxy(
      (m, p) => (m === 'PUT' && p.includes('/blobs/uploads/') ? 'corrupt' : 'pass'),
      async (host) => {
        const r = await push(`${host}/corrupt:1`);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /gokiln: E_DIGEST: /);
        assert.equal(await manifestStatus(reg!.host, 'corrupt', '1'), 404);
      },
    );
  });

  test('--base REF: built on the pushed base (its layers first, its digest annotated); a wrong platform is E_PLATFORM; a corrupted blob is E_DIGEST', async () => {
    const base = JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${reg!.host}/probe:1`]).stdout) as {
      Digest: string;
      Layers: string[];
    };
    const out = mkdtempSync(join(tmpdir(), 'gokiln-onbase-'));
    try {
      const r = await gokilnAsync(
        ['build', src, '--base', `${reg!.host}/probe:1`, '--oci', join(out, 'layout'), '--tag', 'onbase:1', '--json'],
        { DOCKER_CONFIG: empty },
      );
      assert.equal(r.status, 0, r.stderr);
      const built = JSON.parse(r.stdout) as { digest: string; base: { name: string }; platforms: Array<{ baseDigest: string }> };
      assert.equal(built.platforms[0]!.baseDigest, base.Digest);
      const insp = JSON.parse(skopeo(['inspect', `oci:${join(out, 'layout')}:1`]).stdout) as { Layers: string[] };
      assert.deepEqual(insp.Layers.slice(0, base.Layers.length), base.Layers);
      assert.equal(insp.Layers.length, base.Layers.length + 1);
      const wrong = await gokilnAsync(
        ['build', src, '--base', `${reg!.host}/probe:1`, '--platform', 'linux/arm64', '--oci', join(out, 'arm')],
        { DOCKER_CONFIG: empty },
      );
      assert.equal(wrong.status, 2, wrong.stderr);
      assert.match(wrong.stderr, /gokiln: E_PLATFORM: .*linux\/amd64.*linux\/arm64/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    await viaProxy(
      (m, p) => (m === 'GET' && p.includes('/blobs/sha256:') ? 'corrupt-response' : 'pass'),
      async (host) => {
        const r = await gokilnAsync(['build', src, '--base', `${host}/probe:1`, '--oci', join(tmpdir(), `gokiln-never-${process.pid}`)], {
          DOCKER_CONFIG: empty,
        });
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /gokiln: E_DIGEST: .*expected sha256:/);
        assert.equal(existsSync(join(tmpdir(), `gokiln-never-${process.pid}`)), false);
      },
    );
  });

  test('an interrupted push leaves no tag; the rerun sends only what is missing and completes', async () => {
    let puts = 0;
    await viaProxy(
      (m, p) => (m === 'PUT' && p.includes('/blobs/uploads/') && ++puts >= 2 ? 'drop' : 'pass'),
      async (host) => {
        const r = await push(`${host}/interrupted:1`);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /E_NETWORK/);
        assert.equal(await manifestStatus(reg!.host, 'interrupted', '1'), 404, 'no tag on a half-pushed image');
      },
    );
    await viaProxy(
      () => 'pass',
      async (host, seen) => {
        const r = await push(`${host}/interrupted:1`);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(
          seen.some((s) => /^HEAD .*\/blobs\/sha256:.* 200$/.test(s)),
          'the blob sent before the interruption is not sent again',
        );
        assert.equal(await manifestStatus(reg!.host, 'interrupted', '1'), 200);
      },
    );
  });
});

/** A proxy that answers 405 to a blob PUT with a body (a registry without monolithic uploads). */
async function viaProxyBody(target: number, run: (host: string, seen: string[]) => Promise<void>): Promise<void> {
  const { createServer, request } = await import('node:http');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    const withBody = Number(req.headers['content-length'] ?? '0') > 0 || req.headers['transfer-encoding'] === 'chunked';
    if (req.method === 'PUT' && path.includes('/blobs/uploads/') && withBody) {
      seen.push(`PUT ${path} 405`);
      req.resume();
      res.writeHead(405).end();
      return;
    }
    const up = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (r) => {
      seen.push(`${req.method} ${path} ${r.statusCode}`);
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  try {
    await run(`127.0.0.1:${port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
