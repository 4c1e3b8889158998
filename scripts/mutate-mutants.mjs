// What scripts/mutate.mjs mutates and which tests reach it: the import graph of the compiled JS, the
// code positions of a file (never comments, strings, templates or regular expressions), the mutants at
// them, tsc's source map back to the TypeScript line, and which code a test run executed (V8 coverage).
// Kept apart from the runner so each stays short.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

// ---- which test files reach which module (static and dynamic relative imports of the compiled JS)

// A worker script is loaded by URL (`new URL('./inspect-worker.js', import.meta.url)`), not imported: an
// edge too, or no test would ever be run against its mutants.
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

export function importGraph(dist) {
  const graph = new Map();
  for (const f of walk(dist).filter((p) => p.endsWith('.js'))) {
    const deps = [];
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT_RE)) deps.push(resolve(dirname(f), m[1]));
    graph.set(f, deps);
  }
  return graph;
}

/** Every module a file reaches, with its import distance (1 = imported directly). */
export function reach(graph, start) {
  const dist = new Map([[start, 0]]);
  const queue = [start];
  while (queue.length) {
    const f = queue.shift();
    for (const d of graph.get(f) ?? []) {
      if (dist.has(d)) continue;
      dist.set(d, dist.get(f) + 1);
      queue.push(d);
    }
  }
  return dist;
}

// ---- mutants: operators in code, never in comments, strings, templates or regular expressions

/** Marks each character of `src` as code (true) or not (comment, string, template, regex). */
function codeMask(src) {
  const mask = new Uint8Array(src.length);
  let i = 0;
  let lastSignificant = '';
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && n === '*') {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? src.length : e + 2;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      i++;
      while (i < src.length && src[i] !== q) i += src[i] === '\\' ? 2 : 1;
      i++;
      lastSignificant = q;
      continue;
    }
    if (
      c === '/' &&
      (lastSignificant === '' ||
        '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant) ||
        /\b(return|typeof|case|in|of)$/.test(src.slice(Math.max(0, i - 8), i).trimEnd()))
    ) {
      // a regular expression literal
      i++;
      let cls = false;
      while (i < src.length && (cls || src[i] !== '/') && src[i] !== '\n') {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') cls = true;
        else if (src[i] === ']') cls = false;
        i++;
      }
      i++;
      while (/[a-z]/.test(src[i] ?? '')) i++;
      lastSignificant = '/';
      continue;
    }
    mask[i] = 1;
    if (!/\s/.test(c)) lastSignificant = /[\w$]/.test(c) ? (/[\w$]/.test(lastSignificant) ? lastSignificant : c) : c;
    if (/[\w$]/.test(c)) {
      // keep whole words as the last significant token, so `return /re/` is seen
      let j = i;
      while (j < src.length && /[\w$]/.test(src[j])) mask[j++] = 1;
      lastSignificant = src.slice(i, j);
      i = j;
      continue;
    }
    i++;
  }
  return mask;
}

const OPERATORS = [
  // [pattern, replacement, name]; patterns are tried at code positions only
  [/^<=(?!=)/, '<', '<= → <'],
  [/^>=(?!=)/, '>', '>= → >'],
  [/^<(?![<=])/, '<=', '< → <='],
  [/^>(?![>=])/, '>=', '> → >='],
  [/^===/, '!==', '=== → !=='],
  [/^!==/, '===', '!== → ==='],
  [/^&&(?!=)/, '||', '&& → ||'],
  [/^\|\|(?!=)/, '&&', '|| → &&'],
  [/^\?\?(?!=)/, '||', '?? → ||'],
  [/^true\b/, 'false', 'true → false'],
  [/^false\b/, 'true', 'false → true'],
  [/^!(?!=)/, '', 'drop !'],
  [/^\+ 1\b/, '- 1', '+ 1 → - 1'],
  [/^- 1\b/, '+ 1', '- 1 → + 1'],
];

