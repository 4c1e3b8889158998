/**
 * A real registry for the push tests: Debian's docker-registry (CNCF distribution 2.8) started on 127.0.0.1
 * with its own config file and storage in a temporary directory, optionally behind htpasswd (bcrypt, made
 * with `htpasswd -Bbn`), and a fault proxy in front of it that can answer 500, refuse monolithic uploads,
 * flip a byte of an upload or drop the connection — the faults a push must survive or report.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface Registry {
  port: number;
  host: string;
  dir: string;
  stop(): Promise<void>;
}

/** Bearer auth: the registry sends clients to `realm` and trusts tokens signed by the key of `rootcertbundle` (token-server.ts). */
export interface TokenAuth {
  token: { realm: string; service: string; issuer: string; rootcertbundle: string };
}

export async function startRegistry(auth?: { user: string; password: string } | TokenAuth): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-registry-'));
  const port = await freePort();
  let authCfg = '';
  if (auth && 'token' in auth) {
    const t = auth.token;
    authCfg = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.rootcertbundle}\n`;
  } else if (auth) {
    const h = spawnSync('htpasswd', ['-Bbn', auth.user, auth.password], { encoding: 'utf8' });
    if (h.status !== 0) throw new Error(`htpasswd: ${h.stderr}`);
    writeFileSync(join(dir, 'htpasswd'), h.stdout);
    authCfg = `auth:\n  htpasswd:\n    realm: gokiln-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${authCfg}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => (log += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (res.status === 200 || res.status === 401) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    host: `127.0.0.1:${port}`,
    dir,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `corrupt` flips the first byte of the request body, `corrupt-response` that of the response body. */
export type Fault = 'pass' | { status: number } | 'corrupt' | 'corrupt-response' | 'drop';

export interface Proxy {
  port: number;
  host: string;
  /** every request seen: `METHOD path status` */
  seen: string[];
  stop(): Promise<void>;
}

/**
 * A proxy to `target`; `fault` decides per request (method, path, how many like it came before). `rewrite`
 * changes the URL sent on (the registry answers the rewritten request). `seen` shows paths without their query,
 * but a cross-repository mount keeps its `?mount=…&from=…`, so a test can tell mounts from uploads.
 */
export async function startProxy(
  target: number,
  fault: (method: string, path: string) => Fault,
  opts: { rewrite?: (url: string) => string } = {},
): Promise<Proxy> {
  const seen: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = opts.rewrite ? opts.rewrite(req.url ?? '') : (req.url ?? '');
    const path = url.includes('?mount=') ? decodeURIComponent(url) : url.split('?')[0]!;
    const f = fault(req.method ?? '', path);
    if (f === 'drop') {
      seen.push(`${req.method} ${path} dropped`);
      req.socket.destroy();
      return;
    }
    if (typeof f === 'object') {
      seen.push(`${req.method} ${path} ${f.status}`);
      req.resume();
      res
        .writeHead(f.status, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'injected by the test proxy' }] }));
      return;
    }
    const up = request({ host: '127.0.0.1', port: target, method: req.method, path: url, headers: req.headers }, (r) => {
      seen.push(`${req.method} ${path} ${r.statusCode}`);
      res.writeHead(r.statusCode ?? 502, r.headers);
      if (f === 'corrupt-response') r.pipe(flipFirstByte()).pipe(res);
      else r.pipe(res);
    });
    up.on('error', () => res.destroy());
    const body = f === 'corrupt' ? flipFirstByte() : null;
    if (body) req.pipe(body).pipe(up);
    else req.pipe(up);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    port,
    host: `127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function flipFirstByte(): Transform {
  let flipped = false;
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      if (!flipped && chunk.length > 0) {
        chunk = Buffer.from(chunk);
        chunk[0] = chunk[0]! ^ 0xff;
        flipped = true;
      }
      done(null, chunk);
    },
  });
}
