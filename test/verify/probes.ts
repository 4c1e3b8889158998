/** The Go programs of test/go/verify-probes, built by the test that needs them (CGO_ENABLED=0, the host Go). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROBES = join(process.cwd(), 'test', 'go', 'verify-probes');

export function buildProbe(name: 'ok' | 'tz' | 'tlsget', outDir: string): Buffer {
  const out = join(outDir, `probe-${name}`);
  const r = spawnSync('go', ['build', '-o', out, `./${name}`], { cwd: PROBES, encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local' } });
  if (r.status !== 0) throw new Error(`go build ./${name}: ${r.stderr}`);
  return readFileSync(out);
}
