#!/usr/bin/env node
// Mutation testing for the modules where a wrong answer is a wrong verdict (issue #20): plants one small,
// plausible bug at a time in the compiled code, runs only the test files that import the mutated module,
// and counts the mutant killed when one of them fails (or hangs). Prints the score per module.
//
//   npm run mutate                          all scoped modules (long: run it with `nice -n 19`)
//   npm run mutate -- --only verdict        modules whose path contains a word
//   npm run mutate -- --budget 30 --max-per-file 40 --seed 1
//
// Why on dist/ and not with StrykerJS: the suite is `node --test` over tsc's output plus a bundled CLI,
// which Stryker's runners do not drive without a plugin; and a mutant applied to the TypeScript would need
// a tsc run (about a minute here) each. The compiled file keeps the source's shape (one statement per line,
// comments kept), and a mutant is shown at its TypeScript line (through tsc's source map).
// It works on a copy of dist/ under .mutate/ (the rest of the tree linked in), so the working tree and its
// dist/ are never touched and other test runs can go on; each mutant is reverted before the next.
//
// Not counted: a mutant no test file imports (reported as "no coverage"); mutants listed as equivalent in
// scripts/mutate-equivalent.json (each with its reason), which are printed but left out of the score.
// CLI tests that only spawn dist/bin/gokiln.js do not see a mutant (the bundle is not rebuilt per mutant),
// so the score is a lower bound.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SCOPE = ['src/analysis/', 'src/formats/elf/', 'src/dockerfile/rules/', 'src/project/plan.ts', 'src/knowledge/'];

function args() {
  const a = process.argv.slice(2);
  const o = { only: [], budgetMin: Infinity, maxPerFile: Infinity, seed: 1, list: false, json: null, filesPerMutant: 8 };
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === '--only') o.only.push(a[++i]);
    else if (k === '--budget') o.budgetMin = Number(a[++i]);
    else if (k === '--max-per-file') o.maxPerFile = Number(a[++i]);
    else if (k === '--seed') o.seed = Number(a[++i]);
    else if (k === '--list') o.list = true;
    else if (k === '--files-per-mutant') o.filesPerMutant = Number(a[++i]);
    else if (k === '--json') o.json = a[++i];
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

// ---- which test files reach which module (static and dynamic relative imports of the compiled JS)

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function importGraph(dist) {
  const graph = new Map();
  for (const f of walk(dist).filter((p) => p.endsWith('.js'))) {
    const deps = [];
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT_RE)) deps.push(resolve(dirname(f), m[1]));
    graph.set(f, deps);
  }
  return graph;
}

/** Every module a file reaches, with its import distance (1 = imported directly). */
function reach(graph, start) {
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
    if (c === '/' && n === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '/' && n === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? src.length : e + 2; continue; }
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      i++;
      while (i < src.length && src[i] !== q) i += src[i] === '\\' ? 2 : 1;
      i++;
      lastSignificant = q;
      continue;
    }
    if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant) || /\b(return|typeof|case|in|of)$/.test(src.slice(Math.max(0, i - 8), i).trimEnd()))) {
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

function mutantsOf(file, src) {
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
      out.push({ file, at: i, len: m[0].length, rep, name, line: line + 1, text: text.trim() });
      break;
    }
  }
  return out;
}

// ---- running

