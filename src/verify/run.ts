/**
 * `verify --run`: the image's tree written to a private temporary root and its entrypoint started there
 * by bubblewrap, as the image's user, with the image's env and workdir, no network, fresh /proc and /dev,
 * and a timeout. The temporary root is removed afterwards whatever happens.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GokilnError } from '../errors.js';
import type { ImageView } from '../image/read/read-image.js';
import { hostPlatform } from '../image/read/read-image.js';
import type { ImageUser } from './checks.js';
import { envOf, type Command } from './command.js';
import { materialize } from './materialize.js';
import type { RunReport } from './types.js';

export interface RunOptions {
  timeoutSeconds: number;
  binaryArch: string | null;
  predictedRuns: boolean;
  /** where to say how the run was made (or why it was not) */
  notes: string[];
  /** output kept per stream */
  maxOutputBytes?: number;
}

const QEMU: Record<string, string> = { arm64: 'aarch64', arm: 'arm', '386': 'i386', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', amd64: 'x86_64' };

/** A kernel binfmt_misc handler for the arch that opens the interpreter at registration (flag F), so it works in any root. */
function binfmtFor(arch: string): string | null {
  const q = QEMU[arch];
  if (!q) return null;
  const p = `/proc/sys/fs/binfmt_misc/qemu-${q}`;
  if (!existsSync(p)) return null;
  const text = readFileSync(p, 'utf8');
  return /^enabled/m.test(text) && /^flags:.*F/m.test(text) ? `qemu-${q} (binfmt_misc)` : null;
}

export function bwrapAvailable(): boolean {
  return spawnSync('bwrap', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Makes every directory writable again, so a tree with 0555 directories can be removed by a non-root user. */
async function unlock(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const p = join(dir, name);
    const st = await lstat(p).catch(() => null);
    if (st?.isDirectory()) await unlock(p);
  }
}

export async function runInSandbox(view: ImageView, cmd: Command, user: ImageUser, opts: RunOptions): Promise<RunReport | undefined> {
  if (!bwrapAvailable()) throw new GokilnError('E_UNSUPPORTED', 'verify --run needs bubblewrap (bwrap) on PATH (apt-get install bubblewrap)');
  if (cmd.argv.length === 0) {
    opts.notes.push('not run: the image names no command');
    return undefined;
  }
  const host = hostPlatform().architecture;
  let runner = 'bubblewrap';
  if (view.platform.architecture !== host) {
    const handler = binfmtFor(view.platform.architecture);
    if (!handler) {
      opts.notes.push(`not run: a ${view.platform.architecture} image on a ${host} host needs qemu-user registered in binfmt_misc with the F flag (qemu-user-static); checked statically only`);
      return undefined;
    }
    runner = `bubblewrap + ${handler}`;
  }
  const root = await mkdtemp(join(tmpdir(), 'gokiln-verify-'));
  try {
    const rootfs = join(root, 'root');
    const { skipped } = await materialize(view, rootfs);
    if (skipped.length) opts.notes.push(`--run skipped ${skipped.length} device node(s), FIFO(s) or socket(s): ${skipped.slice(0, 5).join(', ')}`);
    const env = envOf(view.config);
    const workdir = view.config.config?.WorkingDir || '/';
    const args = ['--unshare-all', '--die-with-parent', '--new-session', '--bind', rootfs, '/', '--proc', '/proc', '--dev', '/dev', '--chdir', workdir, '--clearenv'];
    for (const [k, v] of Object.entries(env)) args.push('--setenv', k, v);
    if (user.uid !== null) args.push('--unshare-user', '--uid', String(user.uid), '--gid', String(user.gid ?? user.uid));
    args.push('--', ...cmd.argv);
    const r = await spawnBounded('bwrap', args, opts.timeoutSeconds * 1000, opts.maxOutputBytes ?? 1024 * 1024);
    const runs = r.timedOut || r.exitCode === 0;
    if (r.timedOut) opts.notes.push(`the program was still running after ${opts.timeoutSeconds} s and was stopped: counted as started`);
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, runner, predicted: runs === opts.predictedRuns };
  } finally {
    await unlock(root);
    await rm(root, { recursive: true, force: true });
  }
}

function spawnBounded(cmd: string, args: string[], timeoutMs: number, maxBytes: number): Promise<{ exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (outLen < maxBytes) out.push(d.subarray(0, maxBytes - outLen));
      outLen += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (errLen < maxBytes) err.push(d.subarray(0, maxBytes - errLen));
      errLen += d.length;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ exitCode: null, stdout: '', stderr: e.message, timedOut: false });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? null : code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}
