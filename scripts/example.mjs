#!/usr/bin/env node
// `npm run example`: gokiln's main job on the example in the repo, examples/hello-service (a pure-Go
// HTTP service with a TLS client and time zones), on a scratch copy so the repo stays clean:
//   1. plan    — what the project needs and which paradigm fits
//   2. init    — write the Dockerfile for that paradigm
//   3. lint    — the written Dockerfile, with the Go-aware rules
//   4. inspect — binaries built the way the Dockerfile builds them and the way people often get it wrong
//               (cgo on a glibc host, cgo against musl), judged against real runtimes without running them
//   5. build   — the image itself, with no Docker daemon and no registry: the service on the embedded base,
//               written as a docker-archive; then the proof that it runs: podman loads it and runs it
//               (as uid 65532) when podman is installed
// The scratch copy ($WORK, with the builds and the image about 60 MB) is removed at the end, also when a step fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = 'dist/bin/gokiln.js';
const work = mkdtempSync(join(tmpdir(), 'gokiln-example-'));
const project = join(work, 'hello-service');

// the scratch copy and the three builds (~24 MB) go away however the run ends: done, failed, or interrupted
const cleanups = [];
const cleanUp = () => {
  for (const c of cleanups) c();
  rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanUp();
    process.exit(128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig]);
  });
}

function gokiln(args, okCodes = [0]) {
  process.stdout.write(`\n$ gokiln ${args.join(' ').replaceAll(work, '$WORK')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (!okCodes.includes(r.status)) throw new Error(`gokiln ${args[0]} exited ${r.status}`);
}

try {
  cpSync('examples/hello-service', project, { recursive: true });
  process.stdout.write(`# working on a copy: WORK=${work}\n`);
  gokiln(['plan', project]);
  gokiln(['init', project, '--paradigm', 'distroless']);
  gokiln(['lint', join(project, 'Dockerfile')]);

  const builds = [
    { name: 'app-static', env: { CGO_ENABLED: '0' }, flags: ['-trimpath', '-ldflags=-s -w'] },
    { name: 'app-cgo-glibc', env: { CGO_ENABLED: '1' }, flags: [] },
  ];
  if (spawnSync('musl-gcc', ['--version']).status === 0)
    builds.push({ name: 'app-cgo-musl', env: { CGO_ENABLED: '1', CC: 'musl-gcc' }, flags: [] });
  const files = [];
  process.stdout.write('\n');
  for (const b of builds) {
    const file = join(work, b.name);
    process.stdout.write(
      `$ ${Object.entries(b.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} go build ${b.flags.map((f) => (f.includes(' ') ? `'${f}'` : f)).join(' ')} -o $WORK/${b.name}\n`,
    );
    execFileSync('go', ['build', ...b.flags, '-o', file, '.'], { cwd: project, env: { ...process.env, ...b.env }, stdio: 'inherit' });
    files.push(file);
  }
  // exit 1 only says that some binary fails on some of the named runtimes, which is what this shows
  gokiln(['inspect', '--runtime', 'scratch,distroless/static-debian13,alpine:3.22,debian:bullseye,debian:trixie', '--', ...files], [0, 1]);

  const archive = join(work, 'hello-service.tar');
  gokiln(['build', project, '--archive', archive, '--tag', 'hello-service:example']);
  if (spawnSync('podman', ['--version']).status === 0) {
    // podman's storage lives in the scratch copy too; the flags are the ones a locked-down host needs
    // (vfs storage, runc, no raised rlimits, no network), harmless elsewhere
    // podman refuses a run root longer than 50 characters: a short one under /tmp, removed with the rest
    const runRoot = mkdtempSync('/tmp/gkp-');
    // podman's cleanup process may still write into the run root just after `podman run --rm` returns
    // (ENOTEMPTY on a busy machine): retried, as Node's rm does for that error with maxRetries
    cleanups.push(() => rmSync(runRoot, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
    const store = ['--root', join(work, 'podman', 'root'), '--runroot', runRoot, '--storage-driver', 'vfs'];
    const show = (args) => {
      process.stdout.write(`\n$ podman ${args.join(' ').replaceAll(work, '$WORK')}\n`);
      execFileSync('podman', [...store, ...args], { stdio: 'inherit' });
    };
    show(['load', '-i', archive]);
    show(['image', 'inspect', '--format', 'user {{.Config.User}}, entrypoint {{.Config.Entrypoint}}', 'hello-service:example']);
    show([
      'run',
      '--rm',
      '--runtime',
      'runc',
      '--ulimit',
      'nofile=1024:1024',
      '--ulimit',
      'nproc=1024:1024',
      '--network',
      'none',
      'hello-service:example',
      '-version',
    ]);
  } else {
    process.stdout.write('\npodman is not installed: the image is in $WORK/hello-service.tar for `docker load` or `podman load`\n');
  }
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
} finally {
  cleanUp();
}
