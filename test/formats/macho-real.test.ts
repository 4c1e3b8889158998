/**
 * The Mach-O reader on real Go binaries (hello cross-built for darwin/amd64 and darwin/arm64, their
 * universal combination, lefthook's npm release for darwin/arm64), compared with Go's debug/macho
 * (test/go-tools/binfacts), `go tool nm -size`, `go version -m` and `file`.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fixture } from '../fixtures/index.js';
import { FileSource } from '../../src/io/file-source.js';
import { BufferSource } from '../../src/formats/source.js';
import { findSection, readSection, type BinaryImage } from '../../src/formats/binary.js';
import { parseMacho, parseFat, SliceSource, type MachoDetailsFull } from '../../src/formats/macho/index.js';
import { parseBinary } from '../../src/formats/open.js';
import { binfacts, type BfMacho } from './macho-pe-truth.js';
import { haveTool, runTool } from '../truth/tools.js';
import { assertSymbolsMatchGoNm } from './go-nm-compare.js';
import { fileBrief } from '../truth/file.js';

const APPLE_TO_GO: Record<string, string> = { x86_64: 'amd64', arm64: 'arm64', i386: '386', ppc: 'ppc', ppc64: 'ppc64' };
const ZEROFILL = new Set([0x1, 0xc, 0x12]);

function versionString(v: number): string {
  const [a, b, c] = [Math.floor(v / 65536), Math.floor(v / 256) % 256, v % 256];
  return c ? `${a}.${b}.${c}` : `${a}.${b}`;
}

/** Every field the reader fills, against what debug/macho read from the same bytes. */
function assertMatchesDebugMacho(img: BinaryImage, bf: BfMacho): void {
  const m = img.macho as MachoDetailsFull;
  assert.equal(img.format, 'macho');
  assert.equal(m.cpuType, bf.cpu);
  assert.equal(m.cpuSubtype, bf.subcpu);
  assert.equal(m.fileType, bf.type);
  assert.deepEqual(m.dylibs, bf.libs);
  assert.deepEqual(m.rpaths, bf.rpaths);
  assert.equal(m.dylinker, bf.dylinker || null);
  assert.equal(m.uuid, bf.uuid || null);
  assert.equal(m.minOs, bf.minos === null ? null : versionString(bf.minos));
  assert.deepEqual(m.dysymtab && [m.dysymtab.nlocalsym, m.dysymtab.nextdefsym, m.dysymtab.nundefsym], bf.dysymtab);
  assert.equal(img.os, bf.platform === 2 || bf.platform === 7 ? 'ios' : 'darwin');

  const mapped = new Set(bf.segments.filter((g) => g.memsz > 0).map((g) => g.name));
  assert.equal(img.sections.length, bf.sections.length);
  bf.sections.forEach((t, i) => {
    const s = img.sections[i]!;
    const zerofill = ZEROFILL.has(t.flags & 0xff);
    assert.deepEqual(
      { name: s.name, segment: s.segment, addr: s.addr, size: s.size, offset: s.offset, fileSize: s.fileSize },
      {
        name: t.name,
        segment: t.seg,
        addr: mapped.has(t.seg) ? t.addr : 0,
        size: t.size,
        offset: t.offset,
        fileSize: zerofill ? 0 : t.size,
      },
      `section ${i}`,
    );
    assert.equal(s.alloc, mapped.has(t.seg) && (t.flags & 0x02000000) === 0, `${t.seg},${t.name} alloc`);
  });
  assert.deepEqual(
    img.segments.map((g) => [g.type, g.vaddr, g.memSize, g.offset, g.fileSize, g.read, g.write, g.exec]),
    bf.segments.map((g) => [g.name, g.addr, g.memsz, g.offset, g.filesz, (g.initprot & 1) > 0, (g.initprot & 2) > 0, (g.initprot & 4) > 0]),
  );
  const text = bf.segments.find((g) => g.name === '__TEXT')!;
  assert.equal(img.entry, bf.entryoff === null ? (bf.threadPc ?? 0) : text.addr + bf.entryoff - text.offset);

  const defined = bf.symbols.filter((s) => (s.type & 0x0e) !== 0);
  assert.equal(img.hasSymbols, defined.length > 0);
  assert.equal(
    img.hasDwarf,
    bf.sections.some((s) => s.seg === '__DWARF' && (s.name === '__debug_info' || s.name === '__zdebug_info')),
  );
  const syms = img.symbols();
  assert.equal(syms === null, !bf.hasSymtab);
  if (!syms) return;
  assert.equal(syms.length, bf.symbols.length);
  bf.symbols.forEach((t, i) => {
    const s = syms[i]!;
    // debug/macho drops the C '_' only from names with a '.', the reader from every name
    assert.ok(s.name === t.name || `_${s.name}` === t.name, `symbol ${i}: ${s.name} vs ${t.name}`);
    if ((t.type & 0x0e) === 0xe) {
      assert.equal(s.addr, t.value, t.name);
      assert.equal(s.section, t.sect - 1, t.name);
    } else if ((t.type & 0x0e) === 0) {
      assert.equal(s.kind, 'undef', t.name);
    }
  });
}

const NM_KIND: Record<string, string> = { T: 'text', t: 'text', R: 'rodata', r: 'rodata', D: 'data', d: 'data', B: 'bss', b: 'bss' };

/**
 * Sizes and kinds against `go tool nm -size`: Go's nm measures to the next symbol wherever it is, the
 * reader stops at the section end, so the two differ only for a section's last symbol.
 */
