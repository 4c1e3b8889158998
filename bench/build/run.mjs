#!/usr/bin/env node
// bench/build: gokiln build against ko on the same small HTTP service (examples/hello-service), the same base
// (gokiln's embedded base, pushed to a local docker-registry for ko as KO_DEFAULTBASEIMAGE), linux/amd64,
// each pushing to that registry (ko's --oci-layout-path still wants a publisher, so both push), each run to a
// repository of its own. Cold (an empty GOCACHE, and for gokiln empty caches of its own: XDG_CACHE_HOME) and
// warm (the same caches again), in two rounds (gokiln first, then ko first) in one run; prints
// wall times, the wall-time and image-size ratios, and whether each gives the same digest twice.
//   npm run build && node bench/build/run.mjs        (ko from PATH or ~/.cache/gokiln/bin: go install github.com/google/ko@latest)
//   node bench/build/run.mjs --node 24               gokiln on another Node line (scripts/node-lines.mjs fetches it)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { nodeFor } from '../../scripts/node-lines.mjs';
import { BlobStore } from '../../dist/src/image/write/blob-store.js';
import { embeddedBase } from '../../dist/src/image/base/embedded.js';
import { configDocument, manifestDocument } from '../../dist/src/image/write/manifest.js';
import { pushImage } from '../../dist/src/image/registry/push.js';

const { values } = parseArgs({ options: { node: { type: 'string' } } });
// the Node that runs gokiln: this one, or a tested line's binary
const gokilnNode = values.node ? nodeFor(values.node) : process.execPath;
const ko = [join(homedir(), '.cache', 'gokiln', 'bin', 'ko'), ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'ko'))].find((p) =>
  existsSync(p),
);
if (!ko) {
  process.stderr.write('ko not found: go install github.com/google/ko@latest (GOBIN=~/.cache/gokiln/bin)\n');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'gokiln-bench-build-'));
const cleanups = [() => rmSync(work, { recursive: true, force: true })];
const done = () => cleanups.reverse().forEach((c) => c());
process.on('SIGINT', () => (done(), process.exit(130)));

const freePort = () =>
  new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
const timed = (cmd, args, opts) =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) =>
      code === 0
        ? resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, out })
        : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${err}`)),
    );
  });
/** compressed size (config + layers) of a pushed manifest */
async function pushedSize(port, repo, digest) {
  const res = await fetch(`http://127.0.0.1:${port}/v2/${repo}/manifests/${digest}`, {
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  const m = await res.json();
  return m.config.size + m.layers.reduce((n, l) => n + l.size, 0);
}

