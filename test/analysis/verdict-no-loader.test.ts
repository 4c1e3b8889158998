/**
 * Issue #20 (a surviving mutant of verdict.ts showed it): a program that needs libraries (DT_NEEDED) but
 * has no PT_INTERP does not run anywhere. The kernel starts it at its entry point with nothing loaded or
 * relocated, and it dies of SIGSEGV (exit 139). The file is the real cgo-glibc fixture with its PT_INTERP
 * header turned into PT_NULL (readelf shows no INTERP, and still the NEEDED libc.so.6); the truth is a run
 * in the Debian 12 root, where the unpatched fixture runs.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { inspectFile } from '../../src/analysis/inspect.js';
import type { InspectOk } from '../../src/analysis/types.js';
import { fixture } from '../fixtures/index.js';
import { ensureRootfs } from '../harness/rootfs.js';
import { scratchDir } from '../harness/scratch.js';
import { runLikeDocker } from './verdict-truth.js';
import { haveTool, runTool } from '../truth/tools.js';

const TODAY = new Date('2026-11-26T00:00:00Z');
const PT_INTERP = 3;

/** A copy of an ELF64 little-endian file with every PT_INTERP program header made PT_NULL. */
function withoutInterp(src: string, out: string): number {
  const b = readFileSync(src);
  // e_phoff @0x20 (u64), e_phnum @0x38 (u16); each program header is 56 bytes, p_type first (u32)
  const phoff = Number(b.readBigUInt64LE(0x20));
  let n = 0;
  for (let i = 0; i < b.readUInt16LE(0x38); i++) {
    if (b.readUInt32LE(phoff + i * 56) !== PT_INTERP) continue;
    b.writeUInt32LE(0, phoff + i * 56);
    n++;
  }
  writeFileSync(out, b);
  chmodSync(out, 0o755);
  return n;
}

test('needs libc.so.6 but names no loader: fails everywhere (not-executable), as the real run dies of SIGSEGV', async (t) => {
  if (!haveTool(t, 'readelf', ['--version']) || !haveTool(t, 'bwrap', ['--version'])) return;
  const bin = join(scratchDir('gk-no-loader-'), 'app');
  assert.equal(withoutInterp(fixture('cgo-glibc'), bin), 1);
  const headers = runTool('readelf', ['-lW', bin]);
  assert.doesNotMatch(headers, /\bINTERP\b/);
  assert.match(runTool('readelf', ['-dW', bin]), /\(NEEDED\)\s+Shared library: \[libc\.so\.6\]/);

  const r = inspectFile(bin, { today: TODAY, runtimes: ['debian:bookworm', 'scratch', 'alpine:3.22'] }) as InspectOk;
  assert.deepEqual([r.kind, r.linking, r.interpreter], ['executable', 'dynamic', null]);
  for (const v of r.runtimes) assert.deepEqual([v.name, v.verdict, v.reason], [v.name, 'fails', 'not-executable']);

  const root = await ensureRootfs('glibc-bookworm');
  const real = runLikeDocker(root, bin, ['ok']);
  assert.ok(real.exitCode === 139 || real.signal === 'SIGSEGV', `exit ${real.exitCode} ${real.signal}: ${real.stderr}`);
  assert.equal(real.stdout, '');
  // the same program with its loader named runs there
  const ok = runLikeDocker(root, fixture('cgo-glibc'), ['ok']);
  assert.deepEqual([ok.exitCode, ok.stdout.trim()], [0, 'ok'], ok.stderr);
});
