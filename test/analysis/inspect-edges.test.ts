/**
 * inspect at the edges the fixtures do not reach by themselves (issue #20, each seen to fail on a mutant
 * `npm run mutate` left alive): a GNU build-id note that is there but empty is an empty ID, as readelf -n
 * shows it, not no note; a thin binary has no `slices` (only a universal Mach-O, which `file` names so).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectFile } from '../../src/analysis/inspect.js';
import { fixture } from '../fixtures/index.js';
import { scratchDir } from '../harness/scratch.js';
import { readelfText } from '../truth/readelf.js';
import { runTool } from '../truth/tools.js';

test('a GNU build-id note with no descriptor bytes: an empty ID, as readelf -n shows it (the Go build ID unchanged)', () => {
  const b = Buffer.from(readFileSync(fixture('cgo-glibc')));
  // ELF64: e_shoff @0x28, e_shnum @0x3c; a 64-byte section header has sh_type @4, sh_offset @24, sh_size @32.
  // The note (SHT_NOTE 7): namesz 4, descsz 20, type NT_GNU_BUILD_ID 3, "GNU\0", 20 bytes of ID.
  const shoff = Number(b.readBigUInt64LE(0x28));
  let patched = 0;
  for (let i = 0; i < b.readUInt16LE(0x3c); i++) {
    const h = shoff + i * 64;
    const off = Number(b.readBigUInt64LE(h + 24));
    if (b.readUInt32LE(h + 4) !== 7 || b.readUInt32LE(off + 8) !== 3 || b.toString('latin1', off + 12, off + 15) !== 'GNU') continue;
    assert.deepEqual([b.readUInt32LE(off), b.readUInt32LE(off + 4)], [4, 20]);
    b.writeUInt32LE(0, off + 4); // descsz 0
    b.writeBigUInt64LE(16n, h + 32); // the section ends after the name
    patched++;
  }
  assert.equal(patched, 1);
  const path = join(scratchDir('gokiln-build-id-'), 'empty-build-id');
  writeFileSync(path, b);
  const notes = readelfText(path, ['-n', '-W']);
  assert.match(notes, /GNU\s+0x00000000\s+NT_GNU_BUILD_ID.*Build ID: *$/m);
  const original = inspectFile(fixture('cgo-glibc'), { runtimes: ['scratch'] });
  const r = inspectFile(path, { runtimes: ['scratch'] });
  assert.ok(!('error' in r) && !('error' in original));
  assert.equal(r.buildId.gnu, '');
  assert.equal(r.buildId.go, original.buildId.go);
  assert.match(original.buildId.gnu ?? '', /^[0-9a-f]{40}$/);
});

test('one image, one answer: no slices for a thin binary; every slice for a universal one, as file(1) says', () => {
  for (const [name, want] of [
    ['static', 0],
    ['darwin-amd64', 0],
    ['darwin-universal', 2],
  ] as const) {
    const words = runTool('file', ['-b', fixture(name)]);
    assert.equal(/universal binary with 2 architectures/.test(words), want === 2, words);
    const r = inspectFile(fixture(name), { runtimes: ['scratch'] });
    assert.ok(!('error' in r));
    assert.equal(r.slices?.length ?? 0, want, name);
    if (want === 0) assert.ok(!('slices' in r), name);
  }
});
