/**
 * The build context as `docker build` sends it, and the builder stage run from a Dockerfile's TEXT in
 * an empty WORKDIR that only its COPY steps fill from that context.
 *
 * .dockerignore is read the way docker reads it (github.com/moby/patternmatcher, ignorefile.ReadAll and
 * PatternMatcher.MatchesOrParentMatches), written here from those rules, independently of the generator:
 * a line starting with `#` is a comment; lines are trimmed; `!` makes an exception; each pattern is
 * path-cleaned and relative to the context root (a leading `/` dropped); `*` and `?` stay within a path
 * element, `**` crosses any number of them; a path is excluded when the last pattern that matches it,
 * or one of its parent directories, is not an exception.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { readStages } from './dockerfile-text.js';
import { run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';

export interface IgnorePattern {
  exclusion: boolean;
  pattern: string;
  re: RegExp;
}

/** ignorefile.ReadAll: the patterns of a .dockerignore, in order. */
export function readDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let p = raw.trim();
    if (!p) continue;
    const exclusion = p.startsWith('!');
    if (exclusion) p = p.slice(1).trim();
    if (p) {
      p = posix.normalize(p).replace(/\/+$/, '') || '.';
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push({ exclusion, pattern: p, re: compile(p) });
  }
  return out;
}

/** patternmatcher's Pattern.compile: the pattern as an anchored regular expression. */
function compile(p: string): RegExp {
  // a pattern starting with ** is a plain suffix match there (its other characters taken literally)
  if (p.startsWith('**')) {
    const suffix = p.slice(2);
    const lit = suffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(suffix.startsWith('/') ? `(^|.*/)${lit.slice(1)}$|${lit}$` : `${lit}$`);
  }
  let r = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        i++;
        if (p[i + 1] === '/') i++; // **/ is **
        r += i + 1 >= p.length ? '.*' : '(.*/)?';
      } else r += '[^/]*';
    } else if (c === '?') r += '[^/]';
    else if (c === '\\') {
      r += i + 1 < p.length ? `\\${p[++i]}` : '\\\\';
    } else if (c === '[' || c === ']') r += c;
    else if ('.+()|{}$^'.includes(c)) r += `\\${c}`;
    else r += c;
  }
  return new RegExp(`${r}$`);
}

/** PatternMatcher.MatchesOrParentMatches for a context-relative, `/`-separated path. */
export function excluded(patterns: IgnorePattern[], file: string): boolean {
  let matched = false;
  const parents = posix.dirname(file) === '.' ? [] : posix.dirname(file).split('/');
  for (const pat of patterns) {
    // an exception only matters once excluded, an exclusion only while not
    if (pat.exclusion !== matched) continue;
    let m = pat.re.test(file);
    for (let i = 0; !m && i < parents.length; i++) m = pat.re.test(parents.slice(0, i + 1).join('/'));
    if (m) matched = !pat.exclusion;
  }
  return matched;
}

/** Every regular file (and symbolic link) of the context docker sends, relative and `/`-separated, sorted. */
export function contextFiles(dir: string): string[] {
  const di = join(dir, '.dockerignore');
  const patterns = existsSync(di) ? readDockerignore(readFileSync(di, 'utf8')) : [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (!excluded(patterns, r)) out.push(r);
    }
  };
  walk('');
  return out;
}

export interface ContextBuild {
  /** where the builder's /out/ went */
  out: string;
  status: number | null;
  stderr: string;
  ran: string[];
  /** the WORKDIR the steps ran in */
  work: string;
}

/**
 * The builder stage of `text` (the one the runtime's COPY --from names), run from the build context
 * `context`: each COPY takes only what the context holds after .dockerignore (a source it excludes is
 * "not found", as in docker), each RUN runs with `sh -c` in the Dockerfile's order with the stage's ARG
 * and ENV over `env`. Package installs are not run; /out/ is a temp dir.
 */
export function buildFromContext(context: string, text: string, env: NodeJS.ProcessEnv): ContextBuild {
  const work = join(scratchDir('gokiln-ctx-'), 'src');
  mkdirSync(work);
  const out = scratchDir('gokiln-out-');
  const files = contextFiles(context);
  const stages = readStages(text, { platform: { os: 'linux', arch: 'amd64' }, buildArgs: { VERSION: 'v1' } });
  const stage = stages.find((s) => s.name === stages.flatMap((x) => x.copiesFrom.map((c) => c.from))[0])!;
  assert.ok(stage, 'a builder stage the runtime copies from');
  const ran: string[] = [];
  for (const step of stage.steps) {
    if (step.kind === 'copy') {
      for (const src of step.sources) {
        const s = posix.normalize(src).replace(/\/+$/, '');
        const dest = join(work, step.dest);
        if (files.includes(s)) {
          // a file: into the destination directory (dest ends in /), or as the destination
          const to = step.dest.endsWith('/') || step.dest === '.' ? join(dest, posix.basename(s)) : dest;
          mkdirSync(dirname(to), { recursive: true });
          copyFileSync(join(context, s), to);
          continue;
        }
        // a directory: its contents (what the context holds of them) into the destination
        const under = s === '.' ? files : files.filter((f) => f.startsWith(`${s}/`));
        if (!under.length) {
          return {
            out,
            work,
            status: 1,
            stderr: `Dockerfile line ${step.line}: COPY ${src}: not found in the build context (after .dockerignore)`,
            ran,
          };
        }
        for (const f of under) {
          const to = join(dest, s === '.' ? f : f.slice(s.length + 1));
          mkdirSync(dirname(to), { recursive: true });
          copyFileSync(join(context, f), to);
        }
      }
      ran.push(`${step.line}: COPY ${step.sources.join(' ')} ${step.dest}`);
      continue;
    }
    if (/^(apk add|apt-get update)\b/.test(step.command)) continue;
    const command = step.command.replace(/(^|\s)\/out\//g, `$1${out}/`);
    ran.push(`${step.line}: ${command}`);
    const r = run('sh', ['-c', command], { cwd: work, env: { ...env, ...step.env } });
    if (r.status !== 0) return { out, work, status: r.status, stderr: `Dockerfile line ${step.line}: ${command}\n${r.stderr}`, ran };
  }
  return { out, work, status: 0, stderr: '', ran };
}
