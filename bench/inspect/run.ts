/**
 * bench/inspect: gokiln side by side with `go version -m` (and `readelf -d`) on the same files, in one run.
 * Prints ratios, not absolute claims: (1) the library's inspect of buf in-process after start-up vs one
 * whole `go version -m buf` process; (2) the CLI over a directory of 100+ binaries vs `go version -m DIR`;
 * (3) peak RSS of `gokiln inspect buf`. Run: npm run bench:inspect
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** Bytes this process read through system calls while `fn` ran (rchar of /proc/self/io; page cache hits count). */
function bytesReadBy(fn: () => void): number {
  const rchar = (): number => Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
  const before = rchar();
  fn();
  return rchar() - before;
}

/** Bytes a process read (successful read/pread64 results), from strace; null without strace. */
function straceBytesRead(cmd: string, args: string[]): number | null {
  if (!existsSync('/usr/bin/strace')) return null;
  // strace's own output file: node's stderr pipe cannot be opened as /dev/stderr
  const log = join(tmpdir(), `gokiln-bench-strace-${process.pid}.txt`);
  try {
    const r = spawnSync('/usr/bin/strace', ['-f', '-qq', '-e', 'trace=read,pread64', '-e', 'signal=none', '-o', log, cmd, ...args], {
      stdio: 'ignore',
    });
    if (r.status !== 0) return null;
    let total = 0;
    for (const m of readFileSync(log, 'utf8').matchAll(/\) += (\d+)$/gm)) total += Number(m[1]);
    return total;
  } finally {
    rmSync(log, { force: true });
  }
}

function binariesDir(): string {
  const dir = join(tmpdir(), 'gokiln-bench-inspect');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = [...fixturesOfKind('go'), ...fixturesOfKind('derived'), ...fixturesOfKind('npm')]
    .map((n) => fixture(n))
    .filter((p) => statSync(p).isFile());
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
  const goEach = median(
    [0, 1, 2].map(() => {
      const t0 = performance.now();
      for (const f of files) spawnSync('go', ['version', '-m', f], { stdio: 'ignore' });
      return performance.now() - t0;
    }),
  );
  const nodeStart = timeProcess('node', ['-e', '0'], 5);
  // The floor under any Node CLI: start-up, loading the bundle and one small file, against go's whole run.
  const smallest = files.reduce((a, b) => (statSync(a).size <= statSync(b).size ? a : b));
  const cliFixed = timeProcess('node', [CLI, 'inspect', '--json', smallest], 5);
  // And the work without any start-up: the library over the same files in this (already warm) process.
  const warmPass = (): number => {
    const t0 = performance.now();
    for (const f of files) inspectFile(f);
    return performance.now() - t0;
  };
  warmPass();
  const libDir = median([warmPass(), warmPass(), warmPass()]);
  const rcharLib = bytesReadBy(() => {
    for (const f of files) inspectFile(f);
  });
  const rcharGo = straceBytesRead('go', ['version', '-m', dir]);
  console.log(`directory of ${files.length} binaries (${cores} CPUs)`);
  console.log(`  gokiln inspect --json --jobs 1           ${cliOne.toFixed(0)} ms`);
  console.log(`  gokiln inspect --json (--jobs ${cores})          ${cliDir.toFixed(0)} ms`);
  console.log(`  go version -m DIR                        ${goDir.toFixed(0)} ms`);
  console.log(`  go version -m FILE, once per file        ${goEach.toFixed(0)} ms  (context only: the aim is against DIR)`);
  console.log(`  node -e 0 (start-up alone)               ${nodeStart.toFixed(0)} ms`);
  console.log(
    `  gokiln inspect --json on 1 small file    ${cliFixed.toFixed(0)} ms  (the CLI's fixed cost: ${(cliFixed / goDir).toFixed(2)}x go's whole DIR run)`,
  );
  console.log(
    `  library over the ${files.length} files, warm, no start-up ${libDir.toFixed(0)} ms  (${(libDir / goDir).toFixed(2)}x go's whole DIR run)`,
  );
  console.log(
    `  bytes read: gokiln ${mb(rcharLib)}, go version -m DIR ${rcharGo === null ? 'n/a (no strace)' : mb(rcharGo)}  (go reads build info only; the needs read every function name)`,
  );
  console.log(
    `  ratio gokiln / go version -m             ${(Math.min(cliOne, cliDir) / goDir).toFixed(2)}  (aim <= 1.50; the faster of the two; the default is --jobs ${defaultJobs()})`,
  );

  // (3) peak memory
  const rssCli = peakRssKb('node', [CLI, 'inspect', '--json', buf]);
  const rssGo = peakRssKb('go', ['version', '-m', buf]);
  console.log(`peak RSS on buf: gokiln ${(rssCli / 1024).toFixed(1)} MB, go version -m ${(rssGo / 1024).toFixed(1)} MB  (aim < 100 MB)`);
  rmSync(dir, { recursive: true, force: true });
}

main();
