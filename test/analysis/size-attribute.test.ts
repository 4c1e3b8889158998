/**
 * Attribution on small hand-built images, where the right answer is known byte by byte.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { attributeSize } from '../../src/analysis/size/attribute.js';
import { dataSymbolOwner, ModuleIndex, isStdPackage } from '../../src/analysis/size/modules.js';
import { diffSize } from '../../src/analysis/size/diff.js';
import type { BinaryImage, SymbolEntry } from '../../src/formats/binary.js';
import type { GoPclntab } from '../../src/formats/go/types.js';
import { attributeOf, bi, FILE, funcSizes, image, pcln, pkgOf, sec, sections } from './size-toy.js';

describe('attributeSize on a hand-built image', () => {
  const symbols: SymbolEntry[] = [
    { name: 'runtime.pclntab', addr: 0x3000, size: 0x200, kind: 'rodata', section: 2 }, // must not take the table
    { name: 'main.table', addr: 0x2000, size: 0x80, kind: 'rodata', section: 1 },
    { name: 'main.inner', addr: 0x2010, size: 0x10, kind: 'rodata', section: 1 }, // inside main.table: no double count
    { name: 'github.com/a/b/c.tab', addr: 0x2080, size: 0x400, kind: 'rodata', section: 1 }, // runs past the section: clipped
    { name: 'runtime.mheap_', addr: 0x4000, size: 0x500, kind: 'bss', section: 3 }, // no file bytes
    { name: 'x_cgo_thing', addr: 0x1000, size: 0x10, kind: 'text', section: 0 }, // C code before the first Go function
  ];
  const { report, detail } = attributeSize({
    file: 'toy',
    img: image(sections, FILE, symbols),
    pcln,
    funcSizes,
    buildInfo: bi,
    goVersion: 'go1.26.0',
    packageOf: pkgOf,
    notes: [],
  });
  const by = new Map(report.packages.map((p) => [p.name, p]));

  test('identity: package rows plus unattributed equal the file size exactly', () => {
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, report.fileSize);
    assert.equal(report.fileSize, FILE);
  });

  test('code from entry to next entry, split into own length and padding', () => {
    assert.deepEqual([by.get('main')!.text, by.get('main')!.padding], [0xe0 + 0x80, 0x10]);
    assert.deepEqual([by.get('github.com/a/b/c')!.text, by.get('github.com/a/b/c')!.padding], [0xf0, 0x10]);
    assert.equal(by.get('runtime')!.text, 0x80);
  });

  test('pclntab bytes per function, and no symbol takes them', () => {
    assert.equal(by.get('main')!.pclntab, 0x60);
    assert.equal(by.get('runtime')!.pclntab, 0x10);
    assert.equal(by.get('runtime')!.data, 0);
  });

  test('the symbol naming the pclntab is not listed as runtime data: its bytes are the functions` table bytes', () => {
    const names = (detail.symbols.get('runtime') ?? []).map((x) => x.name);
    assert.deepEqual(names, ['runtime.main']);
    assert.deepEqual(
      (detail.symbols.get('main') ?? []).map((x) => [x.name, x.kind]),
      [
        ['main.main', 'code'],
        ['main.helper', 'code'],
        ['main.table', 'data'],
        ['main.inner', 'data'],
      ],
    );
  });

  test('data symbols: nested ranges counted once, clipped to their section', () => {
    assert.equal(by.get('main')!.data, 0x80);
    assert.equal(by.get('github.com/a/b/c')!.data, 0x200 - 0x80);
    assert.equal(by.get('<cgo>')!.text, 0x10);
  });

  test('unattributed by section, with bytes outside sections on their own row', () => {
    const u = new Map(report.unattributedBreakdown.map((x) => [x.section, x.size]));
    assert.equal(u.get('.gopclntab'), 0x200 - 0xa0);
    assert.equal(u.get('.symtab'), 0x100);
    assert.equal(u.get('.rodata'), undefined);
    assert.equal(u.get('(outside sections: headers, padding, tables)'), 0x100 + 0x10);
    assert.equal(u.get('.text'), undefined); // the C symbol fills the gap before the first Go function
  });

  test('modules by longest prefix; std and main named as such', () => {
    assert.equal(by.get('github.com/a/b/c')!.module, 'github.com/a/b/c');
    assert.equal(by.get('main')!.module, 'example.com/app');
    assert.equal(by.get('runtime')!.module, 'std');
    const mods = new Map(report.modules.map((m) => [m.path, m]));
    assert.equal(mods.get('github.com/a/b/c')!.version, 'v2.0.0');
    assert.equal(
      report.modules.reduce((t, m) => t + m.size, 0),
      report.packages.reduce((t, p) => t + p.size, 0),
    );
  });

  test('bss is listed with memory size and no file bytes', () => {
    const b = report.sections.find((s) => s.name === '.bss')!;
    assert.deepEqual([b.fileSize, b.memSize, b.bss], [0, 0x500, true]);
    // only .bss: the loaded sections with file bytes are not, nor is the symbol table (not loaded)
    assert.deepEqual(
      report.sections.filter((s) => s.bss).map((s) => s.name),
      ['.bss'],
    );
  });
});

describe('attributeSize edge cases', () => {
  test('stripped: code and pclntab still attributed, a note says data is not', () => {
    const notes: never[] = [];
    const { report } = attributeSize({
      file: 't',
      img: image(sections, FILE, null),
      pcln,
      funcSizes,
      buildInfo: bi,
      goVersion: null,
      packageOf: pkgOf,
      notes,
    });
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, FILE);
    assert.equal(report.packages.find((p) => p.name === 'main')!.text, 0x160);
    assert.ok(report.notes.some((n) => n.code === 'no-symbols'));
  });

  test('not Go: no packages, everything unattributed by section', () => {
    const { report } = attributeSize({
      file: 't',
      img: image(sections, FILE, null),
      pcln: null,
      funcSizes: null,
      buildInfo: null,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    });
    assert.equal(report.packages.length, 0);
    assert.equal(report.unattributed, FILE);
  });

  test('overlapping and out-of-file sections are clipped so nothing is counted twice', () => {
    const odd = [sec('.a', 0x1000, 0x100, 0x300, { exec: true }), sec('.b', 0x5000, 0x200, 0x300), sec('.c', 0x9000, 0x800, 0x1000)];
    const { report } = attributeSize({
      file: 't',
      img: image(odd, FILE, null),
      pcln: null,
      funcSizes: null,
      buildInfo: null,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    });
    assert.equal(report.unattributed, FILE);
    assert.equal(
      report.unattributedBreakdown.reduce((t, u) => t + u.size, 0),
      FILE,
    );
  });

  test('a file cut short: a function that starts where the file ends is counted, but has no bytes and is not listed', () => {
    // the file ends at 0x300, .text's file offset 0x100 + 0x200: main.late (0x1200) starts exactly there
    const funcs = [
      { name: 'main.main', entry: 0x1010, end: 0x1100, tableBytes: 0 },
      { name: 'main.helper', entry: 0x1100, end: 0x1200, tableBytes: 0 },
      { name: 'main.late', entry: 0x1200, end: 0x1280, tableBytes: 0 },
    ];
    const { report, detail } = attributeSize({
      file: 't',
      img: image(sections, 0x300, null),
      pcln: { ...pcln, funcs },
      funcSizes: null,
      buildInfo: bi,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    });
    const main = report.packages.find((p) => p.name === 'main')!;
    assert.deepEqual([main.functions, main.text, main.padding], [3, 0x1f0, 0]);
    assert.deepEqual(
      detail.symbols.get('main')!.map((x) => [x.name, x.size]),
      [
        ['main.helper', 0x100],
        ['main.main', 0xf0],
      ],
    );
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, 0x300);
  });

  test('empty sections at the address of .text (after it in the table) do not hide it from the functions', () => {
    // a linker may leave several zero-length sections (.init_array, .fini_array, .plt …) at one address;
    // they hold no bytes, so a function's address still belongs to the section that has them
    const empties = ['.e1', '.e2', '.e3', '.e4', '.e5'].map((n) => sec(n, 0x1000, 0x100, 0, { exec: true }));
    const withEmpties = [sections[0]!, ...empties, ...sections.slice(1)];
    const { report } = attributeOf(image(withEmpties, FILE, null));
    const main = report.packages.find((p) => p.name === 'main')!;
    assert.deepEqual([main.text, main.padding], [0xe0 + 0x80, 0x10]);
    assert.equal(report.sections.find((s) => s.name === '.text')!.attributed, 0x1300 - 0x1010); // first entry to last end
  });

  test('a sized symbol in a section that is not loaded (.symtab) takes none of its bytes', () => {
    // the address of a non-loaded section means nothing at run time: 0x10 is no program byte
    const syms: SymbolEntry[] = [{ name: 'main.odd', addr: 0x10, size: 0x20, kind: 'data', section: 4 }];
    const { report } = attributeOf(image(sections, FILE, syms));
    assert.equal(report.packages.find((p) => p.name === 'main')!.data, 0);
    assert.equal(report.sections.find((s) => s.name === '.symtab')!.attributed, 0);
  });

  test('Mach-O: bytes outside sections are named by the segment holding them; all of them here, so no catch-all row', () => {
    // mach-o/loader.h: __TEXT maps the file from offset 0, so the header and load commands are its bytes;
    // __LINKEDIT holds the tables after the last section
    const macho: BinaryImage = {
      ...image(sections, FILE, null),
      format: 'macho',
      segments: [
        { type: '__TEXT', offset: 0, vaddr: 0, fileSize: 0x800, memSize: 0x800, read: true, write: false, exec: true },
        { type: '__LINKEDIT', offset: 0x800, vaddr: 0x8000, fileSize: 0x110, memSize: 0x110, read: true, write: false, exec: false },
        // ends exactly where the last gap starts: it holds none of those bytes, so it gets no row
        { type: '__DATA', offset: 0x400, vaddr: 0x4000, fileSize: 0x500, memSize: 0x500, read: true, write: true, exec: false },
      ],
    };
    const { report } = attributeOf(macho);
    const u = new Map(report.unattributedBreakdown.map((x) => [x.section, x.size]));
    assert.equal(u.get('[__TEXT]'), 0x100);
    assert.equal(u.get('[__LINKEDIT]'), 0x10);
    assert.equal(u.get('(outside sections: headers, padding, tables)'), undefined);
    assert.equal(u.has('[__DATA]'), false);
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, FILE);
  });

  test('functions in two code sections: each is attributed where its address lies, not where the previous one was', () => {
    const two = [sec('.text', 0x1000, 0x100, 0x200, { exec: true }), sec('.text.cold', 0x5000, 0x300, 0x100, { exec: true })];
    const funcs = [
      { name: 'main.a', entry: 0x1000, end: 0x1100, tableBytes: 0 },
      { name: 'main.b', entry: 0x1100, end: 0x1200, tableBytes: 0 },
      { name: 'main.c', entry: 0x5000, end: 0x5080, tableBytes: 0 },
      { name: 'main.d', entry: 0x5080, end: 0x5100, tableBytes: 0 },
    ];
    const { report } = attributeSize({
      file: 't',
      img: image(two, 0x400, null),
      pcln: { ...pcln, addr: 0, size: 0, funcs },
      funcSizes: null,
      buildInfo: bi,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    });
    assert.equal(report.packages.find((p) => p.name === 'main')!.text, 0x300);
    assert.deepEqual(
      report.sections.map((x) => [x.name, x.attributed]),
      [
        ['.text', 0x200],
        ['.text.cold', 0x100],
      ],
    );
  });

  test('the table`s bytes are counted in its section also when that section is the first (index 0, as in a Mach-O or PE list)', () => {
    const first = [sections[2]!, sections[0]!, sections[1]!, ...sections.slice(3)];
    const { report } = attributeOf(image(first, FILE, null));
    const given = report.packages.reduce((t, p) => t + p.pclntab, 0);
    assert.equal(given, 0xa0);
    assert.equal(report.sections.find((x) => x.name === '.gopclntab')!.attributed, given);
  });

  test('pclntab table bytes never exceed the table', () => {
    const greedy: GoPclntab = { ...pcln, funcs: pcln.funcs.map((f) => ({ ...f, tableBytes: 0x1000 })) };
    const { report } = attributeSize({
      file: 't',
      img: image(sections, FILE, null),
      pcln: greedy,
      funcSizes,
      buildInfo: bi,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    });
    assert.equal(
      report.packages.reduce((t, p) => t + p.pclntab, 0),
      0x200,
    );
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, FILE);
  });
});

describe('diffSize', () => {
  test('each delta is new minus old of the single reports; deltas add up to the file change', () => {
    const a = attributeSize({
      file: 'a',
      img: image(sections, FILE, null),
      pcln,
      funcSizes,
      buildInfo: bi,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    }).report;
    const fewer: GoPclntab = {
      ...pcln,
      funcs: pcln.funcs.slice(0, 2).concat([{ name: 'runtime.main', entry: 0x1180, end: 0x1300, tableBytes: 0x10 }]),
    };
    const b = attributeSize({
      file: 'b',
      img: image(sections, FILE + 0x40, null),
      pcln: fewer,
      funcSizes: [0xe0, 0x80, 0x180],
      buildInfo: bi,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    }).report;
    const d = diffSize(a, b);
    assert.equal(d.total.delta, 0x40);
    const c = d.packages.find((p) => p.name === 'github.com/a/b/c')!;
    assert.deepEqual(
      [c.old, c.new, c.delta],
      [a.packages.find((p) => p.name === 'github.com/a/b/c')!.size, 0, -a.packages.find((p) => p.name === 'github.com/a/b/c')!.size],
    );
    assert.equal(d.packages.reduce((t, p) => t + p.delta, 0) + d.unattributed.delta, d.total.delta);
    for (let i = 1; i < d.packages.length; i++) assert.ok(Math.abs(d.packages[i - 1]!.delta) >= Math.abs(d.packages[i]!.delta));
  });
});

describe('module and data-symbol naming', () => {
  test('std: no dot in the first element, vendored x/ packages inside std included', () => {
    for (const p of ['runtime', 'internal/abi', 'vendor/golang.org/x/net/idna', 'net/http']) assert.ok(isStdPackage(p), p);
    for (const p of ['github.com/x/y', 'gopkg.in/yaml.v3', 'main', '<cgo>']) assert.ok(!isStdPackage(p), p);
  });
  test('longest module prefix wins; escaped dots in symbol paths match module paths', () => {
    const idx = new ModuleIndex({ ...bi, deps: [...bi.deps, { path: 'gopkg.in/yaml.v3', version: 'v3.0.1', sum: null, replace: null }] });
    assert.equal(idx.moduleOf('github.com/a/b/c/d').path, 'github.com/a/b/c');
    assert.equal(idx.moduleOf('github.com/a/b/x').path, 'github.com/a/b');
    assert.equal(idx.moduleOf('gopkg.in/yaml%2ev3').path, 'gopkg.in/yaml.v3');
    assert.equal(idx.moduleOf('github.com/a/bb').path, 'github.com/a/bb'); // not a prefix by path element
  });
  test('data symbol owners', () => {
    assert.equal(dataSymbolOwner('go:string.*', pkgOf), '<strings>');
    assert.equal(dataSymbolOwner('go.string."hello"', pkgOf), '<strings>');
    assert.equal(dataSymbolOwner('type:*net/http.Client', pkgOf), 'net/http');
    assert.equal(dataSymbolOwner('type.[]main.T', pkgOf), 'main');
    assert.equal(dataSymbolOwner('go:itab.*os.File,io.Writer', pkgOf), 'os');
    assert.equal(
      dataSymbolOwner('go:itab.*github.com/mattn/go-sqlite3.SQLiteStmt,database/sql/driver.Stmt', pkgOf),
      'github.com/mattn/go-sqlite3',
    );
    assert.equal(dataSymbolOwner('go:buildinfo', pkgOf), '<linker>');
    assert.equal(dataSymbolOwner('type:*', pkgOf), '<types>');
    assert.equal(dataSymbolOwner('x_cgo_init', pkgOf), '<cgo>');
    assert.equal(dataSymbolOwner('masks', pkgOf, false), '<asm data>');
    assert.equal(dataSymbolOwner('main_arena', pkgOf, true), '<cgo>');
    assert.equal(dataSymbolOwner('crypto/internal/fips140/nistec.p256Precomputed', pkgOf), 'crypto/internal/fips140/nistec');
  });
});

describe('attributeSize at scale', () => {
  test('400,000 functions and symbols: no stack overflow, identity kept', () => {
    const n = 400_000;
    const textSize = n * 32;
    const big = [sec('.text', 0x100000, 0x1000, textSize, { exec: true }), sec('.data', 0x100000 + textSize, 0x1000 + textSize, n * 8)];
    const file = 0x1000 + textSize + n * 8 + 0x100;
    const funcs = Array.from({ length: n }, (_, i) => ({
      name: `github.com/x/p${i % 997}.F${i}`,
      entry: 0x100000 + i * 32,
      end: 0x100000 + (i + 1) * 32,
      tableBytes: 0,
    }));
    const syms: SymbolEntry[] = Array.from({ length: n }, (_, i) => ({
      name: `github.com/x/p${i % 991}.v${i}`,
      addr: 0x100000 + textSize + i * 8,
      size: 8,
      kind: 'data',
      section: 1,
    }));
    const big1: GoPclntab = { ...pcln, addr: 0, size: 0, funcs };
    const { report } = attributeSize({
      file: 'big',
      img: image(big, file, syms),
      pcln: big1,
      funcSizes: funcs.map(() => 20),
      buildInfo: null,
      goVersion: null,
      packageOf: pkgOf,
      notes: [],
    });
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, file);
    assert.equal(
      report.packages.reduce((t, p) => t + p.text, 0),
      n * 20,
    );
    assert.equal(
      report.packages.reduce((t, p) => t + p.padding, 0),
      n * 12,
    );
    assert.equal(
      report.packages.reduce((t, p) => t + p.data, 0),
      n * 8,
    );
  });
});