function runNode(cwd, file, timeoutMs) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--test', '--test-reporter=dot', file], { cwd, stdio: ['ignore', 'ignore', 'ignore'], detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // the test runner's own children (bwrap, go) go with its process group
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ok: code === 0 && !timedOut, timedOut, ms: Date.now() - t0 });
    });
  });
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function main() {
  const o = args();
  const started = Date.now();
  if (!existsSync(join(ROOT, 'dist/src')) || !existsSync(join(ROOT, 'dist/test'))) throw new Error('run `npm run build` first');

  // the working copy: dist/ copied, everything else linked, so tests find README, schemas, test/go…
  const work = join(ROOT, '.mutate');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  for (const e of readdirSync(ROOT)) if (e !== 'dist' && e !== '.mutate' && e !== '.git') symlinkSync(join(ROOT, e), join(work, e));
  cpSync(join(ROOT, 'dist'), join(work, 'dist'), { recursive: true });
  const dist = join(work, 'dist');

  const graph = importGraph(dist);
  const tests = [...graph.keys()].filter((f) => f.endsWith('.test.js'));
  const reached = new Map(tests.map((t) => [t, reach(graph, t)]));
  const equivalent = existsSync(join(ROOT, 'scripts/mutate-equivalent.json')) ? JSON.parse(readFileSync(join(ROOT, 'scripts/mutate-equivalent.json'), 'utf8')) : [];

  const targets = walk(join(dist, 'src'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ f, src: 'src/' + relative(join(dist, 'src'), f).replace(/\.js$/, '.ts') }))
    .filter(({ src }) => SCOPE.some((s) => src.startsWith(s) || src === s))
    .filter(({ src }) => o.only.length === 0 || o.only.some((w) => src.includes(w)));

  const random = rng(o.seed);
  let all = [];
  for (const { f, src } of targets) {
    const text = readFileSync(f, 'utf8');
    const toTs = tsLines(f);
    let ms = mutantsOf(f, text).map((m) => ({ ...m, src, module: moduleOf(src), line: toTs(m.line) }));
    if (ms.length > o.maxPerFile) ms = ms.map((m) => [random(), m]).sort((a, b) => a[0] - b[0]).slice(0, o.maxPerFile).map((x) => x[1]).sort((a, b) => a.at - b.at);
    all.push(...ms);
  }
  // spread a partial run (--budget) over every module: interleave files
  const byFile = new Map();
  for (const m of all) byFile.set(m.src, [...(byFile.get(m.src) ?? []), m]);
  all = [];
  for (let round = 0; [...byFile.values()].some((l) => l.length > round); round++) for (const l of byFile.values()) if (l[round]) all.push(l[round]);

  if (o.list) {
    for (const m of all) console.log(`${m.src}:${m.line}  ${m.name}  ${m.text}`);
    console.log(`${all.length} mutants`);
    return;
  }

  // the test files that reach a module, in the order likeliest
  // to kill it soonest. Only the first --files-per-mutant are run for a mutant.
  const covering = new Map();
  for (const { f } of targets) {
    const ts = tests.filter((t) => reached.get(t).has(f));
    // tests of the same area first (src/formats/… → test/formats/), then nearest, then smallest
    const area = `/test/${relative(join(dist, 'src'), f).split('/')[0]}/`;
    const away = (t) => (t.includes(area) ? 0 : 1);
    ts.sort((a, b) => away(a) - away(b) || reached.get(a).get(f) - reached.get(b).get(f) || statSync(a).size - statSync(b).size);
    covering.set(f, ts);
  }
  // a test file counts as a killer only if it passes unmutated: checked the first time it fails a mutant
  const baseline = new Map();
  process.stdout.write(`mutate: ${all.length} mutants in ${targets.length} files, up to ${o.filesPerMutant} test files each\n`);

  const results = [];
  const restore = new Map();
  const onSignal = () => {
    for (const [f, text] of restore) writeFileSync(f, text);
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  for (const [i, m] of all.entries()) {
    if ((Date.now() - started) / 60_000 > o.budgetMin) {
      results.push({ ...m, status: 'not-run' });
      continue;
    }
    const eq = equivalent.find((e) => e.file === m.src && e.mutation === m.name && m.text.includes(e.code));
    if (eq) {
      results.push({ ...m, status: 'equivalent', reason: eq.reason });
      continue;
    }
    const files = (covering.get(m.file) ?? []).filter((t) => baseline.get(t) !== false).slice(0, o.filesPerMutant);
    if (files.length === 0) {
      results.push({ ...m, status: 'no-coverage' });
      continue;
    }
    const original = readFileSync(m.file, 'utf8');
    const mutated = original.slice(0, m.at) + m.rep + original.slice(m.at + m.len);
    restore.set(m.file, original);
    writeFileSync(m.file, mutated);
    let status = 'survived';
    let by = null;
    try {
      for (const t of files) {
        const r = await runNode(work, t, 4 * 60_000);
        if (r.ok) continue;
        if (!baseline.has(t)) {
          writeFileSync(m.file, original);
          const b = await runNode(work, t, 10 * 60_000);
          baseline.set(t, b.ok);
          writeFileSync(m.file, mutated);
          if (!b.ok) {
            process.stdout.write(`mutate: ${relative(dist, t)} fails unmutated: not used as a killer\n`);
            continue;
          }
        }
        status = r.timedOut ? 'killed (timeout)' : 'killed';
        by = relative(dist, t);
        break;
      }
    } finally {
      writeFileSync(m.file, original);
      restore.delete(m.file);
    }
    results.push({ ...m, status, by });
    process.stdout.write(`mutate ${i + 1}/${all.length} ${status.padEnd(16)} ${m.src}:${m.line} ${m.name}${by ? `  (${by})` : ''}\n`);
  }

  report(results, o, started);
  rmSync(work, { recursive: true, force: true });
}

