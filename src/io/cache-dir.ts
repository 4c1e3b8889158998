/**
 * gokiln's cache root, `${XDG_CACHE_HOME:-$HOME/.cache}/gokiln` (the XDG base directory convention), and
 * the sub-directory each cache keeps in it: `debian` (archive files by sha256), `code-cache` (V8 code of
 * the CLI's bundles), `binaries` (go build outputs, so Go need not link again), `layers` (compressed
 * application layers by what went into them), `pushed` (which repository of a registry holds a blob).
 * Every cache is an optimisation: a missing or unwritable directory makes gokiln slower, never wrong.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function gokilnCacheDir(sub: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  return join(base, 'gokiln', sub);
}
