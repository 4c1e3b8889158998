/**
 * An OCI distribution API client on Node's fetch: answers Basic and Bearer challenges (tokens cached per
 * scope), retries what may pass on a second try (connection errors, 429, 5xx) a few times with backoff, and
 * turns the rest into typed errors — E_NETWORK (unreachable), E_AUTH (401/403, never printing a secret),
 * E_DIGEST (the registry computed another digest), E_REGISTRY (anything else, with its error codes).
 */
import { GokilnError } from '../../errors.js';
import type { Credentials } from './credentials.js';
import type { RegistryRef } from './reference.js';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** `Bearer realm="https://auth",service="reg",scope="repository:a:pull"` → scheme and params. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme, params };
}

export interface RequestInit2 {
  method: string;
  headers?: Record<string, string>;
  /** a body factory, so a retried request sends it again */
  body?: () => NonNullable<RequestInit['body']>;
  /** statuses the caller handles itself (e.g. 404 on HEAD) */
  accept?: number[];
}

export interface ClientOptions {
  credentials: Credentials | null;
  /** how many times to try a request that may pass again (default 4) */
  attempts?: number;
  /** first backoff in ms (doubles each time) */
  backoffMs?: number;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export class RegistryClient {
  private tokens = new Map<string, string>();
  /** a token being fetched, per scope: requests made at once (a push sends blobs in parallel) share one */
  private fetching = new Map<string, Promise<void>>();
  private basic: string | null = null;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(
    readonly ref: RegistryRef,
    private readonly opts: ClientOptions,
  ) {
    this.attempts = opts.attempts ?? 4;
    this.backoffMs = opts.backoffMs ?? 200;
  }

  url(path: string): string {
    return path.startsWith('http://') || path.startsWith('https://') ? path : `${this.ref.base}${path}`;
  }

  private scope(actions: string): string {
    return `repository:${this.ref.repository}:${actions}`;
  }

  private authHeader(scope: string): Record<string, string> {
    const t = this.tokens.get(scope);
    if (t) return { Authorization: `Bearer ${t}` };
    if (this.basic) return { Authorization: `Basic ${this.basic}` };
    return {};
  }

  private async answer(ch: Challenge, scope: string): Promise<void> {
    const c = this.opts.credentials;
    if (ch.scheme === 'basic') {
      if (!c?.username)
        throw new GokilnError(
          'E_AUTH',
          `${this.ref.host} asks for a user name and password and none is configured (docker login ${this.ref.host}, or $DOCKER_CONFIG/config.json)`,
        );
      this.basic = Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64');
      return;
    }
    const realm = ch.params.realm;
    if (!realm) throw new GokilnError('E_REGISTRY', `${this.ref.host}: a Bearer challenge without a realm`);
    const u = new URL(realm);
    if (ch.params.service) u.searchParams.set('service', ch.params.service);
    // a challenge may name several scopes, space-separated (a mount needs pull on the source repository too);
    // the token endpoint takes each as a scope parameter of its own
    // what the challenge names and what the caller will need for the rest of its work (one token per scope set)
    const scopes = [...new Set([...(ch.params.scope ?? '').split(' '), ...scope.split(' ')].filter(Boolean))];
    for (const s of scopes) u.searchParams.append('scope', s);
    let res: Response;
    try {
      if (c?.identityToken) {
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: c.identityToken,
          service: ch.params.service ?? '',
          scope: scopes.join(' '),
          client_id: 'gokiln',
        });
        res = await fetch(realm, { method: 'POST', body: form });
      } else {
        const headers: Record<string, string> = c?.username
          ? { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}` }
          : {};
        res = await fetch(u, { headers });
      }
    } catch (e) {
      throw new GokilnError('E_NETWORK', `token endpoint ${u.origin}${u.pathname}: ${causeOf(e)}`);
    }
    if (res.status === 401 || res.status === 403)
      throw new GokilnError('E_AUTH', `${this.ref.host}: the token endpoint refused the credentials (HTTP ${res.status})`);
    if (!res.ok) throw new GokilnError('E_REGISTRY', `${this.ref.host}: token endpoint answered HTTP ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new GokilnError('E_REGISTRY', `${this.ref.host}: the token endpoint returned no token`);
    this.tokens.set(scope, token);
  }

  /**
   * One request with auth, retries and typed errors; `actions` is the scope it needs (`pull`, `pull,push`),
   * `alsoScopes` what else it touches (`repository:base:pull` for a cross-repository mount).
   */
  async request(path: string, init: RequestInit2, actions = 'pull', alsoScopes: string[] = []): Promise<Response> {
    const scope = [this.scope(actions), ...alsoScopes].join(' ');
    let authed = false;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      const auth = this.authHeader(scope);
      try {
        const body = init.body?.();
        res = await fetch(this.url(path), {
          method: init.method,
          headers: { ...init.headers, ...auth },
          ...(body !== undefined ? { body, duplex: 'half' } : {}),
          redirect: 'follow',
        } as RequestInit);
      } catch (e) {
        if (attempt < this.attempts) {
          await sleep(this.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        throw new GokilnError('E_NETWORK', `${init.method} ${this.url(path)}: ${causeOf(e)} (after ${attempt} attempts)`);
      }
      if (init.accept?.includes(res.status)) return res;
      if (res.status === 401 && !authed) {
        const ch = parseChallenge(res.headers.get('www-authenticate'));
        await res.body?.cancel();
        if (!ch) throw new GokilnError('E_AUTH', `${this.ref.host}: HTTP 401 without a challenge gokiln can answer`);
        // answered already by a request made at the same time (its credentials came after this one left): use them
        if (this.authHeader(scope).Authorization === auth.Authorization) {
          let pending = this.fetching.get(scope);
          if (!pending) {
            pending = this.answer(ch, scope).finally(() => this.fetching.delete(scope));
            this.fetching.set(scope, pending);
          }
          await pending;
        }
        authed = true;
        attempt--;
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new GokilnError(
          'E_AUTH',
          `${this.ref.host} refused the credentials for ${this.ref.repository} (HTTP ${res.status}${this.opts.credentials?.username ? ` as user ${this.opts.credentials.username}` : ''}); check docker login / $DOCKER_CONFIG`,
        );
      }
      if (RETRY_STATUS.has(res.status) && attempt < this.attempts) {
        await res.body?.cancel();
        await sleep(this.backoffMs * 2 ** (attempt - 1));
        continue;
      }
      if (res.ok) return res;
      const text = await res.text().catch(() => '');
      const codes = registryErrorCodes(text);
      if (codes.includes('DIGEST_INVALID') || (codes.includes('BLOB_UPLOAD_INVALID') && /digest/i.test(text))) {
        throw new GokilnError(
          'E_DIGEST',
          `${init.method} ${path}: ${this.ref.host} computed another digest for the content sent (${codes.join(', ')})`,
        );
      }
      throw new GokilnError(
        'E_REGISTRY',
        `${init.method} ${path}: HTTP ${res.status}${codes.length ? ` ${codes.join(', ')}` : ''}${attempt > 1 ? ` after ${attempt} attempts` : ''}`,
      );
    }
  }
}

export function registryErrorCodes(text: string): string[] {
  try {
    const j = JSON.parse(text) as { errors?: Array<{ code?: string }> };
    return (j.errors ?? []).map((e) => e.code ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

function causeOf(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
