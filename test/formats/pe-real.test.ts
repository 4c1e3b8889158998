/**
 * The PE reader on real Go binaries: hello for windows/amd64 (fixture), windows/386 and windows/arm64
 * (cross-built here; the fixture set has neither), and lefthook's stripped npm release. Compared with
 * Go's debug/pe (test/go-tools/binfacts), `go tool nm -size`, `go version -m`, `file` and `objdump -h`.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fixture } from '../fixtures/index.js';
import { FileSource } from '../../src/io/file-source.js';
import { readSection, type BinaryImage } from '../../src/formats/binary.js';
import { parsePe, type PeDetailsFull } from '../../src/formats/pe/index.js';
import { binfacts, crossBuild, type BfPe } from './macho-pe-truth.js';
import { haveTool, runTool } from '../truth/tools.js';
import { objdumpDllNames, objdumpSections } from '../truth/objdump.js';
import { assertSymbolsMatchGoNm } from './go-nm-compare.js';
import { fileBrief } from '../truth/file.js';

const FILE_ARCH: Record<string, string> = { 'x86-64': 'amd64', 'Intel 80386': '386', Aarch64: 'arm64', 'Intel i386': '386' };

function assertMatchesDebugPe(img: BinaryImage, bf: BfPe): void {
  const p = img.pe as PeDetailsFull;
  assert.equal(img.format, 'pe');
  assert.equal(img.os, 'windows');
  assert.equal(p.machine, bf.machine);
  assert.equal(p.characteristics, bf.characteristics);
  assert.equal(p.pe32plus, bf.pe32plus);
  assert.equal(img.bits, bf.pe32plus ? 64 : 32);
  assert.equal(p.imageBase, bf.imageBase);
  assert.equal(p.subsystem, bf.subsystem);
  assert.equal(img.entry, bf.entryRva ? bf.imageBase + bf.entryRva : 0);
  assert.deepEqual(p.imports, bf.libs);
  assert.equal(img.sections.length, bf.sections.length);
  bf.sections.forEach((t, i) => {
    const s = img.sections[i]!;
    const bss = (t.characteristics & 0xe0) === 0x80;
    assert.deepEqual(
      { name: s.name, addr: s.addr, size: s.size, offset: s.offset, fileSize: s.fileSize, exec: s.exec, write: s.write },
      {
        name: t.name,
        addr: bf.imageBase + t.va,
        size: t.vsize || t.size,
        offset: t.offset,
        fileSize: bss ? 0 : t.size,
        exec: (t.characteristics & 0x20000020) !== 0,
        write: (t.characteristics & 0x80000000) !== 0,
      },
      `section ${i}`,
    );
  });
  assert.equal(
    img.hasDwarf,
    bf.sections.some((s) => s.name === '.debug_info' || s.name === '.zdebug_info'),
  );
  assert.equal(img.hasSymbols, bf.symbols.length > 0);
  const syms = img.symbols();
  if (bf.symbols.length === 0) {
    assert.equal(syms, null);
    return;
  }
  assert.ok(syms);
  assert.equal(syms.length, bf.symbols.length);
  bf.symbols.forEach((t, i) => {
    const s = syms[i]!;
    assert.equal(s.name, t.name, `symbol ${i}`);
    if (t.section > 0) {
      assert.equal(s.addr, bf.imageBase + bf.sections[t.section - 1]!.va + t.value, t.name);
      assert.equal(s.section, t.section - 1, t.name);
    } else {
      assert.equal(s.section, -1, t.name);
    }
  });
}

/**
 * Sizes and kinds against `go tool nm -size`. Go's nm calls everything in .data 'D'; the reader calls
 * Go's runtime.bss … runtime.enoptrbss range bss.
 */
function assertMatchesGoNm(img: BinaryImage, path: string): number {
  const syms = img.symbols()!;
  const at = (n: string) => syms.find((s) => s.name === n)!.addr;
  const [bssStart, bssEnd] = [at('runtime.bss'), at('runtime.enoptrbss')];
  const byKey = new Map(syms.map((s) => [`${s.name}@${s.addr}`, s]));
  return assertSymbolsMatchGoNm(
    img,
    path,
    (name, addr) => byKey.get(`${name}@${addr}`),
    (type, addr) =>
      (
        ({ T: 'text', R: 'rodata', D: addr >= bssStart && addr <= bssEnd ? 'bss' : 'data', B: 'bss' }) as Record<string, string | undefined>
      )[type],
  );
}

