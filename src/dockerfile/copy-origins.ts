/**
 * Which command wrote the file a `COPY --from=stage SRC` takes: a go build or install whose output is that
 * path, a make/script build (outputs unknown), a RUN that names the path (cp, mv, curl -o…), or a COPY into
 * the stage (from the build context, or from yet another stage, followed there). When none is visible the
 * rules that judge the binary (cgo, libc, architecture) have nothing to judge, and GK000 says so at info
 * instead of staying silent as if the binary had been checked.
 */
import { posix } from 'node:path';
import type { CopyStep, DockerfileModel, GoInvocation, Stage } from './model.js';
import { imageChain, runtimeStages } from './rule-helpers.js';
import { covers, goWrites, INSTALLS } from './write-paths.js';

export type Writer =
  | { kind: 'go'; stage: Stage; inv: GoInvocation }
  /** make, a script, goreleaser…: may have written anything under the stage */
  | { kind: 'opaque'; stage: Stage; line: number; what: string }
  /** a RUN command that names the path or its directory (cp, mv, install, curl -o, tar -C) */
  | { kind: 'run'; stage: Stage; line: number }
  /** COPY or ADD from the build context (a prebuilt file) or a URL */
  | { kind: 'context'; stage: Stage; copy: CopyStep };

export interface CopyOrigin {
  copy: CopyStep;
  /** the source path in the stage copied from, absolute */
  path: string;
  from: Stage;
  writers: Writer[];
}

/**
 * Directories a base image fills (libraries, CA bundle, zoneinfo, the Go SDK, package-manager installs): a
 * file copied from there came with the image, not from a command lint should have seen.
 */
const IMAGE_PATHS =
  /^\/(etc|tmp|root|home|run|lib|lib32|lib64|libx32|bin|sbin|var|usr\/(share|lib|lib64|libexec|bin|sbin|include)|usr\/local\/(go|lib|share|include))(\/|$)/;

/** A RUN command names the path, a directory it lies in (other than /), or ends with its relative tail. */
function runNames(words: string[], path: string): boolean {
  for (const w of words.slice(1)) {
    const v = w.replace(/^-[A-Za-z]+=?/, '').replace(/\/+$/, '');
    if (!v || v === '.' || v === '/') continue;
    if (v.startsWith('/')) {
      if (covers(v, path, true)) return true;
    } else if (!v.startsWith('-') && !v.includes('$') && path.endsWith('/' + v.replace(/^\.\//, ''))) {
      return true;
    }
  }
  return false;
}

function writersIn(model: DockerfileModel, stage: Stage, path: string, seen: Set<string>): Writer[] {
  const key = `${stage.index}:${path}`;
  if (seen.has(key)) return [];
  seen.add(key);
  const out: Writer[] = [];
  for (const s of imageChain(model, stage)) {
    for (const inv of s.goCommands) {
      if (INSTALLS.has(inv.sub) && goWrites(inv, path)) out.push({ kind: 'go', stage: s, inv });
      // `go run build/ci.go install` (go-ethereum) or `go generate` run a program of the project: like a
      // script, it may write anything
      else if (inv.sub === 'run' || inv.sub === 'generate')
        out.push({ kind: 'opaque', stage: s, line: inv.line, what: `go ${inv.words.slice(0, 3).join(' ')}`.replace(/^go go /, 'go ') });
    }
    for (const ob of s.opaqueBuilds) out.push({ kind: 'opaque', stage: s, line: ob.line, what: ob.what });
    for (const r of s.runs) {
      if (r.commands.some((c) => (c.words[0] ?? '') !== 'go' && runNames(c.words, path))) out.push({ kind: 'run', stage: s, line: r.line });
    }
    for (const c of s.copies) {
      const intoDir = c.dest.endsWith('/') || c.sources.length > 1;
      const root = c.destPath.replace(/\/+$/, '') || '/';
      for (const src of c.sources) {
        // COPY of a directory copies its contents into the destination; of a file into a directory, the file by name
        const maps: [string, string][] = [];
        if (path === root || path.startsWith(root === '/' ? '/' : root + '/')) maps.push([root, src]);
        else if (root.startsWith(path + '/')) maps.push([path, src]);
        if (intoDir) maps.push([posix.join(root, posix.basename(src.replace(/\/+$/, ''))), src]);
        for (const [dest, from] of maps) {
          if (!covers(dest, path, true)) continue;
          if (c.fromStage !== undefined && c.fromStage !== s.index) {
            const rel = path.length > dest.length ? path.slice(dest === '/' ? 0 : dest.length) : '';
            out.push(...writersIn(model, model.stages[c.fromStage]!, posix.join('/', from, rel), seen));
          } else if (c.from === undefined) {
            out.push({ kind: 'context', stage: s, copy: c });
          }
        }
      }
    }
  }
  return out;
}

/** Every `COPY --from=<stage>` into `target`, with the commands that wrote each of its sources. */
export function copyOrigins(model: DockerfileModel, target: Stage): CopyOrigin[] {
  const out: CopyOrigin[] = [];
  for (const c of target.copies) {
    if (c.fromStage === undefined || c.fromStage === target.index) continue;
    const from = model.stages[c.fromStage]!;
    for (const src of c.sources) {
      const path = posix.join('/', src);
      out.push({ copy: c, path, from, writers: writersIn(model, from, path, new Set()) });
    }
  }
  return out;
}

/**
 * Files that runtime stages copy from a stage where no command visibly wrote them (and no base image
 * directory holds them): lint cannot say what they are, so the rules that judge a binary were not applied.
 */
export function unexplainedCopies(model: DockerfileModel): CopyOrigin[] {
  const out: CopyOrigin[] = [];
  for (const rt of runtimeStages(model)) {
    for (const o of copyOrigins(model, rt)) {
      if (o.writers.length || o.path === '/' || IMAGE_PATHS.test(o.path) || /[$*?[]/.test(o.path)) continue;
      out.push(o);
    }
  }
  return out;
}
