/**
 * Compiles one main package for one platform with the host's Go: `go build -trimpath` with GOOS/GOARCH
 * (GOARM from a linux/arm/vN variant) and CGO_ENABLED=0 unless the plan needs cgo. A compile error is an
 * E_BUILD carrying the compiler's own message.
 */
import { execFile } from 'node:child_process';
import { GokilnError } from '../errors.js';
import type { Platform } from '../image/oci.js';

export interface GoBuildRequest {
  /** the module directory (cwd of go build) */
  dir: string;
  /** `.` or `./cmd/name` */
  pkg: string;
  platform: Platform;
  cgo: boolean;
  out: string;
  go: string;
  env: NodeJS.ProcessEnv;
}

export interface GoBuildDone {
  /** the command as a shell would show it, for the image history and the report */
  command: string;
}

export function goEnv(platform: Platform, cgo: boolean): Record<string, string> {
  const env: Record<string, string> = { GOOS: platform.os, GOARCH: platform.architecture, CGO_ENABLED: cgo ? '1' : '0' };
  if (platform.architecture === 'arm' && platform.variant) env.GOARM = platform.variant.replace(/^v/, '');
  return env;
}

export function goBuild(req: GoBuildRequest): Promise<GoBuildDone> {
  const env = goEnv(req.platform, req.cgo);
  const args = ['build', '-trimpath', '-o', req.out, req.pkg];
  const command = `${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')} go ${args.map((a) => (a === req.out ? `/app/${req.out.split('/').at(-1)}` : a)).join(' ')}`;
  return new Promise((resolve, reject) => {
    execFile(
      req.go,
      args,
      { cwd: req.dir, env: { ...req.env, ...env }, maxBuffer: 64 << 20, timeout: 30 * 60_000 },
      (err, _stdout, stderr) => {
        if (!err) return resolve({ command });
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new GokilnError(
              'E_NOT_FOUND',
              `${req.go}: the Go toolchain is not on PATH; gokiln build compiles with the host's Go (install it from https://go.dev/dl/)`,
            ),
          );
        }
        const msg = String(stderr).trim() || err.message;
        reject(
          new GokilnError('E_BUILD', `go build ${req.pkg} for ${req.platform.os}/${req.platform.architecture} failed:\n${msg}`, {
            file: req.dir,
          }),
        );
      },
    );
  });
}