/**
 * objdump's Size is min(VirtualSize, SizeOfRawData), and the uncompressed size for .zdebug_*; its
 * ALLOC flag is the reader's alloc.
 */
function assertMatchesObjdump(img: BinaryImage, path: string): void {
  const rows = objdumpSections(path);
  assert.equal(rows.length, img.sections.length);
  rows.forEach((r, i) => {
    const s = img.sections[i]!;
    assert.equal(s.name, r.name);
    assert.equal(s.addr, r.vma, s.name);
    assert.equal(s.offset, r.fileOffset, s.name);
    assert.equal(s.alloc, /\bALLOC\b/.test(r.flags), `${s.name} alloc (${r.flags})`);
    if (!s.name.startsWith('.zdebug')) assert.equal(Math.min(s.size, s.fileSize), r.size, s.name);
  });
}

function assertBuildInfoInData(img: BinaryImage, path: string): void {
  assert.match(runTool('go', ['version', '-m', path]), /\tpath\t/);
  // Go's debug/buildinfo looks in the first initialised read/write data section of a PE file
  const s = img.sections.find((x) => x.write && !x.exec && x.fileSize > 0);
  assert.equal(s?.name, '.data');
  const bytes = Buffer.from(readSection(img, s));
  const at = bytes.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
  assert.ok(at >= 0 && at % 16 === 0, `build info magic at ${at}`);
}

const CASES: { name: string; path: () => string; objdump: boolean }[] = [
  { name: 'windows-amd64', path: () => fixture('windows-amd64'), objdump: true },
  { name: 'lefthook-windows-x64', path: () => fixture('lefthook-windows-x64'), objdump: true },
  { name: 'windows-386 (cross-built)', path: () => crossBuild('windows', '386'), objdump: true },
  // Debian's binutils has no pei-aarch64 target
  { name: 'windows-arm64 (cross-built)', path: () => crossBuild('windows', 'arm64'), objdump: false },
];

for (const c of CASES) {
  describe(`PE ${c.name}`, () => {
    test('matches debug/pe, go tool nm, go version -m, file and objdump', (t) => {
      if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'file') || !haveTool(t, 'objdump')) return;
      const path = c.path();
      const src = FileSource.open(path);
      try {
        const img = parsePe(src);
        const bf = binfacts(path);
        assert.equal(bf.kind, 'pe');
        assertMatchesDebugPe(img, bf.pe!);
        assert.deepEqual(img.pe!.imports, ['kernel32.dll']);
        if (img.hasSymbols) {
          assert.ok(assertMatchesGoNm(img, path) > 1000);
          assert.equal(img.entry, img.symbols()!.find((s) => s.name === `_rt0_${img.arch}_windows`)?.addr);
        }
        assertBuildInfoInData(img, path);
        const f = /^(PE32\+?) executable \(console\) (.+?), for MS Windows/.exec(fileBrief(path));
        assert.ok(f, 'file does not say PE');
        assert.equal(img.arch, FILE_ARCH[f[2]!]);
        assert.equal(img.bits, f[1] === 'PE32+' ? 64 : 32);
        assert.equal(img.fileSize, readFileSync(path).length);
        if (c.objdump) assertMatchesObjdump(img, path);
      } finally {
        src.close();
      }
    });
  });
}

describe('PE imports against objdump -p', () => {
  test('the stripped lefthook lists kernel32.dll in its import tables', (t) => {
    if (!haveTool(t, 'objdump')) return;
    const path = fixture('lefthook-windows-x64');
    const dlls = objdumpDllNames(path);
    const img = parsePe(FileSource.open(path));
    assert.ok(dlls.length > 0);
    assert.deepEqual(img.pe!.imports, dlls);
    assert.equal(img.hasSymbols, false);
    assert.equal(img.symbols(), null);
  });
});
