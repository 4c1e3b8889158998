#!/usr/bin/env node
// `npm run example`: gokiln's main job on the example in the repo. Builds examples/hello-service the
// way people commonly do (pure Go, cgo on a glibc host, and cgo against musl when musl-gcc exists), then
// asks gokiln where each binary will run, without running any of them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const example = 'examples/hello-service';
const out = mkdtempSync(join(tmpdir(), 'gokiln-example-'));
const builds = [
  { name: 'app-static', env: { CGO_ENABLED: '0' }, flags: ['-trimpath', '-ldflags=-s -w'] },
  { name: 'app-cgo-glibc', env: { CGO_ENABLED: '1' }, flags: [] },
];
if (spawnSync('musl-gcc', ['--version']).status === 0) builds.push({ name: 'app-cgo-musl', env: { CGO_ENABLED: '1', CC: 'musl-gcc' }, flags: [] });

const files = [];
for (const b of builds) {
  const file = join(out, b.name);
  process.stderr.write(`go build ${b.flags.join(' ')} (${Object.entries(b.env).map(([k, v]) => `${k}=${v}`).join(' ')}) -> ${file}\n`);
  execFileSync('go', ['build', ...b.flags, '-o', file, '.'], { cwd: example, env: { ...process.env, ...b.env }, stdio: 'inherit' });
  files.push(file);
}

const cli = 'dist/src/cli/main.js';
const runtimes = ['scratch', 'distroless/static-debian12', 'alpine:3.22', 'debian:bullseye', 'debian:bookworm', 'ubuntu:24.04'];
process.stderr.write(`\ngokiln inspect --runtime ${runtimes.join(' ')} -- <3 binaries>\n\n`);
const r = spawnSync(process.execPath, [cli, 'inspect', '--runtime', ...runtimes, '--', ...files], { stdio: 'inherit' });
// exit 1 only means "some binary fails on some runtime", which is the point of the demo
process.exitCode = r.status === 1 || r.status === 0 ? 0 : r.status ?? 1;
if (existsSync(join(cli, '..', 'plan.js'))) {
  process.stderr.write(`\ngokiln plan ${example}\n\n`);
  spawnSync(process.execPath, [cli, 'plan', example], { stdio: 'inherit' });
}
