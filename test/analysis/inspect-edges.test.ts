/**
 * inspect at the edges the fixtures do not reach by themselves (issue #20, each seen to fail on a mutant
 * `npm run mutate` left alive): a GNU build-id note that is there but empty is an empty ID, as readelf -n
 * shows it, not no note (the Go build-id note too); a thin binary has no `slices` (only a universal Mach-O,
 * which `file` names so); Go support ends on the day minor+2 is released; without build info, cgo is read
 * from runtime/cgo being linked; an ET_DYN file with an interpreter is a program even without DF_1_PIE.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
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

test('a Go build-id note with no descriptor bytes: an empty Go build ID, as readelf -n shows it', () => {
  const b = Buffer.from(readFileSync(fixture('static')));
  // the note (SHT_NOTE 7): namesz 4, descsz, type 4, "Go\0\0", the ID
  const shoff = Number(b.readBigUInt64LE(0x28));
  let patched = 0;
  for (let i = 0; i < b.readUInt16LE(0x3c); i++) {
    const h = shoff + i * 64;
    const off = Number(b.readBigUInt64LE(h + 24));
    if (b.readUInt32LE(h + 4) !== 7 || b.readUInt32LE(off + 8) !== 4 || b.toString('latin1', off + 12, off + 14) !== 'Go') continue;
    b.writeUInt32LE(0, off + 4);
    b.writeBigUInt64LE(16n, h + 32);
    patched++;
  }
  assert.equal(patched, 1);
  const path = join(scratchDir('gokiln-build-id-'), 'empty-go-build-id');
  writeFileSync(path, b);
  assert.match(readelfText(path, ['-n', '-W']), /Go\s+0x00000000\s+GO BUILDID/);
  const r = inspectFile(path, { runtimes: ['scratch'] });
  assert.ok(!('error' in r));
  assert.equal(r.buildId.go, '');
});

test('Go 1.15 is out of support from the day Go 1.17 was released (2021-08-16, go.dev/doc/devel/release), not the day after', () => {
  const go115 = fixture('esbuild-go115');
  assert.match(runTool('go', ['version', go115]), /: go1\.15\.\d+$/m);
  const notes = (day: string) => {
    const r = inspectFile(go115, { runtimes: ['scratch'], today: new Date(`${day}T00:00:00Z`) });
    assert.ok(!('error' in r));
    return r.notes.map((n) => n.code);
  };
  assert.ok(!notes('2021-08-15').includes('go-unsupported'));
  assert.ok(notes('2021-08-16').includes('go-unsupported'));
});

test('without build info, cgo is read from runtime/cgo being linked (go tool nm), not taken as off', () => {
  const path0 = fixture('cgo-glibc');
  assert.ok(runTool('go', ['tool', 'nm', path0]).includes(' runtime/cgo.'), 'links runtime/cgo');
  const b = Buffer.from(readFileSync(path0));
  // damaged build info: a control byte where its Go version starts ("\xff Go buildinf:", 32 bytes, a varint)
  const at = b.indexOf('\xff Go buildinf:', 0, 'latin1');
  assert.equal(b.toString('latin1', at + 33, at + 35), 'go');
  b[at + 33] = 0x01;
  const path = join(scratchDir('gokiln-cgo-'), 'no-build-info');
  writeFileSync(path, b);
  const r = inspectFile(path, { runtimes: ['scratch'] });
  assert.ok(!('error' in r) && r.go);
  assert.deepEqual(r.go.settings, {});
  assert.equal(r.go.cgo, true);
});

test('an ET_DYN file with an interpreter but no DF_1_PIE flag (older linkers) is an executable: the kernel runs it', () => {
  const b = Buffer.from(readFileSync(fixture('pie')));
  // the SHT_DYNAMIC (6) section's 16-byte entries: DT_FLAGS_1 (0x6ffffffb) loses DF_1_PIE (0x08000000)
  const shoff = Number(b.readBigUInt64LE(0x28));
  let patched = 0;
  for (let i = 0; i < b.readUInt16LE(0x3c); i++) {
    const h = shoff + i * 64;
    if (b.readUInt32LE(h + 4) !== 6) continue;
    const off = Number(b.readBigUInt64LE(h + 24));
    for (let e = off; e < off + Number(b.readBigUInt64LE(h + 32)); e += 16) {
      if (b.readBigInt64LE(e) !== 0x6ffffffbn) continue;
      const v = b.readBigUInt64LE(e + 8);
      assert.ok(v & 0x08000000n, 'the fixture is flagged PIE');
      b.writeBigUInt64LE(v & ~0x08000000n, e + 8);
      patched++;
    }
  }
  assert.equal(patched, 1);
  const path = join(scratchDir('gokiln-pie-'), 'pie-no-flag');
  writeFileSync(path, b);
  chmodSync(path, 0o755);
  assert.match(readelfText(path, ['-d', '-W']), /\(FLAGS_1\)\s+Flags: None/);
  const run = spawnSync(path, ['ok'], { encoding: 'utf8', timeout: 30_000 });
  assert.deepEqual([run.status, run.stdout.trim()], [0, 'ok'], run.stderr);
  const r = inspectFile(path, { runtimes: ['scratch'] });
  assert.ok(!('error' in r));
  assert.equal(r.kind, 'executable');
});
