/**
 * Hand-built PE files: PE32 and PE32+ with a long section name from the COFF string table, an
 * uninitialised section, an import directory naming two DLLs, and COFF symbols with short names, long
 * names and auxiliary records; then damaged variants. Expected values are known by construction and
 * cross-checked with objdump, Go's debug/pe (binfacts) and `file`.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BufferSource } from '../../src/formats/source.js';
import { parsePe, type PeDetailsFull } from '../../src/formats/pe/index.js';
import { parseBinary } from '../../src/formats/open.js';
import { binfacts, writeTemp } from './macho-pe-truth.js';
import { haveTool } from '../truth/tools.js';
import { objdumpDllNames, objdumpSections } from '../truth/objdump.js';
import { expectCode } from './expect-code.js';
import { fileBrief } from '../truth/file.js';

const FILE_SIZE = 0xa00;
const SYMTAB = 0x800;
const IDATA_OFF = 0x600;
const IDATA_RVA = 0x3000;

interface TinyPe {
  bytes: Uint8Array;
  imageBase: number;
  view: DataView;
  lfanew: number;
  sectionTable: number;
}

/**
 * Layout: headers 0..0x200, .text raw 0x200, .zdebug_info raw 0x400 (long name `/4`), .idata raw
 * 0x600, .bss (no raw bytes), COFF symbols at 0x800 followed by the string table.
 */
function tinyPe(plus: boolean): TinyPe {
  const b = new Uint8Array(FILE_SIZE);
  const v = new DataView(b.buffer);
  const str = (off: number, s: string) => b.set(Buffer.from(s, 'latin1'), off);
  const imageBase = plus ? 0x140000000 : 0x400000;
  str(0, 'MZ');
  const lfanew = 0x40;
  v.setUint32(0x3c, lfanew, true);
  str(lfanew, 'PE\0\0');
  const coff = lfanew + 4;
  const optSize = plus ? 240 : 224;
  const nsyms = 7; // five symbols, one with an aux record… plus one more aux below
  v.setUint16(coff, plus ? 0x8664 : 0x14c, true);
  v.setUint16(coff + 2, 4, true);
  v.setUint32(coff + 8, SYMTAB, true);
  v.setUint32(coff + 12, nsyms, true);
  v.setUint16(coff + 16, optSize, true);
  v.setUint16(coff + 18, plus ? 0x22 : 0x102, true);
  const o = coff + 20;
  v.setUint16(o, plus ? 0x20b : 0x10b, true);
  v.setUint32(o + 16, 0x1010, true); // AddressOfEntryPoint
  if (plus) v.setBigUint64(o + 24, BigInt(imageBase), true);
  else v.setUint32(o + 28, imageBase, true);
  v.setUint32(o + 32, 0x1000, true); // SectionAlignment
  v.setUint32(o + 36, 0x200, true); // FileAlignment
  v.setUint16(o + 40, 6, true); // OS version
  v.setUint16(o + 48, 6, true); // subsystem version
  v.setUint32(o + 56, 0x5000, true); // SizeOfImage
  v.setUint32(o + 60, 0x200, true); // SizeOfHeaders
  v.setUint16(o + 68, 3, true); // console
  const nd = plus ? 108 : 92;
  v.setUint32(o + nd, 16, true);
  v.setUint32(o + nd + 4 + 8, IDATA_RVA, true); // import directory
  v.setUint32(o + nd + 4 + 12, 60, true);
  const st = o + optSize;
  const sect = (i: number, name: string, vsize: number, va: number, raw: number, ptr: number, chars: number) => {
    const at = st + i * 40;
    str(at, name);
    v.setUint32(at + 8, vsize, true);
    v.setUint32(at + 12, va, true);
    v.setUint32(at + 16, raw, true);
    v.setUint32(at + 20, ptr, true);
    v.setUint32(at + 36, chars, true);
  };
  sect(0, '.text', 0x30, 0x1000, 0x200, 0x200, 0x60000020);
  sect(1, '/4', 0x10, 0x2000, 0x200, 0x400, 0x42000040);
  sect(2, '.idata', 0x100, IDATA_RVA, 0x200, IDATA_OFF, 0xc0000040);
  sect(3, '.bss', 0x100, 0x4000, 0, 0, 0xc0000080);

  // .idata: two descriptors + terminator (60 bytes), then per DLL an import lookup table, a hint/name
  // entry and the DLL name
  const ptr = plus ? 8 : 4;
  const dlls = [
    ['KERNEL32.dll', 'ExitProcess'],
    ['ws2_32.dll', 'WSAStartup'],
  ] as const;
  let at = 64;
  dlls.forEach(([dll, fn], i) => {
    const ilt = at;
    const hint = ilt + 2 * ptr;
    const name = hint + 2 + fn.length + 2;
    if (plus) v.setBigUint64(IDATA_OFF + ilt, BigInt(IDATA_RVA + hint), true);
    else v.setUint32(IDATA_OFF + ilt, IDATA_RVA + hint, true);
    str(IDATA_OFF + hint + 2, fn);
    str(IDATA_OFF + name, dll);
    const d = IDATA_OFF + i * 20;
    v.setUint32(d, IDATA_RVA + ilt, true); // OriginalFirstThunk
    v.setUint32(d + 12, IDATA_RVA + name, true); // Name
    v.setUint32(d + 16, IDATA_RVA + ilt, true); // FirstThunk
    at = name + dll.length + 2;
  });

  // COFF symbols, 18 bytes each; the string table right after them
  const strtab = SYMTAB + nsyms * 18;
  const longSym = 'a_very_long_symbol_name';
  str(strtab + 4, '.zdebug_info\0' + longSym + '\0');
  v.setUint32(strtab, 4 + 13 + longSym.length + 1, true);
  const sym = (i: number, name: string | number, value: number, sec: number, cls: number, aux = 0) => {
    const r = SYMTAB + i * 18;
    if (typeof name === 'number') v.setUint32(r + 4, name, true);
    else str(r, name);
    v.setUint32(r + 8, value, true);
    v.setInt16(r + 12, sec, true);
    b[r + 16] = cls;
    b[r + 17] = aux;
  };
  sym(0, 'main', 0x10, 1, 2);
  sym(1, 4 + 13, 0x20, 1, 2, 1); // long name, one aux record follows
  // record 2 is the aux record: arbitrary bytes that must not be read as a symbol
  b.fill(0x41, SYMTAB + 2 * 18, SYMTAB + 3 * 18);
  sym(3, 'gbss', 0x8, 4, 3);
  sym(4, '__imp_x', 0, 0, 2);
  sym(5, 'absval', 0x1234, -1, 3);
  sym(6, 'eightchr', 0x4, 3, 3); // exactly 8 bytes: no NUL in the field
  return { bytes: b, imageBase, view: v, lfanew, sectionTable: st };
}

