/**
 * Issue #20, mutant 2: the symbol-version check at its boundary. A binary whose highest GLIBC_ version is
 * exactly the runtime's glibc runs (GLIBC_2.36 on Debian 12); one version more fails. The truth is a real
 * C program calling arc4random (new in glibc 2.36, so it needs GLIBC_2.36, per readelf), run in the
 * glibc 2.36 and 2.31 stand-in roots.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verdictFor, type BinaryFacts } from '../../src/analysis/verdict.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { NO_NEEDS } from '../../src/analysis/needs.js';
import { ensureRootfs } from '../harness/rootfs.js';
import { factsByTools, runLikeDocker } from './verdict-truth.js';
import { haveTool } from '../truth/tools.js';

const TODAY = '2026-11-26';
const base: BinaryFacts = {
  format: 'elf',
  os: 'linux',
  arch: 'amd64',
  kind: 'executable',
  linking: 'dynamic',
  interpreter: '/lib64/ld-linux-x86-64.so.2',
  libc: 'glibc',
  needed: ['libc.so.6'],
  glibcRequired: null,
  versionNeeds: [],
  needs: NO_NEEDS,
  cgo: true,
};
const needing = (file: string, v: string): BinaryFacts => ({
  ...base,
  needed: [...new Set([...base.needed, file])],
  versionNeeds: [{ file, versions: [v, 'GLIBC_2.2.5'] }],
});

test('the highest GLIBC_/GLIBCXX_ version equal to the runtime`s runs; one more fails', () => {
  for (const name of ['debian:bullseye', 'debian:bookworm', 'debian:trixie', 'ubuntu:22.04', 'distroless/cc-debian12']) {
    const rt = findRuntime(name)!;
    for (const p of rt.symbolVersions) {
      const eq = verdictFor(needing(p.soname, `${p.prefix}${p.max}`), rt, { today: TODAY });
      assert.deepEqual([eq.verdict, eq.reason], ['runs', 'ok'], `${name} ${p.prefix}${p.max}`);
      const parts = p.max.split('.');
      parts[parts.length - 1] = String(Number(parts.at(-1)) + 1);
      const over = verdictFor(needing(p.soname, `${p.prefix}${parts.join('.')}`), rt, { today: TODAY });
      assert.equal(over.verdict, 'fails', `${name} ${p.prefix}${parts.join('.')}`);
    }
  }
});

test('a real GLIBC_2.36 program runs on glibc 2.36 and fails on 2.31, as predicted', async (t) => {
  if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf', ['--version']) || !haveTool(t, 'bwrap', ['--version'])) return;
  const dir = mkdtempSync(join(tmpdir(), 'gk-glibc-boundary-'));
  try {
    writeFileSync(
      join(dir, 'r.c'),
      '#include <stdio.h>\n#include <stdlib.h>\nint main(void){unsigned v = arc4random(); printf("ok %d\\n", v != 0 || v == 0); return 0;}\n',
    );
    const bin = join(dir, 'r');
    execFileSync('gcc', ['-o', bin, join(dir, 'r.c')]);
    const facts = factsByTools(bin);
    assert.equal(facts.glibcRequired, '2.36', 'arc4random is GLIBC_2.36');
    for (const [root, rtName, runs] of [
      ['glibc-bookworm', 'debian:bookworm', true],
      ['glibc-bullseye', 'debian:bullseye', false],
    ] as const) {
      const v = verdictFor(facts, findRuntime(rtName)!, { today: TODAY, platform: 'amd64' });
      const real = runLikeDocker(await ensureRootfs(root), bin, []);
      assert.equal(real.exitCode === 0 && real.stdout === 'ok 1\n', runs, `${root}: ${real.stderr}`);
      assert.equal(v.verdict, runs ? 'runs' : 'fails', rtName);
      if (!runs) assert.equal(real.stderr.trimEnd().split('\n')[0], v.message!.split('\n')[0]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
