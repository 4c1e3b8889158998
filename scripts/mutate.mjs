#!/usr/bin/env node
// Mutation testing for the modules where a wrong answer is a wrong verdict (issue #20): plants one small,
// plausible bug at a time in the compiled code, runs only the test files that import the mutated module
// (directly or through one module between) and, by V8's coverage of their unmutated run, execute the
// mutated code; a mutant is killed when one of them fails (or hangs). Prints the score per module.
//
//   npm run mutate                          every scoped mutant not yet done (long: it runs at nice 19)
//   npm run mutate -- --only verdict        modules whose path contains a word
//   npm run mutate -- --budget 30           stop starting mutants after 30 minutes
//   npm run mutate -- --report              the scores from the results so far, running nothing
//   npm run mutate -- --retry-survivors     the survivors again too (after adding tests)
//   npm run mutate -- --retry-timeouts      the kills by timeout made before they were confirmed, again too
//   npm run mutate -- --jobs 2              two mutants at a time, each in its own copy of the tree
//   npm run mutate -- --with-engine         also the test/engine/ files (real image builds: minutes each)
//
// Resumable: each mutant's result is appended to test-results/mutate.jsonl as it is known, and a run skips
// the mutants already there (a mutant's id is its file, operator, line text and column, so it outlives
// edits elsewhere in the file). A run takes the mutants in one seeded random order, so the ones done after
// any number of minutes are a uniform random sample of the scope; the report says how many of all ran.
//
// Why on dist/ and not with StrykerJS: the suite is `node --test` over tsc's output plus a bundled CLI,
// which Stryker's runners do not drive without a plugin; and a mutant applied to the TypeScript would need
// a tsc run each. The compiled file keeps the source's shape (one statement per line, comments kept), and a
// mutant is shown at its TypeScript line (through tsc's source map). It works on a copy of dist/ under
// .mutate/ (the rest of the tree linked in), so the working tree and its dist/ are never touched and other
// test runs can go on; each mutant is reverted before the next.
//
// Not counted: mutants listed as equivalent in scripts/mutate-equivalent.json (each with its reason), which
// are printed but left out of the score. A mutant that no test file within reach executes counts as
// survived ("no coverage"). CLI tests that only spawn dist/bin/gokiln.js do not see a mutant (the bundle is not rebuilt
// per mutant), so the score is a lower bound.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { contentKey, importGraph, mutantsOf, reach, reaches, readCoverage, tsLines, walk } from './mutate-mutants.mjs';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SCOPE = ['src/analysis/', 'src/formats/elf/', 'src/dockerfile/rules/', 'src/project/plan.ts', 'src/knowledge/'];

function args() {
  const a = process.argv.slice(2);
  const o = {
    only: [],
    budgetMin: Infinity,
    maxPerFile: Infinity,
    seed: 1,
    list: false,
    json: null,
    filesPerMutant: 8,
    maxDistance: 2,
    jobs: 1,
    skip: ['/test/engine/'],
    results: join(ROOT, 'test-results/mutate.jsonl'),
    report: false,
    retrySurvivors: false,
    retryTimeouts: false,
    nice: 19,
  };
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === '--only') o.only.push(a[++i]);
    else if (k === '--budget') o.budgetMin = Number(a[++i]);
    else if (k === '--max-per-file') o.maxPerFile = Number(a[++i]);
    else if (k === '--seed') o.seed = Number(a[++i]);
    else if (k === '--list') o.list = true;
    else if (k === '--files-per-mutant') o.filesPerMutant = Number(a[++i]);
    else if (k === '--max-distance') o.maxDistance = Number(a[++i]);
    else if (k === '--jobs') o.jobs = Math.max(1, Number(a[++i]));
    else if (k === '--with-engine') o.skip = o.skip.filter((w) => w !== '/test/engine/');
    else if (k === '--results') o.results = resolve(a[++i]);
    else if (k === '--report') o.report = true;
    else if (k === '--retry-survivors') o.retrySurvivors = true;
    else if (k === '--retry-timeouts') o.retryTimeouts = true;
    else if (k === '--nice') o.nice = Number(a[++i]);
    else if (k === '--json') o.json = a[++i];
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