/** JS line (1-based) → TypeScript line, from tsc's source map (base64 VLQ mappings; first segment per line). */
function tsLines(jsFile) {
  const map = existsSync(jsFile + '.map') ? JSON.parse(readFileSync(jsFile + '.map', 'utf8')) : null;
  if (!map) return (l) => l;
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const decode = (seg) => {
    const out = [];
    let v = 0, shift = 0;
    for (const ch of seg) {
      const d = B64.indexOf(ch);
      v += (d & 31) << shift;
      if (d & 32) shift += 5;
      else { out.push(v & 1 ? -(v >>> 1) : v >>> 1); v = 0; shift = 0; }
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
      if (f.length >= 3) { srcLine += f[2]; if (first === null) first = srcLine; }
    }
    lines.push(first);
  }
  return (l) => (lines[l - 1] ?? null) === null ? l : lines[l - 1] + 1;
}

function moduleOf(src) {
  return SCOPE.find((s) => src.startsWith(s) || src === s)?.replace(/\/$/, '') ?? src;
}

function report(results, o, started) {
  const mods = new Map();
  for (const r of results) {
    const m = mods.get(r.module) ?? { killed: 0, survived: 0, equivalent: 0, noCoverage: 0, notRun: 0 };
    if (r.status.startsWith('killed')) m.killed++;
    else if (r.status === 'survived') m.survived++;
    else if (r.status === 'equivalent') m.equivalent++;
    else if (r.status === 'no-coverage') m.noCoverage++;
    else m.notRun++;
    mods.set(r.module, m);
  }
  const lines = ['', 'module                       killed survived  score  (equivalent, no coverage, not run)'];
  let k = 0, s = 0;
  for (const [mod, m] of [...mods].sort()) {
    k += m.killed;
    s += m.survived + m.noCoverage;
    const score = m.killed + m.survived + m.noCoverage ? ((100 * m.killed) / (m.killed + m.survived + m.noCoverage)).toFixed(1) + '%' : '—';
    lines.push(`${mod.padEnd(28)} ${String(m.killed).padStart(6)} ${String(m.survived + m.noCoverage).padStart(8)} ${score.padStart(6)}  (${m.equivalent}, ${m.noCoverage}, ${m.notRun})`);
  }
  lines.push(`${'all'.padEnd(28)} ${String(k).padStart(6)} ${String(s).padStart(8)} ${(k + s ? ((100 * k) / (k + s)).toFixed(1) + '%' : '—').padStart(6)}`);
  lines.push('', 'survivors (a no-coverage mutant counts as one):');
  for (const r of results.filter((x) => x.status === 'survived' || x.status === 'no-coverage')) lines.push(`  ${r.src}:${r.line}  ${r.name}  ${r.status === 'no-coverage' ? '[no test imports it] ' : ''}${r.text.slice(0, 140)}`);
  const eq = results.filter((x) => x.status === 'equivalent');
  if (eq.length) {
    lines.push('', 'equivalent (left out of the score):');
    for (const r of eq) lines.push(`  ${r.src}:${r.line}  ${r.name}  — ${r.reason}`);
  }
  lines.push('', `mutate: ${results.length} mutants in ${((Date.now() - started) / 60_000).toFixed(1)} min (seed ${o.seed})`);
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) writeFileSync(o.json, JSON.stringify({ modules: Object.fromEntries(mods), results: results.map(({ at, len, rep, file, ...r }) => r) }, null, 2) + '\n');
}

await main();
