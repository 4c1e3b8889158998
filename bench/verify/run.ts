/**
 * Static `gokiln verify` against what a user scripts today to look inside an image (`skopeo copy` to a
 * fresh OCI layout, then `umoci unpack`), on the same images in one run: wall time (median of N) and peak
 * memory (max RSS from /usr/bin/time), each tool as its own process. Images: a few matrix images built
 * from the test root file systems (bullseye: the mmdebstrap root of the matrix), and a ~100 MB one (distroless-base-like + 96 MB of incompressible
 * files in 6 layers + a cgo binary).
 *
 *   npm run bench:verify [-- --runs N] [--cli OTHER/dist/bin/gokiln.js] [--only 100MB]
 * `--cli` times another build's verify beside this one, interleaved (e.g. the build before a change), and
 * prints its median wall time, peak memory and ratio as more columns. Node is the one running this script.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from '../../test/fixtures/index.js';
import { ensureRootfs, type RootfsName } from '../../test/harness/rootfs.js';
import { writeLayout, type Layer } from '../../test/verify/layout.js';
import { ensureDebianRoot, type DebianRootRecipe } from '../../test/fixtures/debian-roots.js';

const CLI = fileURLToPath(new URL('../../bin/gokiln.js', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const cliArg = process.argv.indexOf('--cli');
const OTHER = cliArg > 0 ? process.argv[cliArg + 1] : undefined;
const onlyArg = process.argv.indexOf('--only');
/** --only NAME: time one image of the matrix (they are all still built). */
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;

interface Sample {
  seconds: number;
  maxRssKb: number;
}

/**
 * One process under /usr/bin/time: wall seconds (measured here, to the microsecond: time's own %e has
 * 10 ms steps, a tenth of the smallest image's time) and max RSS.
 */
function timed(cmd: string, args: string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { seconds, maxRssKb: Number(last) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-bench-verify-'));
  try {
    const images: Array<{ name: string; ref: string; path: string }> = [];
    const add = async (name: string, root: RootfsName | DebianRootRecipe, bin: string, more: Layer[] = []): Promise<void> => {
      const path = join(dir, name);
      const base: Layer =
        typeof root === 'string' ? { dir: await ensureRootfs(root) } : { raw: readFileSync(await ensureDebianRoot(root)), gzip: false };
      const ref = await writeLayout(path, {
        layers: [base, ...more, { entries: [{ name: 'app', type: 'file', content: readFileSync(fixture(bin)), mode: 0o755 }] }],
        entrypoint: ['/app'],
        cmd: ['ok'],
      });
      images.push({ name, ref, path });
    };
    await add('static-on-scratch', 'scratch', 'static');
    // the matrix's bullseye root: Debian 11's libc6 as mmdebstrap unpacks it (one uncompressed layer)
    await add('cgo-on-bullseye', { suite: 'bullseye', include: ['libc6'] }, 'cgo-glibc');
    await add('musl-on-alpine-like', 'alpine-like', 'musl-dynamic');
    await add('cgo-on-distroless-base', 'distroless-base-like', 'cgo-glibc');
    const big: Layer[] = [];
    for (let i = 0; i < 6; i++)
      big.push({
        entries: Array.from({ length: 4 }, (_, j) => ({
          name: `data/l${i}/f${j}`,
          type: 'file' as const,
          content: randomBytes(4 * 1024 * 1024),
        })),
      });
    await add('100MB', 'distroless-base-like', 'cgo-glibc', big);
    const du = (p: string): string => spawnSync('du', ['-sh', p], { encoding: 'utf8' }).stdout.split('\t')[0] ?? '?';
    console.log(`gokiln verify (static) vs skopeo copy + umoci unpack, median of ${RUNS} runs\n`);
    // what any Node program pays before its first line: the floor under gokiln's times on this machine
    const start = median(Array.from({ length: RUNS }, () => timed(process.execPath, ['-e', '0']).seconds));
    console.log(`node ${process.version} (node -e 0: ${start.toFixed(3)} s)${OTHER ? `; other build: ${OTHER}` : ''}`);
    console.log(
      `image                     size   verify s  RSS MB | skopeo+umoci s  RSS MB | time ratio${OTHER ? ' | other s RSS MB ratio' : ''}`,
    );
    for (const img of images.filter((i) => ONLY === undefined || i.name === ONLY)) {
      const v: Sample[] = [];
      const b: Sample[] = [];
      const o: Sample[] = [];
      for (let i = 0; i < RUNS; i++) {
        v.push(timed(process.execPath, [CLI, 'verify', img.ref, '--json']));
        if (OTHER) o.push(timed(process.execPath, [OTHER, 'verify', img.ref, '--json']));
        const work = mkdtempSync(join(tmpdir(), 'gokiln-bench-umoci-'));
        try {
          // one process started for the pair, as for gokiln (each start costs ~2 ms here); its peak memory is the
          // larger of the two (time's %M covers the shell's waited-for children)
          b.push(
            timed('sh', [
              '-c',
              'skopeo copy --quiet "$1" "oci:$2" && umoci unpack --image "$2" "$3"',
              'sh',
              img.ref,
              `${join(work, 'layout')}:latest`,
              join(work, 'bundle'),
            ]),
          );
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
      const vs = median(v.map((x) => x.seconds));
      const bs = median(b.map((x) => x.seconds));
      const vm = Math.max(...v.map((x) => x.maxRssKb)) / 1024;
      const bm = Math.max(...b.map((x) => x.maxRssKb)) / 1024;
      const os = OTHER ? median(o.map((x) => x.seconds)) : 0;
      const om = OTHER ? Math.max(...o.map((x) => x.maxRssKb)) / 1024 : 0;
      console.log(
        `${img.name.padEnd(24)} ${du(img.path).padStart(5)}  ${vs.toFixed(3).padStart(8)} ${vm.toFixed(0).padStart(7)} | ${bs.toFixed(3).padStart(14)} ${bm.toFixed(0).padStart(7)} | ${(vs / bs).toFixed(2)}x` +
          (OTHER ? ` | ${os.toFixed(3).padStart(7)} ${om.toFixed(0).padStart(6)} ${(os / bs).toFixed(2)}x` : ''),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