describe('hand-built PE', () => {
  for (const plus of [false, true]) {
    test(`${plus ? 'PE32+ amd64' : 'PE32 386'}: headers, sections, imports, symbols by construction and against objdump, debug/pe and file`, (t) => {
      const pe = tinyPe(plus);
      const img = parsePe(new BufferSource(pe.bytes));
      const base = pe.imageBase;
      const d = img.pe as PeDetailsFull;
      assert.equal(img.arch, plus ? 'amd64' : '386');
      assert.equal(img.bits, plus ? 64 : 32);
      assert.equal(d.pe32plus, plus);
      assert.equal(d.imageBase, base);
      assert.equal(d.subsystem, 3);
      assert.equal(img.entry, base + 0x1010);
      assert.deepEqual(d.imports, ['KERNEL32.dll', 'ws2_32.dll']);
      assert.deepEqual(
        img.sections.map((s) => [s.name, s.addr, s.size, s.offset, s.fileSize, s.exec, s.write, s.alloc]),
        [
          ['.text', base + 0x1000, 0x30, 0x200, 0x200, true, false, true],
          ['.zdebug_info', base + 0x2000, 0x10, 0x400, 0x200, false, false, false],
          ['.idata', base + 0x3000, 0x100, 0x600, 0x200, false, true, true],
          ['.bss', base + 0x4000, 0x100, 0, 0, false, true, true],
        ],
      );
      assert.equal(img.hasDwarf, true);
      assert.equal(img.hasSymbols, true);
      assert.deepEqual(img.symbols(), [
        { name: 'main', addr: base + 0x1010, size: 0x10, kind: 'text', section: 0 },
        { name: 'a_very_long_symbol_name', addr: base + 0x1020, size: 0x10, kind: 'text', section: 0 },
        { name: 'gbss', addr: base + 0x4008, size: 0xf8, kind: 'bss', section: 3 },
        { name: '__imp_x', addr: 0, size: 0, kind: 'undef', section: -1 },
        { name: 'absval', addr: 0x1234, size: 0, kind: 'other', section: -1 },
        { name: 'eightchr', addr: base + 0x3004, size: 0xfc, kind: 'data', section: 2 },
      ]);

      if (!haveTool(t, 'objdump') || !haveTool(t, 'file') || !haveTool(t, 'go', ['version'])) return;
      const path = writeTemp(`tiny-${plus ? 'pe32plus' : 'pe32'}.exe`, pe.bytes);
      assert.match(fileBrief(path), plus ? /^PE32\+ executable \(console\) x86-64/ : /^PE32 executable \(console\) Intel 80386/);
      const heads = objdumpSections(path);
      assert.deepEqual(
        heads.map((h) => [h.name, h.vma, /\bALLOC\b/.test(h.flags)]),
        img.sections.map((s) => [s.name, s.addr, s.alloc]),
      );
      const dlls = objdumpDllNames(path);
      assert.deepEqual(dlls, d.imports);
      const bf = binfacts(path).pe!;
      assert.deepEqual(bf.libs, d.imports);
      assert.deepEqual(
        bf.sections.map((s) => s.name),
        img.sections.map((s) => s.name),
      );
      assert.deepEqual(
        bf.symbols.map((s) => s.name),
        img.symbols()!.map((s) => s.name),
      );
    });
  }
});