// ---- running

/** The process groups of the test files running now: stopped with the run. */
const running = new Set();

/** One test file run as a program, in a TMPDIR of its own (removed after); killed with its children on timeout. */
function runNode(cwd, file, timeoutMs, coverageDir) {
  return new Promise((done) => {
    const t0 = Date.now();
    const tmp = mkdtempSync(join(cwd, '.tmp-'));
    const env = { ...process.env, TMPDIR: tmp, ...(coverageDir ? { NODE_V8_COVERAGE: coverageDir } : {}) };
    // the file run as a program: node:test runs its tests and exits non-zero when one fails, without the
    // extra process `node --test` puts around each file
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'ignore', 'ignore'], detached: true });
    let timedOut = false;
    running.add(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      // the test runner's own children (bwrap, go) go with its process group
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('close', (code) => {
      running.delete(child.pid);
      clearTimeout(timer);
      rmSync(tmp, { recursive: true, force: true });
      done({ ok: code === 0 && !timedOut, timedOut, ms: Date.now() - t0 });
    });
  });
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function shuffle(list, random) {
  return list
    .map((m) => [random(), m])
    .sort((a, b) => a[0] - b[0])
    .map((x) => x[1]);
}

/** The results file: the last record per mutant id. */
function loadResults(file) {
  const done = new Map();
  if (!existsSync(file)) return done;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line);
      done.set(r.id, r);
    } catch {
      /* a line cut short by a kill: that mutant runs again */
    }
  }
  return done;
}

