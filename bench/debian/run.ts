/**
 * bench/debian: the Debian base gokiln assembles for a cgo binary against the distroless debian12 package
 * sets (static + base-nossl / base / cc, from src/knowledge/distroless.ts), all built from the same signed
 * bookworm indexes with the same tree assembly (CA bundle, users, status.d), so only the package choice
 * differs. Sizes: bytes of regular files, and the gzip-compressed tar of the tree (what a layer weighs).
 * A distroless variant "runs" the binary when its files hold every soname the binary needs. Then the
 * resolve time cold (empty cache: indexes and .debs downloaded) and warm (cached).
 * Run: npm run build && node dist/bench/debian/run.js
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { assembleTree, DebianArchive, debianPackagesFor, needsOfFile, type Resolution } from '../../src/image/debian/index.js';
import { IndexUniverse } from '../../src/image/debian/universe.js';
import type { FileEntry } from '../../src/image/source.js';
import { DISTROLESS_STATIC_PACKAGES, distrolessImage } from '../../src/knowledge/distroless.js';
import { fixture } from '../../test/fixtures/index.js';
import { BINARIES, debianTestBinary } from '../../test/image-debian/binaries.js';

async function gzippedTarSize(entries: FileEntry[]): Promise<number> {
  const pack = tar.pack();
  const gz = createGzip({ level: 6 });
  let size = 0;
  gz.on('data', (c: Buffer) => (size += c.length));
  const done = new Promise<void>((r) => gz.on('end', () => r()));
  pack.pipe(gz);
  for (const e of entries) {
    const h = { name: e.path.slice(1), mode: e.mode, uid: e.uid, gid: e.gid, mtime: new Date(0) };
    if (e.type === 'dir') pack.entry({ ...h, type: 'directory' });
    else if (e.type === 'symlink') pack.entry({ ...h, type: 'symlink', linkname: e.linkname ?? '' });
    else if (e.type === 'hardlink') pack.entry({ ...h, type: 'link', linkname: (e.linkname ?? '').slice(1) });
    else pack.entry(h, Buffer.from(e.content ?? new Uint8Array()));
  }
  pack.finalize();
  await done;
  return size;
}

function fileBytes(entries: FileEntry[]): number {
  return entries.reduce((a, e) => a + (e.type === 'file' ? (e.size ?? 0) : 0), 0);
}

/** A distroless variant's packages, exactly (no dependency closure, as distroless installs them). */
async function distrolessResolution(u: IndexUniverse, flavour: string): Promise<Resolution> {
  const names = [...DISTROLESS_STATIC_PACKAGES[12], 'ca-certificates', ...(distrolessImage(flavour, 12)?.packages ?? [])].sort();
  const debs = new Map<string, Awaited<ReturnType<IndexUniverse['load']>>['deb']>();
  const packages = [];
  for (const n of names) {
    const l = await u.load(n);
    debs.set(n, l.deb);
    packages.push({ ...l.info, reasons: [{ kind: 'requested' as const }] });
  }
  return { set: { suite: u.suite, arch: u.arch, glibc: { required: null, provided: null }, packages, omittedDepends: [] }, debs };
}

function runsIn(tree: FileEntry[], needed: string[]): boolean {
  const names = new Set(tree.filter((e) => e.type !== 'dir').map((e) => e.path.slice(e.path.lastIndexOf('/') + 1)));
  return needed.every((s) => names.has(s));
}

const kb = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const binaries: Array<[string, string]> = [
    ['cgo-glibc (os/user)', fixture('cgo-glibc')],
    ['sqlite (amalgamation)', fixture('sqlite')],
    ['png-cgo (libpng)', await debianTestBinary(BINARIES.png)],
    ['sqlite (system libsqlite3)', await debianTestBinary(BINARIES['sqlite-system'])],
  ];
  const archive = await DebianArchive.open({ suite: 'bookworm', arch: 'amd64' });
  const u = new IndexUniverse(archive);
  const variants = ['base-nossl', 'base', 'cc'];
  const distroless = new Map<string, FileEntry[]>();
  for (const v of variants) distroless.set(v, assembleTree(await distrolessResolution(u, v)));
  const dSizes = new Map<string, { files: number; gz: number }>();
  for (const [v, t] of distroless) dSizes.set(v, { files: fileBytes(t), gz: await gzippedTarSize(t) });
  console.log('distroless debian12 package sets from the same bookworm indexes:');
  for (const v of variants)
    console.log(`  ${v.padEnd(11)} files ${kb(dSizes.get(v)!.files).padStart(10)}  tar.gz ${kb(dSizes.get(v)!.gz).padStart(10)}`);
  console.log('');
  for (const [label, bin] of binaries) {
    const needs = needsOfFile(bin);
    const r = await debianPackagesFor([needs], { suite: 'bookworm' });
    const tree = assembleTree(r);
    const ours = { files: fileBytes(tree), gz: await gzippedTarSize(tree) };
    const smallest = variants.find((v) => runsIn(distroless.get(v)!, needs.needed));
    const cmp = smallest
      ? `smallest distroless that runs it: ${smallest} (tar.gz ${kb(dSizes.get(smallest)!.gz)}), ratio ${(ours.gz / dSizes.get(smallest)!.gz).toFixed(2)}`
      : 'no distroless variant runs it (a needed library is missing)';
    console.log(`${label}: ${r.set.packages.map((p) => p.name).join(', ')}`);
    console.log(`  gokiln files ${kb(ours.files)}, tar.gz ${kb(ours.gz)}; ${cmp}`);
  }

  // cold: an empty cache (InRelease, Packages.gz, Contents-amd64.gz and every .deb downloaded and parsed);
  // warm: the same cache again. Each in its own process, so nothing parsed stays in memory between them.
  const cold = mkdtempSync(join(tmpdir(), 'gokiln-bench-debian-'));
  try {
    const bin = binaries[2]![1];
    const time = (): number => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--resolve', bin, cold], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return performance.now() - t0;
    };
    const coldMs = time();
    const warmMs = time();
    console.log(
      `\npng-cgo resolve + fetch + assemble, one process each: cold ${(coldMs / 1000).toFixed(1)} s, warm ${(warmMs / 1000).toFixed(1)} s`,
    );
  } finally {
    rmSync(cold, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--resolve') {
  const r = await debianPackagesFor([process.argv[3]!], { suite: 'bookworm', cacheDir: process.argv[4]! });
  assembleTree(r);
} else {
  await main();
}
