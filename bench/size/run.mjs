#!/usr/bin/env node
// gokiln size vs go-size-analyzer (gsa) on the same binaries, in one run: wall time and peak memory
// (median of repeated runs, each tool as its own process), and the agreement of the top-20 packages.
//
//   npm run build && node bench/size/run.mjs [--runs N] [--dist DIR]
//
// gsa is installed with `go install github.com/Zxilly/go-size-analyzer/cmd/gsa@latest` into
// ~/.cache/gokiln/bench-bin (never into the repo). When that fails (a module proxy that does not serve
// the module), set GSA=/path/to/gsa, or leave a gsa binary in that directory. gsa runs with `-f json -o
// FILE` only: no --web, no --open, so it neither starts a server nor opens a browser.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const DIST = resolve(opt('--dist', process.env.GOKILN_DIST ?? 'dist'));
const CLI = join(DIST, 'src/cli/main.js');
const BIN_DIR = join(homedir(), '.cache/gokiln/bench-bin');
const TARGETS = (opt('--targets', 'buf,lefthook-linux-x64,static,esbuild-go120')).split(',');

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
    const why = String(e.stderr ?? e.message).trim().split('\n').slice(-2).join(' ');
    if (existsSync(join(BIN_DIR, 'gsa'))) return { path: join(BIN_DIR, 'gsa'), how: `cached binary (go install failed: ${why})` };
    throw new Error(`cannot install gsa: ${why}\nset GSA=/path/to/gsa`);
  }
}

