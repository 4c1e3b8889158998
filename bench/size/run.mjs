#!/usr/bin/env node
// gokiln size vs go-size-analyzer (gsa) on the same binaries, in one run: wall time and peak memory
// (median of repeated runs, each tool as its own process), and the agreement of the top-20 packages.
//
//   npm run build && node bench/size/run.mjs [--runs N] [--dist DIR] [--targets a,b@1.2.3,...]
//
// gokiln runs as DIST/bin/gokiln.js (the bundled package bin) when present, else DIST/src/cli/main.js.
//
// Targets are fixture names (test/fixtures/recipes.ts), or NAME@VERSION for another release of an npm
// fixture: the same npm package and member at that version, fetched with `npm pack` into
// ~/.cache/gokiln/bench-bin/NAME-VERSION/ (cached there, never in the repo). The defaults add the newest
// buf and lefthook releases built with a Go that the cached gsa can read (Go <= 1.25; it fails on Go 1.26
// and 1.27 stripped binaries) next to the current fixtures, which gsa cannot read.
//
// gsa is installed with `go install github.com/Zxilly/go-size-analyzer/cmd/gsa@latest` into
// ~/.cache/gokiln/bench-bin (never into the repo). When that fails (a module proxy that does not serve
// the module), set GSA=/path/to/gsa, or leave a gsa binary in that directory. gsa runs with `-f json -o
// FILE` only: no --web, no --open, so it neither starts a server nor opens a browser. It runs with
// --compact (package and file sizes, no per-function list: the same summary level as `gokiln size --json`)
// and is timed twice: as users run it (with its disassembly pass, which attributes .rodata strings that
// the code references) and with --no-disasm (closer to gokiln's work, which attributes no data on a
// stripped binary).
//
// When --dist is outside the repo, node must still find the repo's node_modules from there (e.g.
// `ln -s /work/main/node_modules DIST/../node_modules`; a package.json with "type": "module" beside it).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const DIST = resolve(opt('--dist', process.env.GOKILN_DIST ?? 'dist'));
// the package's bin (bundled by `npm run build`) when it is there, as users run it; else tsc's output
const CLI = existsSync(join(DIST, 'bin/gokiln.js')) ? join(DIST, 'bin/gokiln.js') : join(DIST, 'src/cli/main.js');
const BIN_DIR = join(homedir(), '.cache/gokiln/bench-bin');
const TARGETS = opt('--targets', 'buf@1.65.0,buf,lefthook-linux-x64@2.1.2,lefthook-linux-x64,static,esbuild-go120').split(',');

function installGsa() {
  if (process.env.GSA) return { path: process.env.GSA, how: 'GSA from the environment' };
  mkdirSync(BIN_DIR, { recursive: true });
  try {
    execFileSync('go', ['install', 'github.com/Zxilly/go-size-analyzer/cmd/gsa@latest'], {
      env: { ...process.env, GOBIN: BIN_DIR, GOEXPERIMENT: 'jsonv2' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return { path: join(BIN_DIR, 'gsa'), how: 'go install …/cmd/gsa@latest' };
  } catch (e) {
    const why = String(e.stderr ?? e.message)
      .trim()
      .split('\n')
      .slice(-2)
      .join(' ');
    if (existsSync(join(BIN_DIR, 'gsa'))) return { path: join(BIN_DIR, 'gsa'), how: `cached binary (go install failed: ${why})` };
    throw new Error(`cannot install gsa: ${why}\nset GSA=/path/to/gsa`, { cause: e });
  }
}

/** Runs a command, returning wall ms, CPU ms (user + system), peak RSS in KiB (from /usr/bin/time -v) and exit code. */
function measure(cmd, argv) {
  return new Promise((res) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', cmd, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
      const cpu =
        1000 *
        (Number(/User time \(seconds\): ([\d.]+)/.exec(err)?.[1] ?? NaN) +
          Number(/System time \(seconds\): ([\d.]+)/.exec(err)?.[1] ?? NaN));
      const exit = Number(/Exit status: (\d+)/.exec(err)?.[1] ?? code);
      res({
        ms,
        cpu,
        rss,
        exit,
        err: err
          .split('\n')
          .filter((l) => !/^\t/.test(l) && !/^Command exited/.test(l) && l.trim())
          .slice(0, 3)
          .join(' '),
      });
    });
  });
}

