/**
 * A token server for docker-registry's `auth: token:` (the distribution token spec): it signs RS256 JWTs with
 * a key and self-signed certificate made by openssl, the certificate given to the registry as its
 * `rootcertbundle` and sent in each token's `x5c` header. It grants what is asked to one user (Basic auth on
 * GET, the password grant) or to a holder of its refresh token (POST, grant_type=refresh_token: what an
 * identity token is), and 401 to anyone else. Every request is recorded, so a test can count the tokens asked
 * for and see which grant was used.
 */
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { freePort } from './registry-harness.js';
import { selfSignedCert } from '../harness/self-signed.js';

export interface TokenRequest {
  method: string;
  grant: 'basic' | 'refresh_token' | 'none';
  scopes: string[];
  status: number;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** the certificate the registry trusts (`rootcertbundle`) */
  certFile: string;
  requests: TokenRequest[];
  stop(): Promise<void>;
}

export interface Account {
  user: string;
  password: string;
  /** the identity token a credential helper hands out (`Username: <token>`) */
  refreshToken: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** `repository:name:pull,push` → the access claim the registry checks. */
function access(scope: string): { type: string; name: string; actions: string[] } {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

export async function startTokenServer(dir: string, account: Account): Promise<TokenServer> {
  const keyFile = join(dir, 'token-key.pem');
  const certFile = join(dir, 'token-cert.pem');
  selfSignedCert(keyFile, certFile, '/CN=gokiln test token issuer', null);
  const key = createPrivateKey(readFileSync(keyFile));
  const der = new X509Certificate(readFileSync(certFile)).raw;
  const port = await freePort();
  const service = 'gokiln-test-registry';
  const issuer = 'gokiln-test-issuer';
  const requests: TokenRequest[] = [];

  const token = (sub: string, scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] }));
    const claims = b64url(
      JSON.stringify({
        iss: issuer,
        sub,
        aud: service,
        exp: now + 600,
        nbf: now - 30,
        iat: now,
        jti: randomBytes(8).toString('hex'),
        access: scopes.map(access),
      }),
    );
    return `${header}.${claims}.${b64url(sign('sha256', Buffer.from(`${header}.${claims}`), key))}`;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const form = new URLSearchParams(req.method === 'POST' ? body : '');
      const answer = (grant: TokenRequest['grant'], scopes: string[], ok: boolean) => {
        requests.push({ method: req.method ?? '', grant, scopes, status: ok ? 200 : 401 });
        if (!ok) return res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"bad credentials"}');
        const t = token(account.user, scopes);
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ token: t, access_token: t, expires_in: 600, issued_at: new Date().toISOString() }));
      };
      if (req.method === 'POST') {
        const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        const ok =
          form.get('grant_type') === 'refresh_token' &&
          form.get('refresh_token') === account.refreshToken &&
          form.get('service') === service;
        return answer('refresh_token', scopes, ok);
      }
      const scopes = url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean);
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Basic ')) return answer('none', scopes, false);
      const plain = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      answer('basic', scopes, plain === `${account.user}:${account.password}` && url.searchParams.get('service') === service);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