/** Runs a command, returning wall ms, peak RSS in KiB (from /usr/bin/time -v) and exit code. */
function measure(cmd, argv) {
  return new Promise((res) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', cmd, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
      const exit = Number(/Exit status: (\d+)/.exec(err)?.[1] ?? code);
      res({ ms, rss, exit, err: err.split('\n').filter((l) => !/^\t/.test(l) && l.trim()).slice(0, 3).join(' ') });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** gsa nests packages and sizes include sub-packages; a package's own size is its size less its children's. */
function gsaPackages(json) {
  const out = new Map();
  const walk = (pkgs) => {
    for (const p of Object.values(pkgs ?? {})) {
      const kids = Object.values(p.subPackages ?? {});
      out.set(p.name, (out.get(p.name) ?? 0) + p.size - kids.reduce((t, k) => t + k.size, 0));
      walk(p.subPackages);
    }
  };
  walk(json.packages);
  return out;
}

function fmt(n) {
  return n >= 1048576 ? `${(n / 1048576).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

async function main() {
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install -y time');
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build (or pass --dist)`);
  const { fixture } = await import(pathToFileURL(join(DIST, 'test/fixtures/index.js')).href);
  const gsa = installGsa();
  const gsaVersion = execFileSync(gsa.path, ['--version'], { encoding: 'utf8' }).replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ').trim();
  console.log(`gsa: ${gsa.path} (${gsa.how})\n     ${gsaVersion}`);
  console.log(`gokiln: ${CLI}; ${RUNS} runs each, medians\n`);
  const work = mkdtempSync(join(tmpdir(), 'gk-bench-size-'));
  const summary = [];
  try {
    for (const name of TARGETS) {
      let file;
      try {
        file = fixture(name);
      } catch (e) {
        console.log(`${name}: not built (${e.message.split('\n')[0]})\n`);
        continue;
      }
      const gkOut = join(work, `${name}.gokiln.json`);
      const gsaOut = join(work, `${name}.gsa.json`);
      const g = [], s = [], lib = [];
      for (let i = 0; i < RUNS; i++) {
        // alternate the tools so neither always runs on a warm page cache
        g.push(await measure('/bin/sh', ['-c', `exec "${process.execPath}" "${CLI}" size --json "${file}" > "${gkOut}"`]));
        // the same work through the library alone: the CLI also loads every other command at start-up
        lib.push(await measure(process.execPath, ['--input-type=module', '-e', `import { sizeFile } from ${JSON.stringify(pathToFileURL(join(DIST, 'src/analysis/size/analyze.js')).href)}; sizeFile(${JSON.stringify(file)});`]));
        rmSync(gsaOut, { force: true });
        s.push(await measure(gsa.path, ['-f', 'json', '--indent', '0', '-o', gsaOut, file]));
      }
      const gk = JSON.parse(readFileSync(gkOut, 'utf8'));
      const gsaOk = s.every((r) => r.exit === 0) && existsSync(gsaOut) && readFileSync(gsaOut).length > 0;
      const gm = median(g.map((r) => r.ms)), gr = median(g.map((r) => r.rss));
      const sm = median(s.map((r) => r.ms)), sr = median(s.map((r) => r.rss));
      console.log(`== ${name}: ${fmt(gk.fileSize)}, ${gk.goVersion ?? 'Go version unknown'}, ${gk.symbols ? 'symbols' : 'stripped'}`);
      const lm = median(lib.map((r) => r.ms)), lr = median(lib.map((r) => r.rss));
      console.log(`   gokiln  ${gm.toFixed(0).padStart(6)} ms  ${(gr / 1024).toFixed(0).padStart(4)} MB peak RSS  (CLI, size --json; unattributed ${fmt(gk.unattributed)}, ${gk.packages.length} packages)`);
      console.log(`   gokiln  ${lm.toFixed(0).padStart(6)} ms  ${(lr / 1024).toFixed(0).padStart(4)} MB peak RSS  (library: node + sizeFile only)`);
      if (!gsaOk) {
        console.log(`   gsa     failed (exit ${s[0].exit}): ${s[0].err}\n`);
        summary.push({ name, gm, gr, lm, lr, gsa: null });
        continue;
      }
      console.log(`   gsa     ${sm.toFixed(0).padStart(6)} ms  ${(sr / 1024).toFixed(0).padStart(4)} MB peak RSS`);
      console.log(`   ratio   gsa/gokiln CLI: time ${(sm / gm).toFixed(2)}x, memory ${(sr / gr).toFixed(2)}x; gsa/gokiln library: time ${(sm / lm).toFixed(2)}x, memory ${(sr / lr).toFixed(2)}x`);
      const gp = gsaPackages(JSON.parse(readFileSync(gsaOut, 'utf8')));
      const topG = gk.packages.filter((p) => !p.name.startsWith('<')).slice(0, 20);
      const topS = [...gp].filter(([n]) => n).sort((a, b) => b[1] - a[1]).slice(0, 20).map(([n]) => n);
      const shared = topG.filter((p) => topS.includes(p.name)).length;
      const within = (a, b, f) => b > 0 && Math.abs(a - b) <= b * f;
      let w10 = 0, w25 = 0;
      console.log(`   top-20 packages: ${shared}/20 in both lists`);
      console.log('   ' + ['#', 'package', 'gokiln', 'gsa', 'gokiln/gsa'].join('\t'));
      topG.forEach((p, i) => {
        const o = gp.get(p.name) ?? 0;
        if (within(p.size, o, 0.1)) w10++;
        if (within(p.size, o, 0.25)) w25++;
        console.log(`   ${i + 1}\t${p.name}\t${p.size}\t${o}\t${o ? (p.size / o).toFixed(3) : '-'}`);
      });
      console.log(`   sizes within 10%: ${w10}/20, within 25%: ${w25}/20\n`);
      summary.push({ name, gm, gr, lm, lr, gsa: { sm, sr, shared, w10, w25 } });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log('summary');
  for (const r of summary) {
    console.log(
      `  ${r.name.padEnd(20)} gokiln CLI ${r.gm.toFixed(0)} ms ${(r.gr / 1024).toFixed(0)} MB, library ${r.lm.toFixed(0)} ms ${(r.lr / 1024).toFixed(0)} MB` +
        (r.gsa
          ? `; gsa ${r.gsa.sm.toFixed(0)} ms ${(r.gsa.sr / 1024).toFixed(0)} MB; gsa/gokiln time ${(r.gsa.sm / r.gm).toFixed(2)}x (library ${(r.gsa.sm / r.lm).toFixed(2)}x), memory ${(r.gsa.sr / r.gr).toFixed(2)}x (library ${(r.gsa.sr / r.lr).toFixed(2)}x); top-20 shared ${r.gsa.shared}/20, sizes within 10% ${r.gsa.w10}/20, within 25% ${r.gsa.w25}/20`
          : '; gsa failed on it'),
    );
  }
}

main().catch((e) => {
  console.error(`bench/size: ${e.message}`);
  process.exitCode = 1;
});