/** Busy CPU ms of the whole machine so far (all cores), from /proc/stat; null where there is none. */
function machineBusyMs() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f; // idle and iowait are not busy time
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * gsa nests packages (a package's `size` includes its sub-packages'); per package its own share:
 *   size: its size less its children's sizes;
 *   code: the sum over its files of `size - pcln_size` (a file's size is its functions' code_size +
 *         pcln_size; code_size is entry → next entry, like gokiln's text + padding);
 *   pcln: the sum over its files of `pcln_size` (per-function pclntab bytes as gsa counts them);
 *   rest: size - code - pcln: address ranges gsa found for the package outside its function records
 *         (symbol-table data when there is a symbol table, strings found by disassembly otherwise).
 */
function gsaPackages(json) {
  const out = new Map();
  const walk = (pkgs) => {
    for (const p of Object.values(pkgs ?? {})) {
      const kids = Object.values(p.subPackages ?? {});
      const r = out.get(p.name) ?? { size: 0, code: 0, pcln: 0, rest: 0 };
      const size = p.size - kids.reduce((t, k) => t + k.size, 0);
      let code = 0,
        pcln = 0;
      for (const f of p.files ?? []) {
        // --compact gives size and pcln_size per file; the full form lists functions
        const fsize = f.size ?? (f.functions ?? []).reduce((t, fn) => t + fn.code_size + pclnOf(fn.pcln_size), 0);
        const fpcln = typeof f.pcln_size === 'number' ? f.pcln_size : (f.functions ?? []).reduce((t, fn) => t + pclnOf(fn.pcln_size), 0);
        code += fsize - fpcln;
        pcln += fpcln;
      }
      r.size += size;
      r.code += code;
      r.pcln += pcln;
      r.rest += size - code - pcln;
      out.set(p.name, r);
      walk(p.subPackages);
    }
  };
  walk(json.packages);
  return out;
}
const pclnOf = (p) =>
  Object.entries(p ?? {}).reduce((t, [k, v]) => t + (k === 'pcdata' ? Object.values(v).reduce((a, b) => a + b, 0) : v), 0);

function fmt(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}
const pct = (a, b) => (b ? `${(((a - b) / b) * 100).toFixed(1)}%` : '-');

/** NAME@VERSION: the npm fixture NAME's package and member at another version, fetched once into BIN_DIR. */
async function npmTarget(spec) {
  const [name, version] = spec.split('@');
  const { RECIPES } = await import(pathToFileURL(join(DIST, 'test/fixtures/recipes.js')).href);
  const r = RECIPES[name];
  if (!r || r.kind !== 'npm') throw new Error(`${name} is not an npm fixture`);
  const dir = join(BIN_DIR, `${name}-${version}`);
  const file = join(dir, r.output);
  if (!existsSync(file)) {
    const { buildNpm } = await import(pathToFileURL(join(DIST, 'test/fixtures/npm.js')).href);
    mkdirSync(dir, { recursive: true });
    await buildNpm({ ...r, version }, dir);
  }
  return { file, what: `${r.pkg}@${version}` };
}

async function resolveTarget(name, fixture) {
  if (name.includes('@') && !name.startsWith('@')) return npmTarget(name);
  const file = fixture(name);
  const { RECIPES } = await import(pathToFileURL(join(DIST, 'test/fixtures/recipes.js')).href);
  const r = RECIPES[name];
  return { file, what: r?.kind === 'npm' ? `${r.pkg}@${r.version}` : `fixture ${name}` };
}

/** Median wall ms and peak RSS KiB of a list of measurements. */
const med = (rs) => ({ ms: median(rs.map((r) => r.ms)), cpu: median(rs.map((r) => r.cpu)), rss: median(rs.map((r) => r.rss)) });
/** wall ms, CPU ms, MB peak RSS, aligned. */
const line = (m) =>
  `${m.ms.toFixed(0).padStart(6)} ms wall ${m.cpu.toFixed(0).padStart(6)} ms CPU ${(m.rss / 1024).toFixed(0).padStart(4)} MB peak RSS`;

async function main() {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install -y time');
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build (or pass --dist)`);
  try {
    createRequire(CLI).resolve('commander');
  } catch {
    throw new Error(
      `node cannot find the repo's node_modules from ${DIST}: link it, e.g. ln -s ${resolve('node_modules')} ${join(DIST, '..', 'node_modules')}`,
    );
  }
  const { fixture } = await import(pathToFileURL(join(DIST, 'test/fixtures/index.js')).href);
  const gsa = installGsa();
  const gsaVersion = execFileSync(gsa.path, ['--version'], { encoding: 'utf8' })
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  console.log(`gsa: ${gsa.path} (${gsa.how})\n     ${gsaVersion}`);
  const base = [];
  for (let i = 0; i < RUNS; i++) base.push(await measure(process.execPath, ['-e', '0']));
  const B = med(base);
  console.log(
    `gokiln: ${CLI}; ${RUNS} runs each, medians; node ${process.version} (an empty \`node -e 0\`: ${B.ms.toFixed(0)} ms wall, ${B.cpu.toFixed(0)} ms CPU, ${(B.rss / 1024).toFixed(0)} MB peak RSS)\n`,
  );
  const work = mkdtempSync(join(tmpdir(), 'gk-bench-size-'));
  const summary = [];
  try {
    for (const name of TARGETS) {
      let file, what;
      try {
        ({ file, what } = await resolveTarget(name, fixture));
      } catch (e) {
        console.log(`${name}: not available (${e.message.split('\n')[0]})\n`);
        continue;
      }
      const key = name.replace(/[^A-Za-z0-9.-]/g, '_');
      const gkOut = join(work, `${key}.gokiln.json`);
      const gsaOut = join(work, `${key}.gsa.json`);
      const gsaOut2 = join(work, `${key}.gsa-nodisasm.json`);
      const g = [],
        s = [],
        s2 = [],
        lib = [];
      // CPU used on the machine while this target is measured, less what the measured processes and this
      // script used: the load of other processes, which disturbs wall times (not peak RSS)
      const busy0 = machineBusyMs(),
        self0 = process.cpuUsage(),
        wall0 = Date.now();
      for (let i = 0; i < RUNS; i++) {
        // alternate the tools so neither always runs on a warm page cache
        g.push(await measure('/bin/sh', ['-c', `exec "${process.execPath}" "${CLI}" size --json "${file}" > "${gkOut}"`]));
        // the same work through the library alone: the CLI also loads every other command at start-up
        lib.push(
          await measure(process.execPath, [
            '--input-type=module',
            '-e',
            `import { sizeFile } from ${JSON.stringify(pathToFileURL(join(DIST, 'src/analysis/size/analyze.js')).href)}; sizeFile(${JSON.stringify(file)});`,
          ]),
        );
        if (s.length && s[0].exit !== 0) continue; // gsa cannot read it: no point repeating it (gokiln still is)
        rmSync(gsaOut, { force: true });
        s.push(await measure(gsa.path, ['-f', 'json', '--compact', '--indent', '0', '-o', gsaOut, file]));
        if (s[0].exit !== 0) continue;
        rmSync(gsaOut2, { force: true });
        s2.push(await measure(gsa.path, ['-f', 'json', '--compact', '--no-disasm', '--indent', '0', '-o', gsaOut2, file]));
      }
      const busy1 = machineBusyMs(),
        self1 = process.cpuUsage(self0),
        wall1 = Date.now();
      const ours =
        [...g, ...s, ...s2, ...lib].reduce((t, r) => t + (Number.isFinite(r.cpu) ? r.cpu : 0), 0) + (self1.user + self1.system) / 1000;
      const other = busy0 === null ? null : Math.max(0, busy1 - busy0 - ours);
      const gk = JSON.parse(readFileSync(gkOut, 'utf8'));
      const gsaOk = s.every((r) => r.exit === 0) && existsSync(gsaOut) && readFileSync(gsaOut).length > 0;
      const G = med(g),
        L = med(lib);
      console.log(
        `== ${name}: ${what}, ${fmt(gk.fileSize)}, ${gk.goVersion ?? 'Go version unknown'}, pclntab ${gk.pclntab}, ${gk.symbols ? 'symbols' : 'stripped'}`,
      );
      console.log(`   gokiln  ${line(G)}  (CLI, size --json; ${gk.packages.length} packages, unattributed ${fmt(gk.unattributed)})`);
      console.log(`   gokiln  ${line(L)}  (library: node + sizeFile only)`);
      const otherNote =
        other === null
          ? 'unknown'
          : `${(other / 1000).toFixed(1)} s CPU over ${((wall1 - wall0) / 1000).toFixed(1)} s wall (${((other / (wall1 - wall0)) * 100).toFixed(0)}% of one core)`;
      console.log(`   other processes' load during these runs: ${otherNote}`);
      const row = { name, what, go: gk.goVersion, size: gk.fileSize, G, L, gsa: null, otherNote };
      summary.push(row);
      if (!gsaOk) {
        row.gsaErr = `exit ${s[0].exit}: ${s[0].err.replace(/^time=\S+ /, '')}`;
        console.log(`   gsa     failed (${row.gsaErr})\n`);
        continue;
      }
      const S = med(s),
        S2 = med(s2);
      console.log(`   gsa     ${line(S)}  (-f json --compact)`);
      console.log(`   gsa     ${line(S2)}  (-f json --compact --no-disasm)`);
      console.log(
        `   ratio   gsa/gokiln CLI: wall ${(S.ms / G.ms).toFixed(2)}x, CPU ${(S.cpu / G.cpu).toFixed(2)}x, memory ${(S.rss / G.rss).toFixed(2)}x; --no-disasm: wall ${(S2.ms / G.ms).toFixed(2)}x, CPU ${(S2.cpu / G.cpu).toFixed(2)}x, memory ${(S2.rss / G.rss).toFixed(2)}x`,
      );
      console.log(
        `           gsa/gokiln library: wall ${(S.ms / L.ms).toFixed(2)}x, CPU ${(S.cpu / L.cpu).toFixed(2)}x, memory ${(S.rss / L.rss).toFixed(2)}x; --no-disasm: wall ${(S2.ms / L.ms).toFixed(2)}x, CPU ${(S2.cpu / L.cpu).toFixed(2)}x, memory ${(S2.rss / L.rss).toFixed(2)}x`,
      );

      const sj = JSON.parse(readFileSync(gsaOut, 'utf8'));
      const gp = gsaPackages(sj);
      const gpAll = [...gp.values()];
      const sum = (xs, f) => xs.reduce((t, x) => t + f(x), 0);
      const pclnSec = gk.sections.find((x) => x.name === '.gopclntab')?.fileSize ?? 0;
      console.log(`   whole binary (bytes)   gokiln                gsa`);
      console.log(
        `     packages total       ${String(sum(gk.packages, (p) => p.size)).padEnd(21)} ${sum(gpAll, (p) => p.size)}   (file ${gk.fileSize})`,
      );
      console.log(
        `     code                 ${String(sum(gk.packages, (p) => p.text + (p.padding ?? 0))).padEnd(21)} ${sum(gpAll, (p) => p.code)}   (text + padding vs code_size)`,
      );
      console.log(
        `     pclntab              ${String(sum(gk.packages, (p) => p.pclntab ?? 0)).padEnd(21)} ${sum(gpAll, (p) => p.pcln)}   (.gopclntab section: ${pclnSec})`,
      );
      console.log(
        `     data/other           ${String(sum(gk.packages, (p) => p.data ?? 0)).padEnd(21)} ${sum(gpAll, (p) => p.rest)}   (gokiln data vs gsa's ranges outside function records)`,
      );

      const real = gk.packages.filter((p) => !p.name.startsWith('<'));
      const gkCode = (p) => p.text + (p.padding ?? 0);
      const topG = real.slice(0, 20);
      const topS = [...gp]
        .filter(([n]) => n)
        .sort((a, b) => b[1].size - a[1].size)
        .slice(0, 20)
        .map(([n]) => n);
      const topGc = [...real]
        .sort((a, b) => gkCode(b) - gkCode(a))
        .slice(0, 20)
        .map((p) => p.name);
      const topSc = [...gp]
        .filter(([n]) => n)
        .sort((a, b) => b[1].code - a[1].code)
        .slice(0, 20)
        .map(([n]) => n);
      const shared = topG.filter((p) => topS.includes(p.name)).length;
      const sharedCode = topGc.filter((n) => topSc.includes(n)).length;
      const within = (a, b, f) => b > 0 && Math.abs(a - b) <= b * f;
      const agree = { size: [0, 0], code: [0, 0], pcln: [0, 0] };
      console.log(`   top-20 packages (gokiln's order by size): ${shared}/20 also in gsa's top 20 by size; by code: ${sharedCode}/20`);
      const onlyG = topG.map((p) => p.name).filter((n) => !topS.includes(n)),
        onlyS = topS.filter((n) => !topG.some((p) => p.name === n));
      if (onlyG.length)
        console.log(
          `   by size, only in gokiln's top 20: ${onlyG.join(', ')}; only in gsa's: ${onlyS.map((n) => `${n} (${gp.get(n).size})`).join(', ')}`,
        );
      console.log(
        '   ' +
          ['#', 'package', 'size gk', 'size gsa', 'diff', 'code gk', 'code gsa', 'diff', 'pcln gk', 'pcln gsa', 'diff', 'gsa rest'].join(
            '\t',
          ),
      );
      topG.forEach((p, i) => {
        const o = gp.get(p.name) ?? { size: 0, code: 0, pcln: 0, rest: 0 };
        const c = gkCode(p);
        for (const [k, a, b] of [
          ['size', p.size, o.size],
          ['code', c, o.code],
          ['pcln', p.pclntab ?? 0, o.pcln],
        ]) {
          if (within(a, b, 0.1)) agree[k][0]++;
          if (within(a, b, 0.25)) agree[k][1]++;
        }
        console.log(
          '   ' +
            [
              i + 1,
              p.name,
              p.size,
              o.size,
              pct(p.size, o.size),
              c,
              o.code,
              pct(c, o.code),
              p.pclntab,
              o.pcln,
              pct(p.pclntab, o.pcln),
              o.rest,
            ].join('\t'),
        );
      });
      console.log(
        `   sizes within 10% / 25%: total ${agree.size[0]}/20 / ${agree.size[1]}/20; code ${agree.code[0]}/20 / ${agree.code[1]}/20; pclntab ${agree.pcln[0]}/20 / ${agree.pcln[1]}/20\n`,
      );
      row.gsa = { S, S2, shared, sharedCode, agree };
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log('summary (medians; gokiln = CLI `size --json`; gsa = `-f json --compact`, with its disassembly pass)');
  for (const r of summary) {
    console.log(`  ${r.name}: other processes' load ${r.otherNote}`);
    const head = `  ${r.name.padEnd(22)} ${String(r.go).padEnd(10)} gokiln ${r.G.ms.toFixed(0)} ms (CPU ${r.G.cpu.toFixed(0)}) ${(r.G.rss / 1024).toFixed(0)} MB (library ${r.L.ms.toFixed(0)} ms ${(r.L.rss / 1024).toFixed(0)} MB)`;
    if (!r.gsa) {
      console.log(`${head}; gsa failed: ${r.gsaErr}`);
      continue;
    }
    const { S, S2, shared, sharedCode, agree } = r.gsa;
    console.log(
      `${head}; gsa ${S.ms.toFixed(0)} ms (CPU ${S.cpu.toFixed(0)}) ${(S.rss / 1024).toFixed(0)} MB (--no-disasm ${S2.ms.toFixed(0)} ms (CPU ${S2.cpu.toFixed(0)}) ${(S2.rss / 1024).toFixed(0)} MB)` +
        `; gsa/gokiln wall ${(S.ms / r.G.ms).toFixed(2)}x (--no-disasm ${(S2.ms / r.G.ms).toFixed(2)}x), CPU ${(S.cpu / r.G.cpu).toFixed(2)}x (--no-disasm ${(S2.cpu / r.G.cpu).toFixed(2)}x), memory ${(S.rss / r.G.rss).toFixed(2)}x (--no-disasm ${(S2.rss / r.G.rss).toFixed(2)}x)` +
        `; top-20 names shared ${shared}/20 (by code ${sharedCode}/20); within 10%/25%: total ${agree.size[0]}/${agree.size[1]}, code ${agree.code[0]}/${agree.code[1]}, pclntab ${agree.pcln[0]}/${agree.pcln[1]}`,
    );
  }
}

main().catch((e) => {
  console.error(`bench/size: ${e.message}`);
  process.exitCode = 1;
});