export function mutantsOf(file, src) {
  const mask = codeMask(src);
  const out = [];
  const lines = src.split('\n');
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lineStarts.push(i + 1);
  let line = 0;
  for (let i = 0; i < src.length; i++) {
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= i) line++;
    if (!mask[i]) continue;
    const prev = src[i - 1] ?? '';
    // not the `=>` of an arrow, `<` `>` of a generic (gone in JS), or part of a longer operator
    if ((src[i] === '>' && prev === '=') || ((src[i] === '<' || src[i] === '>') && (prev === '<' || prev === '>'))) continue;
    if ((src[i] === 't' || src[i] === 'f') && /[\w$.]/.test(prev)) continue;
    if (src[i] === '!' && (prev === '!' || src[i + 1] === '!')) continue;
    const text = lines[line];
    // import/export lines and `use strict` carry no logic
    if (/^\s*(import|export \{|export \*)/.test(text)) continue;
    const rest = src.slice(i, i + 4);
    for (const [re, rep, name] of OPERATORS) {
      const m = re.exec(rest);
      if (!m) continue;
      out.push({ file, at: i, col: i - lineStarts[line], len: m[0].length, rep, name, line: line + 1, text: text.trim() });
      break;
    }
  }
  return out;
}

/** JS line (1-based) → TypeScript line, from tsc's source map (base64 VLQ mappings; first segment per line). */
export function tsLines(jsFile) {
  const map = existsSync(jsFile + '.map') ? JSON.parse(readFileSync(jsFile + '.map', 'utf8')) : null;
  if (!map) return (l) => l;
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const decode = (seg) => {
    const out = [];
    let v = 0,
      shift = 0;
    for (const ch of seg) {
      const d = B64.indexOf(ch);
      v += (d & 31) << shift;
      if (d & 32) shift += 5;
      else {
        out.push(v & 1 ? -(v >>> 1) : v >>> 1);
        v = 0;
        shift = 0;
      }
    }
    return out;
  };
  const lines = [];
  let srcLine = 0;
  for (const l of map.mappings.split(';')) {
    let first = null;
    for (const seg of l.split(',')) {
      if (!seg) continue;
      const f = decode(seg);
      if (f.length >= 3) {
        srcLine += f[2];
        if (first === null) first = srcLine;
      }
    }
    lines.push(first);
  }
  return (l) => ((lines[l - 1] ?? null) === null ? l : lines[l - 1] + 1);
}

// ---- what a test run executed

/**
 * What one test file executed of the compiled library, from V8's block coverage (NODE_V8_COVERAGE, also
 * written by the processes and workers it starts): per compiled file, per process, ranges [start, end, count].
 */
export function readCoverage(dir, dist) {
  const byFile = {};
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    for (const script of JSON.parse(readFileSync(join(dir, f), 'utf8')).result ?? []) {
      if (!script.url.startsWith('file://')) continue;
      const path = relative(dist, new URL(script.url).pathname);
      if (!path.startsWith('src/')) continue;
      // one list per process that loaded the script: nesting is only meaningful within one
      const ranges = [];
      for (const fn of script.functions) for (const r of fn.ranges) ranges.push([r.startOffset, r.endOffset, r.count]);
      (byFile[path] ??= []).push(ranges);
    }
  }
  return byFile;
}

/** Whether a run executed the code at `at`: in some process, the innermost range holding it ran. */
function executed(perProcess, at) {
  return (perProcess ?? []).some((ranges) => {
    let best = null;
    for (const [start, end, count] of ranges)
      if (at >= start && at < end && (!best || end - start <= best[1] - best[0])) best = [start, end, count];
    return Boolean(best && best[2] > 0);
  });
}

/**
 * Whether a run reached a mutant's operator. V8 gives the right side of `&&`, `||`, `??` and `?:` a range
 * of its own that can begin at the operator, yet turning `&&` into `||` changes what happens when the
 * right side never runs: the operator counts as reached when the code just before it ran (the left
 * operand) or the start of its line did.
 */
export function reaches(perProcess, m) {
  const src = m.source;
  let before = m.at - 1;
  while (before > 0 && /\s/.test(src[before])) before--;
  const lineStart = m.at - m.col + (/^\s*/.exec(src.slice(m.at - m.col, m.at))?.[0].length ?? 0);
  return [m.at, before, lineStart].some((at) => executed(perProcess, at));
}

/** A hash of what coverage offsets depend on: the test file and every compiled file in scope. */
export function contentKey(files) {
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}