try {
  // a registry with the embedded base in it, for ko
  const port = await freePort();
  writeFileSync(
    join(work, 'registry.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'registry')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const reg = spawn('docker-registry', ['serve', join(work, 'registry.yml')], { stdio: 'ignore' });
  cleanups.push(() => reg.kill());
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) break;
    } catch {
      // not listening yet: try again
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const store = new BlobStore(join(work, 'base-store'));
  const platform = { os: 'linux', architecture: 'amd64' };
  const base = await embeddedBase(store, platform, 'oci');
  const cfg = configDocument('oci', base.config);
  await store.putBytes(cfg.bytes);
  const man = manifestDocument(
    'oci',
    cfg.descriptor,
    base.layers.map((l) => l.descriptor),
  );
  await store.putBytes(man.bytes);
  const baseRef = `127.0.0.1:${port}/base:1`;
  await pushImage(
    {
      store,
      style: 'oci',
      top: man.descriptor,
      platforms: [{ platform, manifest: man.descriptor, config: cfg.descriptor, layers: base.layers.map((l) => l.descriptor) }],
      repository: 'base',
      tag: '1',
      extras: [],
    },
    baseRef,
    { credentials: null },
  );

  const src = join(work, 'hello-service');
  cpSync('examples/hello-service', src, { recursive: true });
  const results = { gokiln: [], ko: [] };
  // two rounds in both orders: the first cold build of a round also warms the page cache (Go's sources and
  // tools) for the second, ~10% of a cold build, so each tool goes first once and the means are compared
  for (const [round, tool] of [
    [0, 'gokiln'],
    [0, 'ko'],
    [1, 'ko'],
    [1, 'gokiln'],
  ]) {
    const gocache = join(work, `gocache-${tool}-${round}`);
    const env = {
      ...process.env,
      // gokiln's own caches (layers, pushed blobs, kept binaries, code cache) start empty with the cold run too
      XDG_CACHE_HOME: join(work, `xdg-${tool}-${round}`),
      GOCACHE: gocache,
      GOFLAGS: '-mod=mod',
      GOTOOLCHAIN: 'local',
      NO_COLOR: '1',
      KO_DOCKER_REPO: `127.0.0.1:${port}/ko`,
      KO_DEFAULTBASEIMAGE: baseRef,
    };
    for (const phase of ['cold', 'warm', 'warm']) {
      const repo = `${tool}-${results[tool].length}`;
      const r =
        tool === 'gokiln'
          ? await timed(
              gokilnNode,
              [
                'dist/bin/gokiln.js',
                'build',
                src,
                '--push',
                `127.0.0.1:${port}/${repo}:1`,
                '--sbom',
                'none',
                '--platform',
                'linux/amd64',
                '--json',
              ],
              { env },
            )
          : await timed(ko, ['build', '--bare', '--sbom=none', '--platform=linux/amd64', '.'], {
              env: { ...env, KO_DOCKER_REPO: `127.0.0.1:${port}/${repo}` },
              cwd: src,
            });
      const digest = tool === 'gokiln' ? JSON.parse(r.out).digest : /@(sha256:[0-9a-f]{64})/.exec(r.out)[1];
      results[tool].push({ round, phase, ms: r.ms, digest, size: await pushedSize(port, repo, digest) });
    }
  }
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' }).stdout.trim();
  const koVersion = spawnSync(ko, ['version'], { encoding: 'utf8' }).stdout.trim();
  process.stdout.write(
    `${goVersion}; ko ${koVersion}; gokiln ${JSON.parse(readFileSync('package.json', 'utf8')).version} on Node ${spawnSync(gokilnNode, ['--version'], { encoding: 'utf8' }).stdout.trim()}; base: gokiln's embedded base for both\n\n`,
  );
  process.stdout.write('tool    round phase  wall ms   image bytes  digest\n');
  for (const [tool, rs] of Object.entries(results))
    for (const r of rs)
      process.stdout.write(
        `${tool.padEnd(7)} ${String(r.round + 1).padEnd(5)} ${r.phase.padEnd(5)} ${r.ms.toFixed(0).padStart(8)} ${String(r.size).padStart(12)}  ${r.digest}\n`,
      );
  const g = results.gokiln,
    k = results.ko;
  const mean = (rs, phase) => rs.filter((r) => r.phase === phase).reduce((n, r, _, a) => n + r.ms / a.length, 0);
  const ratio = (a, b) => (a / b).toFixed(2);
  process.stdout.write(
    `\nwall time gokiln/ko (means over both orders): cold ${ratio(mean(g, 'cold'), mean(k, 'cold'))}, warm ${ratio(mean(g, 'warm'), mean(k, 'warm'))}\n`,
  );
  process.stdout.write(`image size gokiln/ko: ${ratio(g[1].size, k[1].size)}\n`);
  process.stdout.write(
    `same digest on every run (both rounds): gokiln ${g.every((r) => r.digest === g[0].digest)}, ko ${k.every((r) => r.digest === k[0].digest)}; within each round: gokiln ${g.every((r) => r.digest === g.find((x) => x.round === r.round).digest)}, ko ${k.every((r) => r.digest === k.find((x) => x.round === r.round).digest)}\n`,
  );
} finally {
  done();
}
