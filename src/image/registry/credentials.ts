/**
 * Credentials for a registry host as Docker clients keep them: `$DOCKER_CONFIG/config.json` (default
 * ~/.docker/config.json) — `credHelpers[host]`, else `credsStore`, else `auths[host].auth` (base64
 * user:password) or `username`/`password`, and `identitytoken` (an OAuth refresh token for the token
 * endpoint). Helpers are run as `docker-credential-<name> get` with the host on stdin, as the docker CLI does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GokilnError } from '../../errors.js';

export interface Credentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

function keysFor(host: string): string[] {
  return host === 'docker.io'
    ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io']
    : [host, `https://${host}`, `http://${host}`];
}

function fromHelper(helper: string, host: string, env: NodeJS.ProcessEnv): Credentials | null {
  const r = spawnSync(`docker-credential-${helper}`, ['get'], { input: keysFor(host)[0], encoding: 'utf8', env, timeout: 30_000 });
  if (r.error) throw new GokilnError('E_AUTH', `credential helper docker-credential-${helper} could not run: ${r.error.message}`);
  if (r.status !== 0) return null; // "credentials not found in native keychain"
  let out: { Username?: string; Secret?: string };
  try {
    out = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
  } catch {
    // its output may hold the secret: not quoted
    throw new GokilnError(
      'E_AUTH',
      `credential helper docker-credential-${helper} printed something that is not the JSON credentials it should`,
    );
  }
  if (!out.Secret) return null;
  return out.Username === '<token>' ? { identityToken: out.Secret } : { username: out.Username ?? '', password: out.Secret };
}

export function credentialsFor(host: string, env: NodeJS.ProcessEnv = process.env): Credentials | null {
  const dir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return null;
  let cfg: DockerConfig;
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch (e) {
    throw new GokilnError('E_PARSE', `${file}: ${(e as Error).message}`, { file });
  }
  const helper = cfg.credHelpers?.[host];
  if (helper) return fromHelper(helper, host, env);
  for (const k of keysFor(host)) {
    const a = cfg.auths?.[k];
    if (!a) continue;
    if (a.identitytoken) return { identityToken: a.identitytoken };
    if (a.auth) {
      const plain = Buffer.from(a.auth, 'base64').toString('utf8');
      const i = plain.indexOf(':');
      return { username: plain.slice(0, i), password: plain.slice(i + 1) };
    }
    if (a.username !== undefined) return { username: a.username, password: a.password ?? '' };
  }
  if (cfg.credsStore) return fromHelper(cfg.credsStore, host, env);
  return null;
}