describe('damaged PE', () => {
  test('an MS-DOS program without a PE header is E_NOT_BINARY', () => {
    const b = tinyPe(true).bytes.slice();
    b.set([0, 0], 0x40);
    expectCode(() => parseBinary(new BufferSource(b)), 'E_NOT_BINARY', /MS-DOS/);
  });

  test('cut inside the headers, the section table or a section: E_TRUNCATED', () => {
    const pe = tinyPe(false);
    expectCode(() => parsePe(new BufferSource(pe.bytes.subarray(0, 40))), 'E_TRUNCATED');
    expectCode(() => parsePe(new BufferSource(pe.bytes.subarray(0, pe.lfanew + 30))), 'E_TRUNCATED');
    expectCode(() => parsePe(new BufferSource(pe.bytes.subarray(0, pe.sectionTable + 100))), 'E_TRUNCATED', /section table/);
    expectCode(() => parsePe(new BufferSource(pe.bytes.subarray(0, 0x500))), 'E_TRUNCATED');
  });

  const patched = (f: (p: TinyPe) => void) => {
    const pe = tinyPe(true);
    f(pe);
    return new BufferSource(pe.bytes);
  };

  test('counts beyond the file: E_TRUNCATED before allocating', () => {
    expectCode(() => parsePe(patched((p) => p.view.setUint32(0x3c, 0x7ffffff0, true))), 'E_TRUNCATED');
    expectCode(() => parsePe(patched((p) => p.view.setUint16(p.lfanew + 6, 0xffff, true))), 'E_TRUNCATED', /section table/);
    expectCode(() => parsePe(patched((p) => p.view.setUint32(p.lfanew + 16, 0x7fffffff, true))), 'E_TRUNCATED', /symbol table/);
    expectCode(() => parsePe(patched((p) => p.view.setUint32(SYMTAB + 7 * 18, 0x7fffffff, true))), 'E_TRUNCATED', /string table/);
    expectCode(() => parsePe(patched((p) => p.view.setUint32(p.sectionTable + 16, 0x10000, true))), 'E_TRUNCATED', /section \.text/);
  });

  test('inconsistent structures: E_CORRUPT', () => {
    expectCode(() => parsePe(patched((p) => p.view.setUint16(p.lfanew + 24, 0x107, true))), 'E_CORRUPT', /magic/);
    expectCode(() => parsePe(patched((p) => p.view.setUint16(p.lfanew + 20, 0, true))), 'E_CORRUPT', /optional header/);
    // import directory at an RVA no section maps
    expectCode(() => parsePe(patched((p) => p.view.setUint32(p.lfanew + 24 + 112 + 8, 0x9000, true))), 'E_CORRUPT', /import directory/);
    // a DLL name RVA outside every section
    expectCode(() => parsePe(patched((p) => p.view.setUint32(IDATA_OFF + 12, 0x9000, true))), 'E_CORRUPT', /DLL name/);
  });

  test('an import directory without its zero record runs to the end of the file: E_TRUNCATED', () => {
    // make every 20-byte record from the directory to the end of the file look like a descriptor
    expectCode(
      () =>
        parsePe(
          patched((p) => {
            p.view.setUint32(p.lfanew + 12, 0, true); // no symbol table: the records may fill the tail
            p.view.setUint32(p.lfanew + 16, 0, true);
            p.bytes.set(Buffer.from('.zdb\0\0\0\0', 'latin1'), p.sectionTable + 40); // a short name: no string table now
            for (let off = IDATA_OFF; off + 20 <= FILE_SIZE; off += 20) {
              p.view.setUint32(off, IDATA_RVA, true);
              p.view.setUint32(off + 12, IDATA_RVA + 100, true);
            }
          }),
        ),
      'E_TRUNCATED',
      /terminating/,
    );
  });
});
