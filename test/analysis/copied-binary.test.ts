/**
 * The binary a Dockerfile copies from its context, judged with inspect's reader: a real Go binary gets
 * inspect's verdict; a file of 1 GiB or more is not read at all (a layer-sized blob is no program), and the
 * bound is exclusive. The big file is sparse: truncate() extends a real binary without writing its zeros.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copiedBinaryJudge } from '../../src/analysis/copied-binary.js';
import { inspectFile } from '../../src/analysis/inspect.js';
import { fixture } from '../fixtures/index.js';
import { scratchDir } from '../harness/scratch.js';

test("a copied Go binary gets inspect's verdict; at 1 GiB it is not read", () => {
  const dir = scratchDir('gokiln-copied-');
  copyFileSync(fixture('static'), join(dir, 'app'));
  const judge = copiedBinaryJudge(dir);
  const own = inspectFile(join(dir, 'app'), { runtimes: ['scratch'], pathInImage: '/app' });
  assert.ok(!('error' in own));
  assert.deepEqual(judge('app', 'scratch', '/app'), { arch: own.arch, verdict: own.runtimes[0] });
  // the same program padded to exactly 1 GiB (an ELF ignores bytes after its last section)
  copyFileSync(fixture('static'), join(dir, 'big'));
  truncateSync(join(dir, 'big'), 2 ** 30);
  assert.equal(judge('big', 'scratch', '/app'), undefined);
  // outside the context, or not there: nothing to judge
  assert.equal(judge('../app', 'scratch', '/app'), undefined);
  assert.equal(judge('missing', 'scratch', '/app'), undefined);
});

test('a binary outside the context is never judged, though it is there: docker build cannot COPY it', () => {
  // docker: "forbidden path outside the build context"; the context is ctx/, the real binary beside it
  const dir = scratchDir('gokiln-copied-');
  mkdirSync(join(dir, 'ctx'));
  copyFileSync(fixture('static'), join(dir, 'app'));
  copyFileSync(fixture('static'), join(dir, 'ctx', 'app'));
  const judge = copiedBinaryJudge(join(dir, 'ctx'));
  assert.notEqual(judge('app', 'scratch', '/app'), undefined);
  assert.equal(judge('../app', 'scratch', '/app'), undefined);
  assert.equal(judge(join(dir, 'app'), 'scratch', '/app'), undefined);
  assert.equal(judge('.', 'scratch', '/app'), undefined);
});

test('a file of 64 bytes is not judged: at most an ELF header, which execve refuses (Exec format error)', () => {
  // the static fixture's ELF64 header, with no program or section headers: e_phoff @0x20, e_shoff @0x28,
  // e_phnum @0x38, e_shnum @0x3c, e_shstrndx @0x3e; inspect still calls it a static executable
  const dir = scratchDir('gokiln-copied-');
  const b = Buffer.from(readFileSync(fixture('static')).subarray(0, 64));
  b.writeBigUInt64LE(0n, 0x20);
  b.writeBigUInt64LE(0n, 0x28);
  b.writeUInt16LE(0, 0x38);
  b.writeUInt16LE(0, 0x3c);
  b.writeUInt16LE(0, 0x3e);
  const path = join(dir, 'hdr');
  writeFileSync(path, b);
  chmodSync(path, 0o755);
  const run = spawnSync('bash', ['-c', `"${path}"`], { encoding: 'utf8' });
  assert.equal(run.status, 126, run.stderr);
  assert.match(run.stderr, /Exec format error/);
  const own = inspectFile(path, { runtimes: ['scratch'], pathInImage: '/app' });
  assert.ok(!('error' in own) && own.kind === 'executable', JSON.stringify(own).slice(0, 200));
  assert.equal(copiedBinaryJudge(dir)('hdr', 'scratch', '/app'), undefined);
});
