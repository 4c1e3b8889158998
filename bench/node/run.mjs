#!/usr/bin/env node
// Start-up cost of the gokiln CLI on each tested Node line, in one run: `gokiln --version` and
// `gokiln inspect` of one small Go binary, against `node -e 0` on the same line. The CLI's own cost is its
// median minus node's. Each line gets a fresh, empty cache directory (XDG_CACHE_HOME), so the first run
// fills Node's compile cache where the line has one and the timed runs read it, as a user's second run does.
//
//   npm run bench:node [-- --runs 21 --lines 20,24,26 --cli OTHER/dist/bin/gokiln.js]
// Needs the fixtures (`npm run fixtures`) and fetches the other lines' Node binaries (scripts/node-lines.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { nodeFor } from '../../scripts/node-lines.mjs';
import { fixture } from '../../dist/test/fixtures/index.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    lines: { type: 'string', default: '20,24,26' },
    cli: { type: 'string', multiple: true },
  },
});
const runs = Number(values.runs);
const lines = values.lines.split(',');
// --cli OTHER/gokiln.js (repeatable) times other builds of the CLI beside this one, e.g. the last release's bundle
const clis = [fileURLToPath(new URL('../../dist/bin/gokiln.js', import.meta.url)), ...(values.cli ?? [])];
const binary = fixture('static');

/**
 * One run: wall time, and the CPU time (user + system) the process used as bash's `times` reports it for
 * its children. CPU time hardly moves when other work shares the machine; wall time does.
 */
function time(node, args, env) {
  const quoted = [node, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null || exit $?; times`], { env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${node} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  // `times` prints the shell's user/sys, then its children's: "0m0.123s 0m0.045s"
  const children = r.stdout
    .trim()
    .split('\n')
    .pop()
    .match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/);
  const cpu = (Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000;
  return { wall, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = [['node -e 0', ['-e', '0']]];
clis.forEach((cli, i) => {
  const tag = clis.length > 1 ? ` [${i === 0 ? 'this' : `cli ${i}`}]` : '';
  cases.push([`gokiln --version${tag}`, [cli, '--version']], [`gokiln inspect${tag}`, [cli, 'inspect', '--json', binary]]);
});

const rows = [];
for (const line of lines) {
  const node = nodeFor(line);
  const cache = mkdtempSync(join(tmpdir(), 'gokiln-bench-node-'));
  try {
    const env = { ...process.env, XDG_CACHE_HOME: cache, NO_COLOR: '1' };
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    // one untimed run each: fills the compile cache (where there is one) and the OS page cache
    for (const [, args] of cases) time(node, args, env);
    // interleaved, so a burst of load from elsewhere on the machine falls on every case alike
    const samples = cases.map(() => []);
    for (let i = 0; i < runs; i++) cases.forEach(([, args], k) => samples[k].push(time(node, args, env)));
    const wall = samples.map((xs) => median(xs.map((x) => x.wall)));
    const cpu = samples.map((xs) => median(xs.map((x) => x.cpu)));
    cases.forEach(([name], k) => {
      rows.push({
        node: version,
        case: name,
        wall: wall[k],
        cpu: cpu[k],
        ownWall: k ? wall[k] - wall[0] : null,
        ownCpu: k ? cpu[k] - cpu[0] : null,
      });
    });
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

process.stdout.write(`binary: ${binary}\n`);
for (const [i, cli] of clis.entries()) if (clis.length > 1) process.stdout.write(`${i === 0 ? 'this' : `cli ${i}`}: ${cli}\n`);
const w = Math.max(...cases.map(([name]) => name.length));
const cols = ['wall ms', 'CPU ms', 'own wall', 'own CPU'];
process.stdout.write(`medians of ${runs} runs; "own" is the CLI's cost beyond \`node -e 0\` on the same line\n`);
process.stdout.write(`${'node'.padEnd(10)} ${'case'.padEnd(w)} ${cols.map((c) => c.padStart(9)).join(' ')}\n`);
const f = (x) => (x === null ? '' : x.toFixed(1)).padStart(9);
for (const r of rows)
  process.stdout.write(`${r.node.padEnd(10)} ${r.case.padEnd(w)} ${[r.wall, r.cpu, r.ownWall, r.ownCpu].map(f).join(' ')}\n`);
