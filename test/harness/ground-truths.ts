/**
 * What really happens when a fixture runs in a rootfs: measured with runInRootfs on 2026-11-26
 * (Debian 12 host, go1.26.8, bubblewrap 0.8.0) and re-measured by test/harness/harness.test.ts on
 * every test run, so this table cannot drift from reality. The verdict engine's tests compare its
 * predictions (runs / fails, and the failure message) against these rows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ExecMode, RootfsName } from './rootfs.js';

export interface GroundTruth {
  rootfs: RootfsName;
  fixture: string;
  args: string[];
  exec: ExecMode;
  uid?: number;
  runs: boolean;
  exitCode: number;
  /** exact stdout (trimmed), or a pattern when it depends on the host (a CA count, a version) */
  stdout?: string | RegExp;
  /** a substring of stderr that identifies the failure */
  stderr?: string;
  /** why, in the terms gokiln's verdicts use */
  because: string;
}

const ALL: RootfsName[] = [
  'scratch',
  'musl',
  'alpine-like',
  'glibc-bookworm',
  'glibc-bullseye',
  'distroless-static-like',
  'distroless-base-like',
];

export const ENOENT_BWRAP = 'bwrap: execvp /app: No such file or directory';
export const ENOENT_RUNC = 'exec /app: no such file or directory';
export const ENOEXEC_RUNC = 'exec /app: exec format error';
export const GLIBC_234 = "version `GLIBC_2.34' not found";
export const NO_TZ = 'unknown time zone Europe/Berlin';
export const NO_CERTS = 'no system certificates';
export const SQLITE_STUB = "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub";

type Outcome = ({ runs: true; stdout: string | RegExp } | { runs: false; exitCode: number; stderr: string }) & { because: string };

function row(rootfs: RootfsName, fixture: string, args: string[], o: Outcome, exec: ExecMode = 'bwrap', uid?: number): GroundTruth {
  const base = { rootfs, fixture, args, exec, because: o.because, ...(uid === undefined ? {} : { uid }) };
  return o.runs ? { ...base, runs: true, exitCode: 0, stdout: o.stdout } : { ...base, runs: false, exitCode: o.exitCode, stderr: o.stderr };
}

/** One fixture and one command over every rootfs: those in `runsIn` print `stdout`, the rest fail as `fail(rootfs)` says. */
function matrix(
  fixture: string,
  args: string[],
  runsIn: RootfsName[],
  stdout: string | RegExp,
  fail: (r: RootfsName) => { exitCode: number; stderr: string; because: string },
  exec: ExecMode = 'bwrap',
): GroundTruth[] {
  return ALL.map((r) =>
    runsIn.includes(r)
      ? row(r, fixture, args, { runs: true, stdout, because: 'all it needs is there' }, exec)
      : row(r, fixture, args, { runs: false, ...fail(r) }, exec),
  );
}

const never = (): never => {
  throw new Error('listed as running everywhere');
};
const noLoader = (loader: string) => () => ({ exitCode: 1, stderr: ENOENT_BWRAP, because: `PT_INTERP ${loader} is missing` });
const GLIBC_RUNTIMES: RootfsName[] = ['glibc-bookworm', 'distroless-base-like'];
const WITH_ZONES_AND_CERTS: RootfsName[] = ['alpine-like', 'distroless-static-like', 'distroless-base-like'];