function assertMatchesGoNm(img: BinaryImage, path: string): number {
  const byKey = new Map<string, { size: number; kind: string; section: number; addr: number }>();
  for (const s of img.symbols() ?? []) if (s.kind !== 'undef') byKey.set(`${s.name}@${s.addr}`, s);
  return assertSymbolsMatchGoNm(
    img,
    path,
    (name, addr) => byKey.get(`${name}@${addr}`) ?? byKey.get(`${name.replace(/^_/, '')}@${addr}`),
    (type) => NM_KIND[type],
  );
}

function assertBuildInfoSection(img: BinaryImage, path: string): void {
  // `go version -m` finds the build info; the reader must expose the section it lives in
  const out = runTool('go', ['version', '-m', path]);
  assert.match(out, /\tpath\t/);
  const s = findSection(img, '__go_buildinfo');
  assert.ok(s, 'no __go_buildinfo section');
  assert.equal(s.segment, '__DATA');
  assert.equal(Buffer.from(readSection(img, s).subarray(0, 14)).toString('latin1'), '\xff Go buildinf:');
}

for (const name of ['darwin-amd64', 'darwin-arm64', 'lefthook-darwin-arm64'] as const) {
  describe(`Mach-O ${name}`, () => {
    test('matches debug/macho, go tool nm, go version -m and file', (t) => {
      if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'file')) return;
      const path = fixture(name);
      const src = FileSource.open(path);
      try {
        const img = parseMacho(src);
        const bf = binfacts(path);
        assert.equal(bf.kind, 'macho');
        assertMatchesDebugMacho(img, bf.macho!);
        if (img.hasSymbols) assert.ok(assertMatchesGoNm(img, path) > 1000);
        assertBuildInfoSection(img, path);
        // Go's entry point is its rt0 stub for the target
        const rt0 = img.symbols()?.find((s) => s.name === `_rt0_${img.arch}_darwin`);
        if (img.hasSymbols) assert.equal(img.entry, rt0?.addr);
        const f = /Mach-O 64-bit (\S+) executable/.exec(fileBrief(path));
        assert.ok(f, 'file does not say Mach-O');
        assert.equal(img.arch, APPLE_TO_GO[f[1]!]);
        assert.equal(img.bits, 64);
        assert.equal(img.endian, 'little');
        assert.equal(img.fileSize, readFileSync(path).length);
        assert.equal(img.macho!.sliceOffset, 0);
      } finally {
        src.close();
      }
    });
  });
}

describe('Mach-O stripped', () => {
  test('lefthook (-s -w) keeps only undefined imports in LC_SYMTAB: hasSymbols false, no DWARF', (t) => {
    if (!haveTool(t, 'go', ['version'])) return;
    const path = fixture('lefthook-darwin-arm64');
    const img = parseMacho(new BufferSource(readFileSync(path)));
    const bf = binfacts(path).macho!;
    assert.ok(bf.symbols.length > 0 && bf.symbols.every((s) => (s.type & 0x0e) === 0), 'fixture is not what this test assumes');
    assert.equal(img.hasSymbols, false);
    assert.equal(img.hasDwarf, false);
    assert.ok(img.symbols()!.every((s) => s.kind === 'undef'));
  });
});

describe('universal Mach-O darwin-universal', () => {
  test('parseFat and parseBinary match debug/macho FatFile, file, and the thin builds', (t) => {
    if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'file')) return;
    const path = fixture('darwin-universal');
    const bytes = readFileSync(path);
    const src = new BufferSource(bytes);
    const bf = binfacts(path);
    assert.equal(bf.kind, 'fat');
    const arches = parseFat(src);
    assert.deepEqual(
      arches.map((a) => [a.cpuType, a.offset, a.size]),
      bf.fat!.map((a) => [a.cpu, a.offset, a.size]),
    );
    const desc = fileBrief(path);
    assert.match(desc, /Mach-O universal binary with 2 architectures/);
    const fileArches = [...desc.matchAll(/\[(?:\\012- )?([a-z0-9_]+)/g)].map((m) => APPLE_TO_GO[m[1]!]);
    assert.deepEqual(
      arches.map((a) => a.arch),
      fileArches,
    );

    const imgs = parseBinary(src);
    assert.equal(imgs.length, 2);
    imgs.forEach((img, i) => {
      const a = bf.fat![i]!;
      assert.ok(img.source instanceof SliceSource);
      assert.equal(img.macho!.sliceOffset, a.offset);
      assert.equal(img.fileSize, a.size);
      assertMatchesDebugMacho(img, a.macho);
      // offsets are relative to the slice: reading through the image equals reading the fat file at offset+x
      const s = findSection(img, '__go_buildinfo')!;
      assert.deepEqual(readSection(img, s), bytes.subarray(a.offset + s.offset, a.offset + s.offset + s.fileSize));
    });
    // the slices are the thin fixtures byte for byte, so their parses agree apart from where they sit
    const thin = [fixture('darwin-amd64'), fixture('darwin-arm64')].map((p) => parseMacho(new BufferSource(readFileSync(p))));
    imgs.forEach((img, i) => {
      assert.deepEqual(img.sections, thin[i]!.sections);
      assert.equal(img.entry, thin[i]!.entry);
      assert.equal(img.arch, thin[i]!.arch);
    });
    assert.deepEqual(
      imgs.map((i) => i.arch),
      ['amd64', 'arm64'],
    );
  });
});
