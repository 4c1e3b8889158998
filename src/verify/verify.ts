/**
 * `gokiln verify`: reads an image (streamed, nothing written), runs the static checks for its entrypoint's
 * binary, and with `run` starts it in a sandbox and compares what happened with what the checks predicted.
 */
import type { ImageConfig } from '../image/oci.js';
import type { ResolvedImage } from '../image/source.js';
import { formatPlatform } from '../image/oci.js';
import { readImage, type ImageView } from '../image/read/read-image.js';
import type { Capture, ReadLimits } from '../image/read/layer.js';
import { commandOf, envOf } from './command.js';
import { staticChecks } from './checks.js';
import { isLibraryName, summarizeLibrary } from './libraries.js';
import type { VerifyResult } from './types.js';

export interface VerifyOptions {
  /** the path in the image to check instead of the entrypoint */
  binary?: string;
  platform?: string;
  /** arguments replacing the image's Cmd (after `--`) */
  args?: string[];
  run?: boolean;
  /** seconds */
  timeout?: number;
  limits?: Partial<ReadLimits>;
}

/** Small files the checks read, kept as the layers stream by. */
const KEEP = [/^\/etc\/(passwd|group|ld\.so\.conf)$/, /^\/etc\/ld\.so\.conf\.d\/[^/]+$/, /^\/etc\/ld-musl-[^/]+\.path$/];
const MAX_LIBRARY_BYTES = 256 * 1024 * 1024;

/** The paths the entrypoint may be at, known from the config before any layer is read. */
function candidates(config: ImageConfig, opts: VerifyOptions): Set<string> {
  const out = new Set<string>();
  const env = envOf(config);
  const c = config.config ?? {};
  const words = opts.binary ? [opts.binary] : [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])].slice(0, 3);
  for (const w0 of words) {
    for (const w of w0.trim().split(/\s+/).slice(0, 2)) {
      if (w.startsWith('/')) out.add(w);
      else if (w && !w.startsWith('-')) for (const d of env.PATH!.split(':')) if (d) out.add(`${d.replace(/\/$/, '')}/${w}`);
    }
  }
  return out;
}

export async function openForVerify(image: string | ResolvedImage, opts: VerifyOptions): Promise<ImageView> {
  let wanted = new Set<string>();
  const capture = (path: string, size: number): Capture => {
    if (wanted.has(path) || KEEP.some((r) => r.test(path))) return 'keep';
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (size <= MAX_LIBRARY_BYTES && isLibraryName(base)) return 'summary';
    return null;
  };
  return readImage(image, {
    platform: opts.platform,
    limits: opts.limits,
    capture,
    summarize: (bytes) => summarizeLibrary(bytes),
    onConfig: (config) => {
      wanted = candidates(config, opts);
    },
  });
}

/** `image`: as named on the command line, or a resolved one (gokiln build checks its image before publishing it). */
export async function verifyImage(image: string | ResolvedImage, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const view = await openForVerify(image, opts);
  const cmd = commandOf(view.config, view.tree, opts.binary, opts.args);
  const { checks, facts, user } = await staticChecks(view, cmd);
  const failed = checks.some((c) => !c.ok && c.severity === 'error');
  const notes: string[] = [];
  // linked is all a binary can show: the code path may be one this command never takes (docs/knowledge.md, Needs)
  if (checks.some((c) => !c.ok && (c.id === 'ca-certs' || c.id === 'zoneinfo')))
    notes.push(
      'ca-certs and zoneinfo fail when the binary links the code that reads them; whether this command reaches it only a run shows (--run)',
    );
  if (view.kind === 'rootfs') notes.push('a root file system directory has no image config: no entrypoint, user root, the default PATH');
  const result: VerifyResult = {
    image: view.name,
    platform: formatPlatform(view.platform),
    binary: cmd.binary,
    verdict: failed ? 'fails' : 'runs',
    checks,
    notes,
  };
  if (opts.run) {
    const { runInSandbox } = await import('./run.js');
    result.run = await runInSandbox(view, cmd, user, {
      timeoutSeconds: opts.timeout ?? 10,
      binaryArch: facts?.arch ?? null,
      predictedRuns: !failed,
      notes,
    });
    // bwrap starts the program with execvp(3), which retries a file the kernel refused with ENOEXEC as a
    // /bin/sh script: without a shell in the image, the kernel's "exec format error" reaches us as ENOENT
    const foreign = checks.some((c) => c.id === 'binary-platform' && !c.ok);
    const sh = view.tree.lookup('/bin/sh').node;
    if (result.run && foreign && !sh && /^bwrap: execvp \S+: No such file or directory$/m.test(result.run.stderr))
      notes.push(
        "bwrap's execvp retried the file the kernel refused (ENOEXEC) with /bin/sh, which the image lacks, hence its 'No such file or directory'; a container runtime's bare execve reports 'exec format error'",
      );
  }
  return result;
}