/** Every scoped mutant of the compiled tree at `dist`, each with a stable id. */
function allMutants(dist, o) {
  const targets = walk(join(dist, 'src'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ f, src: 'src/' + relative(join(dist, 'src'), f).replace(/\.js$/, '.ts') }))
    .filter(({ src }) => SCOPE.some((s) => src.startsWith(s) || src === s))
    .filter(({ src }) => o.only.length === 0 || o.only.some((w) => src.includes(w)));
  const random = rng(o.seed);
  let all = [];
  for (const { f, src } of targets) {
    const toTs = tsLines(f);
    const seen = new Map();
    const source = readFileSync(f, 'utf8');
    let ms = mutantsOf(f, source).map((m) => {
      const key = `${src}|${m.name}|${m.text}|${m.col}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return { ...m, id: `${key}|${n}`, src, source, module: moduleOf(src), line: toTs(m.line) };
    });
    if (ms.length > o.maxPerFile) ms = shuffle(ms, random).slice(0, o.maxPerFile);
    all.push(...ms);
  }
  all = shuffle(all, random);
  return { targets, all };
}

async function main() {
  const o = args();
  const started = Date.now();
  if (!existsSync(join(ROOT, 'dist/src')) || !existsSync(join(ROOT, 'dist/test'))) throw new Error('run `npm run build` first');
  // a long run on a shared machine: the mutants and every test they start yield to interactive work
  if (o.nice) setPriority(o.nice);
  const equivalent = JSON.parse(readFileSync(join(ROOT, 'scripts/mutate-equivalent.json'), 'utf8'));
  // `col` (the mutant's column in the compiled line, as in its id) picks one of two same mutations on a line
  const isEquivalent = (m) =>
    equivalent.find(
      (e) => e.file === m.src && e.mutation === m.name && m.text.includes(e.code) && (e.col === undefined || e.col === m.col),
    );

  if (o.list || o.report) {
    const { all } = allMutants(join(ROOT, 'dist'), o);
    if (o.list) {
      for (const m of all) console.log(`${m.src}:${m.line}  ${m.name}  ${m.text}`);
      console.log(`${all.length} mutants`);
    } else report(all, loadResults(o.results), isEquivalent, o, started);
    return;
  }

  // the working copies: the tree copied (a few MB) but node_modules, linked;
  // not linked: go reports a package's directory by its real path, and a plan read from .mutate/examples
  // through a link would not match its own packages. One copy per job (--jobs), each mutating its own.
  const top = join(ROOT, '.mutate');
  rmSync(top, { recursive: true, force: true });
  const works = Array.from({ length: o.jobs }, (_, i) => join(top, String(i)));
  for (const work of works) {
    mkdirSync(work, { recursive: true });
    for (const e of readdirSync(ROOT)) {
      if (e === '.mutate' || e === '.git' || e === 'test-results') continue;
      if (e === 'node_modules') symlinkSync(join(ROOT, e), join(work, e));
      else cpSync(join(ROOT, e), join(work, e), { recursive: true, verbatimSymlinks: true });
    }
  }
  // mutants and test files are named by their paths in the first copy; `inCopy` finds them in another
  const dist = join(works[0], 'dist');
  const inCopy = (path, i) => join(works[i], relative(works[0], path));
  mkdirSync(dirname(o.results), { recursive: true });

  const graph = importGraph(dist);
  // the engine tests build and run real images (buildah, podman): minutes each, so left out unless asked
  const tests = [...graph.keys()].filter((f) => f.endsWith('.test.js') && !o.skip.some((w) => f.includes(w)));
  const reached = new Map(tests.map((t) => [t, reach(graph, t)]));
  const { targets, all } = allMutants(dist, o);
  const done = loadResults(o.results);
  const todo = all.filter((m) => {
    const r = done.get(m.id);
    // the mutants without a result (an unconfirmed timeout is none), and with --retry-survivors the
    // survivors again (after tests were added), with --retry-timeouts the kills by timeout made before a
    // timeout was confirmed
    return (
      !r ||
      r.status === 'timeout (unconfirmed)' ||
      (o.retrySurvivors && (r.status === 'survived' || r.status === 'no-coverage')) ||
      (o.retryTimeouts && r.status === 'killed (timeout)' && !r.confirmed)
    );
  });

  // which test files killed mutants of a source file before: tried first for its next mutants
  const killers = new Map();
  const noteKiller = (src, by) => {
    const k = killers.get(src) ?? new Map();
    k.set(by, (k.get(by) ?? 0) + 1);
    killers.set(src, k);
  };
  for (const r of done.values()) if (r.by) noteKiller(r.src, r.by);

  // the test files within --max-distance imports of a module (1: the test imports it)
  const near = new Map();
  for (const { f } of targets)
    near.set(
      f,
      tests.filter((t) => (reached.get(t).get(f) ?? Infinity) <= o.maxDistance),
    );

  // each test file is run once unmutated, with V8's coverage on, before it is used on a mutant: one that
  // fails is never a killer; its time sets its timeout under a mutant (three times slower is a hang); and
  // only the test files that executed the mutated code run for a mutant. Kept in a cache file, keyed by
  // the test file's and the scoped modules' bytes (coverage offsets are offsets into them).
  const baselineFile = o.results.replace(/\.jsonl$/, '') + '-baseline.json';
  const baselines = existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, 'utf8')) : {};
  // a test file that failed unmutated is tried again: the cause may have been the machine, not the test
  for (const [key, b] of Object.entries(baselines)) if (!b.ok) delete baselines[key];
  const scopeKey = contentKey(targets.map((x) => x.f));
  const scoped = new Set(targets.map((x) => relative(dist, x.f)));
  // one baseline run per test file even when several jobs need it at once: the others wait for it
  const inFlight = new Map();
  const baseline = (t, i) => {
    const key = `${relative(dist, t)}@${contentKey([t])}-${scopeKey}`;
    if (baselines[key]) return Promise.resolve(baselines[key]);
    if (!inFlight.has(key))
      inFlight.set(
        key,
        runBaseline(t, i, key).finally(() => inFlight.delete(key)),
      );
    return inFlight.get(key);
  };
  const runBaseline = async (t, i, key) => {
    const cov = mkdtempSync(join(works[i], '.cov-'));
    const b = await runNode(works[i], inCopy(t, i), 10 * 60_000, cov);
    const cover = Object.fromEntries(Object.entries(readCoverage(cov, join(works[i], 'dist'))).filter(([f]) => scoped.has(f)));
    rmSync(cov, { recursive: true, force: true });
    baselines[key] = { ok: b.ok, ms: b.ms, cover };
    writeFileSync(baselineFile + '.tmp', JSON.stringify(baselines));
    renameSync(baselineFile + '.tmp', baselineFile);
    if (!b.ok) process.stdout.write(`mutate: ${relative(dist, t)} fails unmutated: not used as a killer\n`);
    return baselines[key];
  };
  process.stdout.write(
    `mutate: ${todo.length} to run of ${all.length} mutants in ${targets.length} files (${all.length - todo.length} done before), test files within ${o.maxDistance} imports that execute the mutated code, up to ${o.filesPerMutant} each\n`,
  );

  const restore = new Map();
  const onSignal = () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const [f, text] of restore) writeFileSync(f, text);
    rmSync(top, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let ran = 0;
  let next = 0;
  const job = async (i) => {
    for (let m = todo[next++]; m; m = todo[next++]) {
      if ((Date.now() - started) / 60_000 > o.budgetMin) break;
      if (isEquivalent(m)) continue;
      const file = inCopy(m.file, i);
      const candidates = [];
      for (const t of near.get(m.file) ?? []) {
        const b = await baseline(t, i);
        if (b.ok && reaches(b.cover[relative(dist, m.file)], m)) candidates.push({ t, ms: b.ms });
      }
      // the test files that killed this module's mutants before first, then the quickest
      const k = killers.get(m.src) ?? new Map();
      candidates.sort((a, b) => (k.get(relative(dist, b.t)) ?? 0) - (k.get(relative(dist, a.t)) ?? 0) || a.ms - b.ms);
      const files = candidates.slice(0, o.filesPerMutant);
      let status = files.length === 0 ? 'no-coverage' : 'survived';
      let by = null;
      const t0 = Date.now();
      if (files.length) {
        const original = readFileSync(file, 'utf8');
        restore.set(file, original);
        writeFileSync(file, original.slice(0, m.at) + m.rep + original.slice(m.at + m.len));
        try {
          for (const { t, ms } of files) {
            const r = await runNode(works[i], inCopy(t, i), 3 * ms + 10_000);
            if (r.ok) continue;
            status = r.timedOut ? 'killed (timeout)' : 'killed';
            by = relative(dist, t);
            break;
          }
        } finally {
          writeFileSync(file, original);
          restore.delete(file);
        }
      }
      // A timeout is a kill only when the mutant caused it: the same test file, unmutated, must pass within
      // the same limit now. When it does not, the machine was too busy to tell, and the mutant is left
      // without a result (`timeout (unconfirmed)`, run again by the next run).
      let confirmed;
      if (status === 'killed (timeout)') {
        const { ms } = files.find((x) => relative(dist, x.t) === by);
        const again = await runNode(works[i], inCopy(join(dist, by), i), 3 * ms + 10_000);
        confirmed = again.ok;
        if (!confirmed) status = 'timeout (unconfirmed)';
      }
      if (status.startsWith('killed')) noteKiller(m.src, by);
      const rec = {
        id: m.id,
        src: m.src,
        module: m.module,
        line: m.line,
        name: m.name,
        text: m.text,
        status,
        by,
        tests: files.length,
        ms: Date.now() - t0,
        ...(confirmed === undefined ? {} : { confirmed }),
      };
      appendFileSync(o.results, JSON.stringify(rec) + '\n');
      done.set(m.id, rec);
      ran++;
      process.stdout.write(`mutate ${ran}/${todo.length} ${status.padEnd(16)} ${m.src}:${m.line} ${m.name}${by ? `  (${by})` : ''}\n`);
    }
  };
  await Promise.all(works.map((_, i) => job(i)));

  report(all, done, isEquivalent, o, started);
  rmSync(top, { recursive: true, force: true });
}

function moduleOf(src) {
  return SCOPE.find((s) => src.startsWith(s) || src === s)?.replace(/\/$/, '') ?? src;
}

/** Scores per module over every scoped mutant: those with a result, the equivalent, and those not run yet. */
function report(all, done, isEquivalent, o, started) {
  const mods = new Map();
  const rows = [];
  for (const m of all) {
    const eq = isEquivalent(m);
    const r = done.get(m.id);
    // an unconfirmed timeout has no result yet
    const status = eq ? 'equivalent' : r?.status === 'timeout (unconfirmed)' ? 'not-run' : (r?.status ?? 'not-run');
    rows.push({ ...m, status, by: r?.by ?? null, reason: eq?.reason });
    const s = mods.get(m.module) ?? { total: 0, killed: 0, timeouts: 0, survived: 0, equivalent: 0, noCoverage: 0, notRun: 0 };
    s.total++;
    if (status === 'killed (timeout)' && !r.confirmed) s.timeouts++;
    if (status.startsWith('killed')) s.killed++;
    else if (status === 'survived') s.survived++;
    else if (status === 'equivalent') s.equivalent++;
    else if (status === 'no-coverage') s.noCoverage++;
    else s.notRun++;
    mods.set(m.module, s);
  }
  const pct = (k, n) => (n ? ((100 * k) / n).toFixed(1) + '%' : '—');
  // a kill by timeout (3x the unmutated time + 10 s) recorded before timeouts were confirmed (an unmutated
  // re-run passing within the same limit) may be a loaded machine, not the mutant: the last score counts
  // those as survivors, a lower bound (`--retry-timeouts` confirms them)
  const lines = [
    '',
    'module                   mutants    ran  killed survived  score  unconfirmed timeouts  w/o them   (equivalent, no coverage, not run)',
  ];
  const sum = { total: 0, killed: 0, timeouts: 0, survived: 0, equivalent: 0, noCoverage: 0, notRun: 0 };
  const row = (name, s) => {
    const ran = s.killed + s.survived + s.noCoverage;
    return `${name.padEnd(24)} ${String(s.total).padStart(7)} ${String(ran).padStart(6)} ${String(s.killed).padStart(7)} ${String(s.survived + s.noCoverage).padStart(8)} ${pct(s.killed, ran).padStart(6)} ${String(s.timeouts).padStart(21)} ${pct(s.killed - s.timeouts, ran).padStart(9)}   (${s.equivalent}, ${s.noCoverage}, ${s.notRun})`;
  };
  for (const [mod, s] of [...mods].sort()) {
    for (const k of Object.keys(sum)) sum[k] += s[k];
    lines.push(row(mod, s));
  }
  lines.push(row('all', sum));
  lines.push('', 'survivors (a no-coverage mutant counts as one):');
  for (const r of rows
    .filter((x) => x.status === 'survived' || x.status === 'no-coverage')
    .sort((a, b) => a.src.localeCompare(b.src) || a.line - b.line)) {
    lines.push(`  ${r.src}:${r.line}  ${r.name}  ${r.status === 'no-coverage' ? '[no test executes it] ' : ''}${r.text.slice(0, 140)}`);
  }
  const eq = rows.filter((x) => x.status === 'equivalent');
  if (eq.length) {
    lines.push('', 'equivalent (left out of the score):');
    for (const r of eq) lines.push(`  ${r.src}:${r.line}  ${r.name}  — ${r.reason}`);
  }
  const ran = sum.killed + sum.survived + sum.noCoverage;
  lines.push(
    '',
    `mutate: ${ran} of ${sum.total - sum.equivalent} non-equivalent mutants have a result (${sum.notRun} not run; a uniform random sample in seed ${o.seed}'s order); results in ${relative(ROOT, o.results)}; this run ${((Date.now() - started) / 60_000).toFixed(1)} min`,
  );
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json)
    writeFileSync(
      o.json,
      JSON.stringify({ modules: Object.fromEntries(mods), results: rows.map(({ at, len, rep, file, col, source, ...r }) => r) }, null, 2) +
        '\n',
    );
}

await main();
