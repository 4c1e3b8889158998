/**
 * Judges a prebuilt binary that a Dockerfile copies from its build context (GoReleaser-style `COPY app /app`)
 * against the stage's base image, with inspect's reader and the same verdict code: lint's rules report what
 * this says, and say that they read the binary. The file is read, never executed.
 */
import { lstatSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { inspectFile } from './inspect.js';
import { findRuntime } from '../knowledge/image-model.js';
import type { RuntimeVerdict } from './types.js';

export interface CopiedVerdict {
  /** the binary's architecture (Go name) */
  arch: string;
  verdict: RuntimeVerdict;
}

/** (path in the context, base image, path in the image) → verdict, or undefined when there is nothing to judge. */
export type CopiedBinaryJudge = (contextPath: string, image: string, pathInImage: string) => CopiedVerdict | undefined;

/** Files past this size are not read (inspect streams, but a layer-sized blob is no program). */
const MAX_BYTES = 1 << 30;

export function copiedBinaryJudge(contextDir: string, today?: Date): CopiedBinaryJudge {
  const cache = new Map<string, CopiedVerdict | undefined>();
  return (contextPath, image, pathInImage) => {
    const key = `${contextPath}\u0000${image}\u0000${pathInImage}`;
    if (cache.has(key)) return cache.get(key);
    let out: CopiedVerdict | undefined;
    const abs = join(contextDir, contextPath);
    const rel = relative(contextDir, abs);
    const rt = findRuntime(image);
    if (rt && rel && !rel.startsWith('..') && !isAbsolute(rel)) {
      try {
        const st = lstatSync(abs);
        if (st.isFile() && st.size > 64 && st.size < MAX_BYTES) {
          const opts: Parameters<typeof inspectFile>[1] = { runtimes: [rt.name], pathInImage };
          if (today) opts.today = today;
          const r = inspectFile(abs, opts);
          const v = 'error' in r ? undefined : r.runtimes[0];
          if (v && !('error' in r)) out = { arch: r.arch, verdict: v };
        }
      } catch {
        out = undefined; // not there (a CI artifact built before docker build), or unreadable: nothing to judge
      }
    }
    cache.set(key, out);
    return out;
  };
}