export const GROUND_TRUTHS: GroundTruth[] = [
  // a static Go binary needs nothing from the image
  ...matrix('static', ['ok'], ALL, 'ok', never),
  ...matrix('musl-static', ['ok'], ALL, 'ok', never),
  ...matrix('glibc-static', ['ok'], ALL, 'ok', never),
  ...matrix('pprof', [], ALL, 'ok', never),
  // glibc 2.36 dynamic: needs /lib64/ld-linux-x86-64.so.2 and a libc.so.6 defining GLIBC_2.34
  ...matrix('cgo-glibc', ['ok'], GLIBC_RUNTIMES, 'ok', (r) =>
    r === 'glibc-bullseye'
      ? { exitCode: 1, stderr: GLIBC_234, because: 'libc.so.6 of glibc 2.31 lacks GLIBC_2.34 (also 2.32)' }
      : noLoader('/lib64/ld-linux-x86-64.so.2')(),
  ),
  ...matrix('sqlite', [], GLIBC_RUNTIMES, /^3\.\d+\.\d+$/, (r) =>
    r === 'glibc-bullseye'
      ? { exitCode: 1, stderr: "version `GLIBC_2.33' not found", because: 'libc.so.6 of glibc 2.31 lacks GLIBC_2.33 (also 2.32, 2.34)' }
      : noLoader('/lib64/ld-linux-x86-64.so.2')(),
  ),
  // Go's internally linked PIE asks for the glibc loader but needs no library: any glibc works
  ...matrix('pie', ['ok'], ['glibc-bookworm', 'glibc-bullseye', 'distroless-base-like'], 'ok', noLoader('/lib64/ld-linux-x86-64.so.2')),
  // musl dynamic: needs /lib/ld-musl-x86_64.so.1 (which is also the libc)
  ...matrix('musl-dynamic', ['ok'], ['musl', 'alpine-like'], 'ok', noLoader('/lib/ld-musl-x86_64.so.1')),
  // zoneinfo: from the image, or embedded with time/tzdata
  ...matrix('static', ['tz', 'Europe/Berlin'], WITH_ZONES_AND_CERTS, '3600', () => ({
    exitCode: 1,
    stderr: NO_TZ,
    because: 'no /usr/share/zoneinfo and no time/tzdata',
  })),
  ...matrix('tzdata', ['tz', 'Europe/Berlin'], ALL, '3600', never),
  // CA bundle
  ...matrix('static', ['certs'], WITH_ZONES_AND_CERTS, /^[1-9]\d*$/, () => ({
    exitCode: 1,
    stderr: NO_CERTS,
    because: 'no /etc/ssl/certs/ca-certificates.crt',
  })),
  // os/user without cgo reads /etc/passwd; scratch has none and the sandbox sets no $USER/$HOME
  ...matrix(
    'static',
    ['user'],
    ALL.filter((r) => r !== 'scratch'),
    '0 root',
    () => ({
      exitCode: 1,
      stderr: 'user: Current requires cgo or $USER, $HOME set in environment',
      because: 'no /etc/passwd',
    }),
  ),
  // a cgo-off mattn/go-sqlite3 is a stub that fails at run time wherever it runs
  ...matrix('sqlite-nocgo', [], [], '', () => ({ exitCode: 1, stderr: SQLITE_STUB, because: 'mattn/go-sqlite3 built with CGO_ENABLED=0' })),

  // foreign formats: the kernel says ENOEXEC; runc reports it, bwrap's execvp retries with /bin/sh
  ...matrix(
    'arm64',
    ['ok'],
    [],
    '',
    () => ({ exitCode: 126, stderr: ENOEXEC_RUNC, because: 'GOARCH arm64 on an amd64 kernel' }),
    'runc-like',
  ),
  ...matrix('windows-amd64', ['ok'], [], '', () => ({ exitCode: 126, stderr: ENOEXEC_RUNC, because: 'a PE file on Linux' }), 'runc-like'),
  row('scratch', 'arm64', ['ok'], {
    runs: false,
    exitCode: 1,
    stderr: ENOENT_BWRAP,
    because: 'ENOEXEC, then execvp looks for /bin/sh, absent',
  }),
  row(
    'scratch',
    'cgo-glibc',
    ['ok'],
    { runs: false, exitCode: 127, stderr: ENOENT_RUNC, because: 'PT_INTERP missing, as runc words it' },
    'runc-like',
  ),
  row('glibc-bookworm', 'cgo-glibc', ['ok'], { runs: true, stdout: 'ok', because: 'same as with bwrap' }, 'runc-like'),

  // users: distroless nonroot
  row(
    'distroless-static-like',
    'static',
    ['user'],
    { runs: true, stdout: '65532 nonroot', because: 'uid 65532 is nonroot in distroless /etc/passwd' },
    'bwrap',
    65532,
  ),
  row('glibc-bookworm', 'cgo-glibc', ['user'], { runs: true, stdout: '0 root', because: 'getpwuid_r through libnss_files' }),
  // names: /etc/hosts (Docker injects one at run time; the sandbox does not)
  row('alpine-like', 'static', ['dns', 'localhost'], { runs: true, stdout: '[127.0.0.1 ::1]', because: 'localhost from /etc/hosts' }),
  row('scratch', 'static', ['dns', 'localhost'], {
    runs: false,
    exitCode: 1,
    stderr: 'lookup localhost on ',
    because: 'no /etc/hosts, so Go asks a DNS server at the resolv.conf default ([::1]:53 here), unreachable',
  }),
  // unreadable file: bwrap drops capabilities, so even uid 0 cannot execute mode 000
  row('scratch', 'noperm', ['ok'], { runs: false, exitCode: 1, stderr: 'bwrap: execvp /app: Permission denied', because: 'mode 000' }),
];

/**
 * Whether qemu-user is registered for arm64 (then arm64 binaries run and the arm64 rows do not hold).
 * /proc/sys/fs/binfmt_misc is absent on this machine.
 */
export function arm64Emulated(): boolean {
  const dir = '/proc/sys/fs/binfmt_misc';
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((f) => {
    if (!/aarch64|arm64/.test(f)) return false;
    try {
      return readFileSync(`${dir}/${f}`, 'utf8').startsWith('enabled');
    } catch {
      return false;
    }
  });
}
