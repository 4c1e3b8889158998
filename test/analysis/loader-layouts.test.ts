/**
 * Where each runtime keeps its loader and libc, against real runs: a binary that lists the loader itself in
 * DT_NEEDED (gcc's cpp-12 does: `libc.so.6`, `ld-linux-x86-64.so.2`) and C programs whose PT_INTERP uses
 * each spelling of the glibc loader (the ABI path /lib64, the multiarch file, their /usr forms), run in the
 * split-/usr stand-ins (Debian 12 libc6 as packaged, Debian 11, distroless base) and in a merged-/usr copy
 * of the Debian 12 one (/lib → usr/lib, /lib64 → usr/lib64, as debian:bookworm and distroless debian13 are).
 * Facts come from readelf, never from gokiln's readers; each prediction must equal the real outcome.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verdictFor, type BinaryFacts } from '../../src/analysis/verdict.js';
import { type RuntimeInfo } from '../../src/knowledge/runtimes.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { ensureRootfs, type RootfsName } from '../harness/rootfs.js';
import { factsByTools, rootfsSonames, runLikeDocker } from './verdict-truth.js';
import { missingTools } from '../truth/tools.js';

const CI = process.env.CI === 'true';
const TODAY = '2026-11-26';
const LOADER = 'ld-linux-x86-64.so.2';
const INTERPS = [
  '/lib64/ld-linux-x86-64.so.2',
  '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
  '/usr/lib64/ld-linux-x86-64.so.2',
  '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
];

/** Stand-in → catalog runtime; the merged copy is made from glibc-bookworm below. */
const ROOTS: Array<[RootfsName | 'glibc-bookworm-merged', string]> = [
  ['glibc-bookworm', 'debian:bookworm'],
  ['glibc-bookworm-merged', 'debian:bookworm'],
  ['glibc-bullseye', 'debian:bullseye'],
  ['distroless-base-like', 'distroless/base-nossl-debian12'],
  ['musl', 'alpine:3.22'],
  ['scratch', 'scratch'],
];

/** The catalog runtime with what the root really holds: its libraries on disk and whether /usr is merged. */
function standIn(root: string, rt: RuntimeInfo): RuntimeInfo {
  return {
    ...rt,
    libraries: rt.libc.family === 'musl' ? [] : rootfsSonames(root),
    usrMerged: lstatSync(join(root, 'lib'), { throwIfNoEntry: false })?.isSymbolicLink() === true,
  };
}

/** A copy of `root` laid out as merged /usr: lib and lib64 moved under usr/ and linked back. */
function mergedCopy(root: string, into: string): string {
  const m = join(into, 'root');
  cpSync(root, m, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(m, 'usr/lib'), { recursive: true });
  for (const d of ['lib', 'lib64']) {
    if (!existsSync(join(m, d))) continue;
    if (d === 'lib') {
      // usr/lib may already hold files: move lib's entries into it one by one
      for (const e of execFileSync('ls', ['-A', join(m, 'lib')], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)) {
        const dst = join(m, 'usr/lib', e);
        if (existsSync(dst)) cpSync(join(m, 'lib', e), dst, { recursive: true, verbatimSymlinks: true });
        else renameSync(join(m, 'lib', e), dst);
      }
      rmSync(join(m, 'lib'), { recursive: true, force: true });
    } else renameSync(join(m, d), join(m, 'usr', d));
    symlinkSync(`usr/${d}`, join(m, d));
  }
  return m;
}

describe('loader and libc layouts: DT_NEEDED naming the loader, every PT_INTERP spelling', () => {
  let dir = '';
  let ready = false;
  const roots = new Map<string, { root: string; rt: RuntimeInfo }>();
  const bins = new Map<string, string>();

  before(async () => {
    const missing = missingTools(['bwrap', 'readelf', 'gcc', 'go']);
    if (!existsSync('/usr/bin/cpp-12')) missing.push('cpp-12 (gcc-12)');
    if (missing.length) {
      if (CI) throw new Error(`missing tools: ${missing.join(', ')}`);
      return;
    }
    dir = mkdtempSync(join(tmpdir(), 'gk-loader-layouts-'));
    for (const [name, rtName] of ROOTS) {
      const root =
        name === 'glibc-bookworm-merged' ? mergedCopy(await ensureRootfs('glibc-bookworm'), join(dir, 'merged')) : await ensureRootfs(name);
      roots.set(name, { root, rt: standIn(root, findRuntime(rtName)!) });
    }
    writeFileSync(join(dir, 'ok.c'), '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n');
    bins.set('cpp-12', '/usr/bin/cpp-12');
    // the loader linked in as a library, the way gcc's own programs have it
    execFileSync('gcc', ['-o', join(dir, 'needs-loader'), join(dir, 'ok.c'), '-Wl,--no-as-needed', `-l:${LOADER}`]);
    bins.set('needs-loader', join(dir, 'needs-loader'));
    INTERPS.forEach((interp, i) => {
      execFileSync('gcc', ['-o', join(dir, `interp-${i}`), join(dir, 'ok.c'), `-Wl,--dynamic-linker=${interp}`]);
      bins.set(interp, join(dir, `interp-${i}`));
    });
    ready = true;
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the binaries are what the test means: the loader in DT_NEEDED, each interpreter spelling', (t) => {
    if (!ready) return t.skip('tools missing');
    for (const b of ['cpp-12', 'needs-loader'])
      assert.deepEqual(
        factsByTools(bins.get(b)!)
          .needed.filter((n) => n === LOADER || n === 'libc.so.6')
          .sort(),
        ['ld-linux-x86-64.so.2', 'libc.so.6'],
        b,
      );
    for (const interp of INTERPS) assert.equal(factsByTools(bins.get(interp)!).interpreter, interp);
    assert.equal(roots.get('glibc-bookworm')!.rt.usrMerged, false, 'the packaged libc6 tree is split');
    assert.equal(roots.get('glibc-bookworm-merged')!.rt.usrMerged, true);
  });

  test('every prediction equals the real run, in every root (cpp-12 runs on Debian 12 and distroless base)', (t) => {
    if (!ready) return t.skip('tools missing');
    const rows: string[] = [];
    for (const [bin, path] of bins) {
      const facts: BinaryFacts = factsByTools(path);
      for (const [name] of ROOTS) {
        const { root, rt } = roots.get(name)!;
        const v = verdictFor(facts, rt, { today: TODAY, platform: 'amd64' });
        const real = runLikeDocker(root, path, bin === 'cpp-12' ? ['--version'] : []);
        const didRun = real.exitCode === 0 && (bin === 'cpp-12' ? /^app \(Debian /m.test(real.stdout) : real.stdout === 'ok\n');
        rows.push(
          `${bin} in ${name}: predicted ${v.verdict}/${v.reason}, real ${didRun ? 'runs' : `fails: ${real.stderr.trim().split('\n')[0]}`}`,
        );
        assert.equal(v.verdict === 'runs', didRun, rows.at(-1));
        if (!didRun) assert.equal(real.stderr.trimEnd().split('\n')[0], v.message?.split('\n')[0], rows.at(-1));
      }
    }
    t.diagnostic(rows.join('\n'));
    // the issue's case, by the catalog itself (not a stand-in): cpp-12 runs on debian:bookworm
    for (const r of ['debian:bookworm', 'debian:trixie', 'ubuntu:24.04', 'distroless/base-debian12', 'distroless/cc-debian13']) {
      assert.equal(verdictFor(factsByTools('/usr/bin/cpp-12'), findRuntime(r)!, { today: TODAY, platform: 'amd64' }).verdict, 'runs', r);
    }
  });
});
