// bench/lint: lints 1,000 Dockerfiles in one process and prints Dockerfiles per second.
// The 1,000 are the corpus files (test/fixtures-lint/corpus) with varied ARG defaults, stage names and
// padding instructions, so no two texts are equal. Run after a build:  node dist/bench/lint.js [N]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintDockerfile } from '../src/dockerfile/lint.js';
import { loadBuildContext } from '../src/dockerfile/context.js';
import { DockerfileParser } from 'dockerfile-ast';

const N = Number(process.argv[2] ?? 1000);
const root = join(process.cwd(), 'test/fixtures-lint/corpus');
const corpus = readdirSync(root)
  .sort()
  .map((d) => ({ dir: join(root, d), text: readFileSync(join(root, d, 'Dockerfile'), 'utf8') }));

const inputs = Array.from({ length: N }, (_, i) => {
  const c = corpus[i % corpus.length]!;
  const pad = Array.from({ length: i % 7 }, (_, k) => `LABEL bench.n${k}="${i}"`).join('\n');
  return { dir: c.dir, text: `ARG BENCH_ID=${i}\n${c.text}\n${pad}\n` };
});

function run(withContext: boolean): { seconds: number; cpuSeconds: number; findings: number } {
  let findings = 0;
  const contexts = new Map(corpus.map((c) => [c.dir, loadBuildContext(c.dir).context]));
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (const [i, inp] of inputs.entries()) {
    const context = withContext ? loadBuildContext(inp.dir).context : contexts.get(inp.dir)!;
    findings += lintDockerfile(inp.text, { file: `bench/${i}/Dockerfile`, context, today: '2026-11-26' }).length;
  }
  const c = process.cpuUsage(c0);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6, findings };
}

/** dockerfile-ast parsing alone, every instruction's arguments read once: the floor any linter built on it pays. */
function parseOnly(): { seconds: number; cpuSeconds: number } {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let n = 0;
  for (const inp of inputs) for (const ins of DockerfileParser.parse(inp.text).getInstructions()) n += ins.getArguments().length;
  const c = process.cpuUsage(c0);
  if (n < 0) console.log(n);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6 };
}

parseOnly();
run(false); // warm up the JIT and module caches
// three rounds, alternating modes; the median of each is printed (the machine is shared, so single runs vary)
const rounds: { a: ReturnType<typeof run>; b: ReturnType<typeof run>; p: ReturnType<typeof parseOnly> }[] = [];
for (let r = 0; r < 3; r++) rounds.push({ a: run(false), b: run(true), p: parseOnly() });
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const a = {
  seconds: median(rounds.map((r) => r.a.seconds)),
  cpuSeconds: median(rounds.map((r) => r.a.cpuSeconds)),
  findings: rounds[0]!.a.findings,
};
const b = { seconds: median(rounds.map((r) => r.b.seconds)), cpuSeconds: median(rounds.map((r) => r.b.cpuSeconds)) };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`gokiln lint bench: ${N} Dockerfiles (${corpus.length} corpus shapes), node ${process.version}, median of 3`);
// wall clock is what a user sees; CPU time says what the linter costs when other work shares the cores
console.log(
  `  lint (context read once per directory): ${fmt(N / a.seconds)} Dockerfiles/s wall (${a.seconds.toFixed(3)} s), ${fmt(N / a.cpuSeconds)} per CPU-second; ${a.findings} findings`,
);
console.log(
  `  lint + read go.mod and Go sources each time: ${fmt(N / b.seconds)} Dockerfiles/s wall (${b.seconds.toFixed(3)} s), ${fmt(N / b.cpuSeconds)} per CPU-second`,
);
const p = { seconds: median(rounds.map((r) => r.p.seconds)), cpuSeconds: median(rounds.map((r) => r.p.cpuSeconds)) };
console.log(
  `  dockerfile-ast parsing alone: ${fmt(N / p.seconds)} Dockerfiles/s wall (${p.seconds.toFixed(3)} s), ${fmt(N / p.cpuSeconds)} per CPU-second`,
);
