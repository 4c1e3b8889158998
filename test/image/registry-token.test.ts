/**
 * Bearer token auth against a real registry: Debian's docker-registry with `auth: token:` trusting a test token
 * server (token-server.ts, RS256 JWTs signed with an openssl-made key). Credentials come from a Docker config:
 * `auths` (user and password → a Basic-authenticated token request), `credHelpers` and `credsStore` (a
 * `docker-credential-NAME` script on PATH, as the docker CLI runs it), and an identity token (a helper answering
 * `Username: <token>` → the refresh-token grant). Tokens are cached per scope: a whole push asks for one.
 * A wrong password is E_AUTH and no password is ever printed. skopeo, with its own credentials, reads back.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokilnAsync, probeProject } from '../build/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { startRegistry, type Registry } from './registry-harness.js';
import { startTokenServer, type TokenServer } from './token-server.js';

const missing = ['go', 'docker-registry', 'skopeo', 'openssl'].filter((t) => !needTool(t));
const ACCOUNT = { user: 'kiln', password: 'b3arer-s3cret-pw', refreshToken: 'refresh-tok-9f8e7d' };

describe(
  'gokiln build --push with Bearer tokens and credential helpers',
  { skip: missing.length ? `${missing.join(', ')} needed` : false },
  () => {
    const work = scratchDir('gokiln-registry-token-');
    const src = probeProject();
    let tokens: TokenServer | null = null;
    let reg: Registry | null = null;
    const bin = join(work, 'bin');

    before(async () => {
      tokens = await startTokenServer(work, ACCOUNT);
      reg = await startRegistry({
        token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootcertbundle: tokens.certFile },
      });
      mkdirSync(bin);
    });
    after(async () => {
      await reg?.stop();
      await tokens?.stop();
      rmSync(src, { recursive: true, force: true });
    });

    /** A Docker config directory holding `config`. */
    const dockerConfig = (name: string, config: unknown) => {
      const dir = join(work, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      return dir;
    };
    /** `docker-credential-NAME` on PATH: reads the server on stdin, answers `get` for the registry only. */
    const helper = (name: string, username: string, secret: string) => {
      const file = join(bin, `docker-credential-${name}`);
      writeFileSync(
        file,
        `#!/bin/sh\n[ "$1" = get ] || exit 1\nread server\n[ "$server" = "${reg!.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\nprintf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\\n' "$server" '${username}' '${secret}'\n`,
      );
      chmodSync(file, 0o755);
    };
    // --no-cache: each test's push is a first push; the pushed-blob memory would mount from the repository the
    // test before pushed to, with a token of its own (that memory is tested in registry-mount.test.ts)
    const push = (repo: string, config: string) =>
      gokilnAsync(['build', src, '--push', `${reg!.host}/${repo}:1`, '--sbom', 'none', '--json', '--no-cache'], {
        DOCKER_CONFIG: config,
        PATH: `${bin}:${process.env.PATH}`,
      });
    // asynchronous: the token server skopeo asks lives in this process
    const readBack = (repo: string): Promise<{ status: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        execFile(
          'skopeo',
          ['inspect', '--tls-verify=false', '--creds', `${ACCOUNT.user}:${ACCOUNT.password}`, `docker://${reg!.host}/${repo}:1`],
          { encoding: 'utf8', timeout: 120_000 },
          (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const tokenRequests = (from: number) => tokens!.requests.slice(from);

    test('auths user/password: the registry challenges with Bearer, one token for the whole push; skopeo reads it back; the registry refuses no token', async () => {
      const anonymous = await fetch(`http://${reg!.host}/v2/`);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
      const from = tokens!.requests.length;
      const auth = Buffer.from(`${ACCOUNT.user}:${ACCOUNT.password}`).toString('base64');
      const r = await push('bearer/auths', dockerConfig('auths', { auths: { [reg!.host]: { auth } } }));
      assert.equal(r.status, 0, r.stderr);
      const asked = tokenRequests(from);
      assert.equal(asked.length, 1, `one token for the push's one scope: ${JSON.stringify(asked)}`);
      assert.equal(asked[0]!.grant, 'basic');
      assert.ok(asked[0]!.scopes.includes('repository:bearer/auths:pull,push'));
      const back = await readBack('bearer/auths');
      assert.equal(back.status, 0, back.stderr);
      assert.equal((JSON.parse(back.stdout) as { Digest: string }).Digest, (JSON.parse(r.stdout) as { digest: string }).digest);
      assert.ok(!(r.stdout + r.stderr).includes(ACCOUNT.password));
    });

    test('a wrong password: E_AUTH from the token endpoint, the password never printed', async () => {
      const auth = Buffer.from(`${ACCOUNT.user}:wrong-${ACCOUNT.password}`).toString('base64');
      const r = await push('bearer/wrong', dockerConfig('wrong', { auths: { [reg!.host]: { auth } } }));
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /gokiln: E_AUTH: .*token endpoint refused the credentials \(HTTP 401\)/);
      assert.ok(!(r.stdout + r.stderr).includes(ACCOUNT.password), 'no password in the output');
    });

    test('credHelpers: docker-credential-NAME on PATH gives user and password', async () => {
      helper('gokilnhelper', ACCOUNT.user, ACCOUNT.password);
      const from = tokens!.requests.length;
      const r = await push(
        'bearer/helper',
        dockerConfig('helpers', {
          credHelpers: { [reg!.host]: 'gokilnhelper' },
          auths: { [reg!.host]: { auth: Buffer.from('kiln:not-this-one').toString('base64') } },
        }),
      );
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        tokenRequests(from).map((q) => `${q.grant} ${q.status}`),
        ['basic 200'],
        'the helper wins over auths',
      );
      assert.equal((await readBack('bearer/helper')).status, 0);
      assert.ok(!(r.stdout + r.stderr).includes(ACCOUNT.password));
    });

    test('credsStore with an identity token (Username <token>): the refresh-token grant, POSTed to the realm', async () => {
      helper('gokilnstore', '<token>', ACCOUNT.refreshToken);
      const from = tokens!.requests.length;
      const r = await push('bearer/identity', dockerConfig('store', { credsStore: 'gokilnstore' }));
      assert.equal(r.status, 0, r.stderr);
      const asked = tokenRequests(from);
      assert.deepEqual(
        asked.map((q) => `${q.method} ${q.grant} ${q.status}`),
        ['POST refresh_token 200'],
      );
      assert.ok(asked[0]!.scopes.includes('repository:bearer/identity:pull,push'));
      assert.equal((await readBack('bearer/identity')).status, 0);
      assert.ok(!(r.stdout + r.stderr).includes(ACCOUNT.refreshToken), 'the identity token is not printed');
    });

    test('a build on a base behind the same token auth: the mount asks one more token, with pull on the base repository', async () => {
      const auth = Buffer.from(`${ACCOUNT.user}:${ACCOUNT.password}`).toString('base64');
      const cfg = dockerConfig('mount', { auths: { [reg!.host]: { auth } } });
      const app = probeProject({}, 'package main\n\nfunc main() { println("on a bearer base") }\n');
      try {
        const from = tokens!.requests.length;
        const r = await gokilnAsync(
          ['build', app, '--base', `${reg!.host}/bearer/auths:1`, '--push', `${reg!.host}/bearer/mounted:1`, '--sbom', 'none', '--json'],
          { DOCKER_CONFIG: cfg },
        );
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { output: { blobs: { mounted: number; sent: number } } };
        assert.ok(out.output.blobs.mounted > 0, JSON.stringify(out.output));
        const asked = tokenRequests(from);
        assert.ok(
          asked.some((q) => q.scopes.includes('repository:bearer/auths:pull') && q.scopes.includes('repository:bearer/mounted:pull,push')),
          JSON.stringify(asked),
        );
        assert.ok(asked.length <= 3, `tokens are cached per scope set (pull of the base, push, push + mount): ${asked.length}`);
      } finally {
        rmSync(app, { recursive: true, force: true });
      }
    });
  },
);
