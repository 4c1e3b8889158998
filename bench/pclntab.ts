// bench/pclntab: how long readPclntab takes to decode buf's function table (58k functions, the go1.27
// layout), in-process after a warm-up pass (JIT and page cache). Prints best and median of N runs; the
// target on an idle machine is about 150 ms for the best run. This is a measurement, not a test: the
// test suite only checks that the table decodes (test/formats/go-pclntab.test.ts).
// Run after a build and the fixtures:  node dist/bench/pclntab.js [N]   (default N = 10)
import { performance } from 'node:perf_hooks';
import { parseBinary } from '../src/formats/open.js';
import { readPclntab } from '../src/formats/go/pclntab.js';
import { FileSource } from '../src/io/file-source.js';
import { fixture } from '../test/fixtures/index.js';

const N = Number(process.argv[2] ?? 10);
const images = parseBinary(FileSource.open(fixture('buf')));
if (images.length !== 1) throw new Error(`buf: expected one image, got ${images.length}`);
const img = images[0]!;

const warm = readPclntab(img)?.funcs.length ?? 0; // warm-up: JIT and file cache
if (warm < 50_000) throw new Error(`buf: only ${warm} functions decoded`);

const times: number[] = [];
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  readPclntab(img);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `pclntab of buf: ${warm} functions; best ${times[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms over ${N} runs (target: best about 150 ms on an idle machine)`,
);
