/**
 * `verify --run`: the image's tree written to a private temporary root and its entrypoint started there
 * by bubblewrap, as the image's user, with the image's env and workdir, no network, fresh /proc and /dev,
 * and a timeout. The temporary root is removed afterwards whatever happens.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectSource } from '../analysis/inspect.js';
import { GokilnError } from '../errors.js';
import { BufferSource } from '../formats/source.js';
import { qemuTarget } from '../knowledge/qemu.js';
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

/** A kernel binfmt_misc handler for the arch that opens the interpreter at registration (flag F), so it works in any root. */
function binfmtFor(arch: string): string | null {
  const q = qemuTarget(arch);
  if (!q) return null;
  const p = `/proc/sys/fs/binfmt_misc/qemu-${q}`;
  if (!existsSync(p)) return null;
  const text = readFileSync(p, 'utf8');
  return /^enabled/m.test(text) && /^flags:.*F/m.test(text) ? `qemu-${q} (binfmt_misc)` : null;
}

export interface Emulator {
  /** the host file bound read-only into the sandbox */
  hostPath: string;
  /** its name at the top of the sandbox's root */
  name: string;
  /** `qemu-aarch64 version 7.2.22 (…)` */
  version: string;
}

/**
 * A statically linked `qemu-<target>-static` on PATH (Debian's qemu-user-static): started explicitly
 * inside the sandbox, it needs nothing from the host there. qemu-user's own `qemu-<target>` is dynamically
 * linked against the host's libraries, which the image's root does not have, so it is not used.
 */
export function staticEmulator(arch: string, path = process.env.PATH ?? ''): Emulator | null {
  const q = qemuTarget(arch);
  if (!q) return null;
  const file = `qemu-${q}-static`;
  for (const dir of path.split(':')) {
    if (!dir) continue;
    const p = join(dir, file);
    try {
      accessSync(p, constants.X_OK);
    } catch {
      continue;
    }
    const facts = inspectSource(new BufferSource(readFileSync(p)), [], {});
    if (facts.format !== 'elf' || facts.interpreter !== null || facts.arch !== hostPlatform().architecture) continue;
    const v = spawnSync(p, ['--version'], { encoding: 'utf8' });
    if (v.status !== 0) continue;
    return { hostPath: p, name: `.gokiln-${file}`, version: v.stdout.split('\n')[0]!.trim() };
  }
  return null;
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
  if (!bwrapAvailable())
    throw new GokilnError('E_UNSUPPORTED', 'verify --run needs bubblewrap (bwrap) on PATH (apt-get install bubblewrap)');
  if (cmd.argv.length === 0) {
    opts.notes.push('not run: the image names no command');
    return undefined;
  }
  const host = hostPlatform().architecture;
  const arch = view.platform.architecture;
  let runner = 'bubblewrap';
  let emulator: Emulator | null = null;
  if (arch !== host) {
    // binfmt_misc first: the kernel then emulates every program the entrypoint starts too
    const handler = binfmtFor(arch);
    emulator = handler ? null : staticEmulator(arch);
    if (handler) runner = `bubblewrap + ${handler}`;
    else if (emulator) {
      runner = `bubblewrap + ${emulator.name.slice('.gokiln-'.length)} ${/version (\S+)/.exec(emulator.version)?.[1] ?? ''}`.trimEnd();
      opts.notes.push(
        `ran under qemu: the image is linux/${arch}, this host linux/${host}; ${emulator.hostPath} started the entrypoint inside the sandbox (-L /: a dynamic program gets the image's own loader); programs it starts in turn are not emulated (no binfmt_misc handler)`,
      );
    } else {
      opts.notes.push(
        `not run: a linux/${arch} image on a linux/${host} host needs qemu-${qemuTarget(arch) ?? arch}-static on PATH (apt-get install qemu-user-static) or qemu registered in binfmt_misc with the F flag; checked statically only`,
      );
      return undefined;
    }
  }
  const root = await mkdtemp(join(tmpdir(), 'gokiln-verify-'));
  try {
    const rootfs = join(root, 'root');
    const { skipped } = await materialize(view, rootfs, undefined, emulator ? [emulator.name] : []);
    if (skipped.length)
      opts.notes.push(`--run skipped ${skipped.length} device node(s), FIFO(s) or socket(s): ${skipped.slice(0, 5).join(', ')}`);
    const env = envOf(view.config);
    const workdir = view.config.config?.WorkingDir || '/';
    const args = [
      '--unshare-all',
      '--die-with-parent',
      '--new-session',
      '--bind',
      rootfs,
      '/',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--chdir',
      workdir,
      '--clearenv',
    ];
    for (const [k, v] of Object.entries(env)) args.push('--setenv', k, v);
    if (user.uid !== null) args.push('--unshare-user', '--uid', String(user.uid), '--gid', String(user.gid ?? user.uid));
    if (emulator) {
      // the emulator opens the program itself: the path runc's lookup found, argv[0] as the image gives it;
      // -L / makes a dynamic program's interpreter the image's own (the sandbox's root is the image)
      args.push(
        '--ro-bind',
        emulator.hostPath,
        `/${emulator.name}`,
        '--',
        `/${emulator.name}`,
        '-L',
        '/',
        '-0',
        cmd.argv[0]!,
        cmd.program ?? cmd.argv[0]!,
        ...cmd.argv.slice(1),
      );
    } else args.push('--', ...cmd.argv);
    const r = await spawnBounded('bwrap', args, opts.timeoutSeconds * 1000, opts.maxOutputBytes ?? 1024 * 1024);
    const runs = r.timedOut || r.exitCode === 0;
    if (r.timedOut)
      opts.notes.push(
        `the program was still running after ${opts.timeoutSeconds} s and was killed (SIGKILL to the sandbox and every process in it): counted as started`,
      );
    return {
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: r.stderr,
      timedOut: r.timedOut,
      timeoutSeconds: opts.timeoutSeconds,
      runner,
      predicted: runs === opts.predictedRuns,
    };
  } finally {
    await unlock(root);
    await rm(root, { recursive: true, force: true });
  }
}

function spawnBounded(
  cmd: string,
  args: string[],
  timeoutMs: number,
  maxBytes: number,
): Promise<{ exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }> {
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
      resolve({
        exitCode: timedOut ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}
