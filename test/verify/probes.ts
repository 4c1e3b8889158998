/** The Go programs of test/go/verify-probes, built by the test that needs them (the host Go; CGO_ENABLED=0 unless `env` says). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROBES = join(process.cwd(), 'test', 'go', 'verify-probes');

/** `env` adds to the build's environment: `{ GOARCH: 'arm64', CGO_ENABLED: '1', CC: 'aarch64-linux-gnu-gcc' }` cross-builds with cgo. */
export function buildProbe(
  name: 'ok' | 'tz' | 'tlsget' | 'sleep' | 'cgo' | `signals/${string}`,
  outDir: string,
  env: Record<string, string> = {},
): Buffer {
  const out = join(outDir, `probe-${name.replace('/', '-')}${env.GOARCH ? `-${env.GOARCH}` : ''}`);
  const r = spawnSync('go', ['build', '-o', out, `./${name}`], {
    cwd: PROBES,
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local', ...env },
  });
  if (r.status !== 0) throw new Error(`go build ./${name}: ${r.stderr}`);
  return readFileSync(out);
}
