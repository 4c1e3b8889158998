/**
 * Shared by the engine tests: one engine per test file (its storage holds the loaded base images and
 * buildah's cache mounts, so the module and build caches carry over from one example to the next), base
 * images loaded once, a server probed from inside its network namespace, and a process's ids read from
 * /proc on the host.
 */
import { readFileSync } from 'node:fs';
import { Engine, exec } from '../harness/engine.js';
import { ensureBaseImage, externalImages } from '../fixtures/base-images.js';
import { fixtureDir } from '../fixtures/paths.js';
import { join } from 'node:path';

/** Go's module and build caches as buildah's cache mounts keep them, shared by every engine test run. */
export const BUILD_CACHE = () => join(fixtureDir(), 'engine-build-cache');

export class SharedEngine {
  private engine: Promise<Engine> | null = null;
  private loaded = new Map<string, Promise<void>>();

  get(): Promise<Engine> {
    this.engine ??= Engine.start({ buildCache: BUILD_CACHE() });
    return this.engine;
  }

  /** Loads (once) every base image the Dockerfile's FROM lines name; made locally on first use. */
  async loadFor(dockerfile: string): Promise<Engine> {
    const e = await this.get();
    for (const ref of externalImages(dockerfile)) {
      let p = this.loaded.get(ref);
      if (!p) {
        p = ensureBaseImage(ref).then((archive) => e.load(archive));
        this.loaded.set(ref, p);
      }
      await p;
    }
    return e;
  }

  async close(): Promise<void> {
    if (this.engine) await (await this.engine).close();
    this.engine = null;
  }
}

/**
 * One GET to 127.0.0.1:port inside the network namespace of process `pid` (a container started with
 * --network none has only its loopback), retried until the server answers or 10 s pass.
 */
export async function getInNetns(pid: number, port: number, path: string): Promise<{ ok: boolean; body: string; error: string }> {
  const client = `
const http = require('node:http');
const [port, path] = process.argv.slice(1);
const deadline = Date.now() + 10000;
const get = () => http.get({ host: '127.0.0.1', port: Number(port), path }, (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => { process.stdout.write(body); process.exit(res.statusCode === 200 ? 0 : 3); });
}).on('error', (e) => { if (Date.now() > deadline) { process.stderr.write(e.message); process.exit(4); } setTimeout(get, 50); });
get();
`;
  const r = await exec('nsenter', [`--net=/proc/${pid}/ns/net`, '--', process.execPath, '-e', client, String(port), path], {
    timeoutMs: 20_000,
  });
  return { ok: r.exitCode === 0, body: r.stdout, error: r.stderr };
}

/** Real uid and gid of a process, from /proc/PID/status on the host (rootful podman: no user namespace). */
export function idsOf(pid: number): { uid: number; gid: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { uid: Number(/^Uid:\s+(\d+)/m.exec(s)![1]), gid: Number(/^Gid:\s+(\d+)/m.exec(s)![1]) };
}
