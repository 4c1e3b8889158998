/**
 * What the runtime executes: Entrypoint + Cmd (or --binary), the exec form's argv[0] looked up on the
 * image's PATH as runc does, and the shell form (`/bin/sh -c "…"`, what a Dockerfile's shell form becomes).
 */
import type { ImageConfig } from '../image/oci.js';
import type { ImageTree } from '../image/read/tree.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Command {
  argv: string[];
  shellForm: boolean;
  /** the program the kernel is asked to start (the shell for a shell form) */
  program: string | null;
  /** the Go binary to check: argv[0], or the shell command's first word */
  binary: string | null;
}

export function envOf(config: ImageConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of config.config?.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (env.PATH === undefined) env.PATH = DEFAULT_PATH;
  return env;
}

/** runc's exec.LookPath inside the image: a name with a slash is taken as it is, else each PATH entry in turn. */
export function lookPath(tree: ImageTree, name: string, path: string, workdir = '/'): string | null {
  if (name.includes('/')) return name.startsWith('/') ? name : `${workdir.replace(/\/$/, '')}/${name}`;
  for (const dir of path.split(':')) {
    if (!dir) continue;
    const p = `${dir.replace(/\/$/, '')}/${name}`;
    const l = tree.lookup(p);
    if (l.node && l.node.type === 'file' && (l.node.mode & 0o111) !== 0) return p;
  }
  return null;
}

export function commandOf(config: ImageConfig, tree: ImageTree, binaryOpt?: string, args?: string[]): Command {
  const c = config.config ?? {};
  const entry = c.Entrypoint ?? [];
  const cmd = args && args.length ? args : (c.Cmd ?? []);
  const argv = binaryOpt ? [binaryOpt, ...(args ?? [])] : [...entry, ...cmd];
  const env = envOf(config);
  const workdir = c.WorkingDir || '/';
  if (argv.length === 0) return { argv, shellForm: false, program: null, binary: null };
  const shellForm = !binaryOpt && (argv[0] === '/bin/sh' || argv[0] === 'sh') && argv[1] === '-c' && argv.length >= 3;
  if (shellForm) {
    const first = (argv[2] ?? '').trim().split(/\s+/)[0] ?? '';
    const word = first.replace(/^exec$/, '') || ((argv[2] ?? '').trim().split(/\s+/)[1] ?? '');
    return { argv, shellForm, program: '/bin/sh', binary: word ? (lookPath(tree, word, env.PATH!, workdir) ?? word) : null };
  }
  const p = lookPath(tree, argv[0]!, env.PATH!, workdir);
  return { argv, shellForm, program: p ?? argv[0]!, binary: p ?? argv[0]! };
}
