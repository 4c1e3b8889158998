/**
 * bench/inspect: gokiln side by side with `go version -m` (and `readelf -d`) on the same files, in one run.
 * Prints ratios, not absolute claims: (1) the library's inspect of buf in-process after start-up vs one
 * whole `go version -m buf` process; (2) the CLI over a directory of 100+ binaries vs `go version -m DIR`;
 * (3) peak RSS of `gokiln inspect buf`. Run: npm run bench:inspect
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { inspectFile } from '../../src/analysis/inspect.js';
import { defaultJobs } from '../../src/analysis/inspect-many.js';
import { fixture, fixturesOfKind } from '../../test/fixtures/index.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeProcess(cmd: string, args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    times.push(performance.now() - t0);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

function peakRssKb(cmd: string, args: string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = r.stderr.trim().split('\n');
  return Number(lines[lines.length - 1]);
}

function binariesDir(): string {
  const dir = join(tmpdir(), 'gokiln-bench-inspect');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = [...fixturesOfKind('go'), ...fixturesOfKind('derived'), ...fixturesOfKind('npm')].map((n) => fixture(n)).filter((p) => statSync(p).isFile());
  let n = 0;
  // Copies are allowed: the point is many real Go binaries, as in a bin/ directory or a CI artefact folder.
  while (n < 120) {
    for (const s of sources) {
      if (n >= 120) break;
      copyFileSync(s, join(dir, `bin${String(n).padStart(3, '0')}-${s.split('/').pop()}`));
      n++;
    }
  }
  return dir;
}

function main(): void {
  const buf = fixture('buf');
  const goVersion = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  console.log(`# bench/inspect  (${goVersion}, node ${process.version})`);

  // (1) in-process library call vs a whole `go version -m` process: the first call (page cache warm, code
  // not yet optimised by the JIT) and the steady state a long-running caller sees
  inspectFile(buf); // page cache
  const first = (() => {
    const t0 = performance.now();
    inspectFile(buf);
    return performance.now() - t0;
  })();
  for (let i = 0; i < 10; i++) inspectFile(buf); // JIT warm-up
  const lib: number[] = [];
  for (let i = 0; i < 31; i++) {
    const t0 = performance.now();
    inspectFile(buf);
    lib.push(performance.now() - t0);
  }
  const libMs = median(lib);
  const goM = timeProcess('go', ['version', '-m', buf], 15);
  const readelfD = timeProcess('readelf', ['-d', '-W', buf], 15);
  console.log(`buf (${(statSync(buf).size / 1e6).toFixed(1)} MB)`);
  console.log(`  library inspectFile(buf), in-process     ${libMs.toFixed(1)} ms  (second call ${first.toFixed(1)} ms)`);
  console.log(`  go version -m buf, whole process         ${goM.toFixed(1)} ms`);
  console.log(`  readelf -d buf, whole process            ${readelfD.toFixed(1)} ms`);
  console.log(`  ratio library / go version -m            ${(libMs / goM).toFixed(2)}  (aim <= 1.00)`);

  // (2) CLI over a directory of binaries
  const dir = binariesDir();
  const files = readdirSync(dir).map((f) => join(dir, f));
  const cores = availableParallelism();
  const cliOne = timeProcess('node', [CLI, 'inspect', '--json', '--jobs', '1', ...files], 5);
  const cliDir = timeProcess('node', [CLI, 'inspect', '--json', '--jobs', String(cores), ...files], 5);
  const goDir = timeProcess('go', ['version', '-m', dir], 5);
  // for context: the same files one process each, as `find -exec go version -m {} \;` or a shell loop runs them
  const goEach = median([0, 1, 2].map(() => {
    const t0 = performance.now();
    for (const f of files) spawnSync('go', ['version', '-m', f], { stdio: 'ignore' });
    return performance.now() - t0;
  }));
  const nodeStart = timeProcess('node', ['-e', '0'], 5);
  console.log(`directory of ${files.length} binaries (${cores} CPUs)`);
  console.log(`  gokiln inspect --json --jobs 1           ${cliOne.toFixed(0)} ms`);
  console.log(`  gokiln inspect --json (--jobs ${cores})          ${cliDir.toFixed(0)} ms`);
  console.log(`  go version -m DIR                        ${goDir.toFixed(0)} ms`);
  console.log(`  go version -m FILE, once per file        ${goEach.toFixed(0)} ms  (context only: the aim is against DIR)`);
  console.log(`  node -e 0 (start-up alone)               ${nodeStart.toFixed(0)} ms`);
  console.log(`  ratio gokiln / go version -m             ${(Math.min(cliOne, cliDir) / goDir).toFixed(2)}  (aim <= 1.50; the faster of the two; the default is --jobs ${defaultJobs()})`);

  // (3) peak memory
  const rssCli = peakRssKb('node', [CLI, 'inspect', '--json', buf]);
  const rssGo = peakRssKb('go', ['version', '-m', buf]);
  console.log(`peak RSS on buf: gokiln ${(rssCli / 1024).toFixed(1)} MB, go version -m ${(rssGo / 1024).toFixed(1)} MB  (aim < 100 MB)`);
  rmSync(dir, { recursive: true, force: true });
}

main();
