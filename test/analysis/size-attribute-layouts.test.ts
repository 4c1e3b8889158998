/**
 * Attribution on hand-built section layouts that the common linkers rarely write but the formats allow,
 * where the right answer is known byte by byte (the identity sum(packages) + unattributed = file size
 * holds in each; attributeSize throws E_CORRUPT when it does not). Each test was first seen to fail on a
 * mutant `npm run mutate` left alive (issue #20).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { attributeSize } from '../../src/analysis/size/attribute.js';
import type { SymbolEntry } from '../../src/formats/binary.js';
import type { GoPclntab } from '../../src/formats/go/types.js';
import { attributeOf, bi, FILE, funcSizes, image, pcln, pkgOf, sec, sections } from './size-toy.js';

const run = (img: ReturnType<typeof image>, table: GoPclntab | null = pcln, sizes: number[] | null = funcSizes, keep?: number) =>
  attributeSize({
    file: 't',
    img,
    pcln: table,
    funcSizes: sizes,
    buildInfo: bi,
    goVersion: null,
    packageOf: pkgOf,
    notes: [],
    symbolsPerPackage: keep,
  });

const pkg = (r: ReturnType<typeof run>['report'], name: string) => r.packages.find((p) => p.name === name);

test('symbolsPerPackage 0: no symbol is kept for the treemap, though every byte is still attributed', () => {
  const syms: SymbolEntry[] = [{ name: 'main.table', addr: 0x2000, size: 0x80, kind: 'rodata', section: 1 }];
  const none = run(image(sections, FILE, syms), pcln, funcSizes, 0);
  assert.deepEqual([...none.detail.symbols.values()].flat(), []);
  const all = run(image(sections, FILE, syms));
  assert.deepEqual(none.report, all.report);
  assert.ok(all.detail.symbols.get('main')!.length > 0);
});

test('names stored for inlined calls: their bytes go to the package of the function each names, until the table is spent', () => {
  // the table is 0x200 bytes; the four functions' records take 0xa0, leaving 0x160
  const table: GoPclntab = {
    ...pcln,
    inlinedNames: [
      { name: 'github.com/a/b/c.inlined', size: 0x10 },
      { name: 'runtime.inlined', size: 0x8 },
      { name: 'main.last', size: 0x200 }, // more than is left: gets the rest
      { name: 'main.none', size: 0x4 }, // nothing left
    ],
  };
  const { report } = run(image(sections, FILE, null), table);
  assert.equal(pkg(report, 'github.com/a/b/c')!.pclntab, 0x30 + 0x10);
  assert.equal(pkg(report, 'runtime')!.pclntab, 0x10 + 0x8);
  assert.equal(pkg(report, 'main')!.pclntab, 0x60 + (0x160 - 0x18));
  assert.equal(pkg(report, '<unknown>'), undefined);
  assert.equal(
    report.packages.reduce((t, p) => t + p.pclntab, 0),
    0x200,
  );
});

test('sections sharing an address (as in a relocatable object): a symbol`s bytes are read from the section it names', () => {
  // both sections start at address 0, so only the symbol's section index tells which file bytes are its
  const obj = [sec('.rodata', 0, 0x100, 0x100), sec('.data', 0, 0x200, 0x100, { write: true })];
  const syms: SymbolEntry[] = [
    { name: 'main.ro', addr: 0x10, size: 0x20, kind: 'rodata', section: 0 },
    { name: 'github.com/a/b/c.rw', addr: 0x10, size: 0x30, kind: 'data', section: 1 },
  ];
  const { report } = run(image(obj, 0x300, syms), null, null);
  assert.equal(pkg(report, 'main')!.data, 0x20);
  assert.equal(pkg(report, 'github.com/a/b/c')!.data, 0x30);
  assert.deepEqual(
    report.sections.map((s) => [s.name, s.attributed]),
    [
      ['.rodata', 0x20],
      ['.data', 0x30],
    ],
  );
});

test('a section whose bytes lie inside another`s adds none of its own: a function at its address is read through the outer one', () => {
  // .text.inner repeats .text's bytes 0x100..0x180 (file 0x200..0x280): the earlier-starting .text keeps them
  const nested = [sections[0]!, sec('.text.inner', 0x1100, 0x200, 0x80, { exec: true }), ...sections.slice(1)];
  const funcs = [{ name: 'main.inner', entry: 0x1100, end: 0x1180, tableBytes: 0 }];
  const { report } = run(image(nested, FILE, null), { ...pcln, funcs }, null);
  assert.equal(pkg(report, 'main')!.text, 0x80);
  assert.equal(report.sections.find((s) => s.name === '.text')!.attributed, 0x80);
  assert.equal(report.sections.find((s) => s.name === '.text.inner')!.attributed, 0);
});

test('a function that starts where the previous function`s section ends is read from the next section', () => {
  // .text ends at 0x1200 and .text.cold starts there, in address and in the file: no byte between
  const two = [sec('.text', 0x1000, 0x100, 0x200, { exec: true }), sec('.text.cold', 0x1200, 0x300, 0x100, { exec: true })];
  const funcs = [
    { name: 'main.a', entry: 0x1000, end: 0x1200, tableBytes: 0 },
    { name: 'main.b', entry: 0x1200, end: 0x1300, tableBytes: 0 },
  ];
  const { report } = run(image(two, 0x400, null), { ...pcln, addr: 0, size: 0, funcs }, null);
  assert.equal(pkg(report, 'main')!.text, 0x300);
  assert.deepEqual(
    report.sections.map((s) => [s.name, s.attributed]),
    [
      ['.text', 0x200],
      ['.text.cold', 0x100],
    ],
  );
});

test('a symbol that starts where the pclntab ends, in the table`s own section, is data (the table is a half-open range)', () => {
  // the table takes 0x3000..0x3100 of .gopclntab (0x3000..0x3200), as runtime.pclntab…epclntab bound it on PE
  const table: GoPclntab = { ...pcln, size: 0x100, funcs: pcln.funcs.map((f) => ({ ...f, tableBytes: 0 })) };
  const syms: SymbolEntry[] = [{ name: 'main.after', addr: 0x3100, size: 0x40, kind: 'rodata', section: 2 }];
  const { report } = run(image(sections, FILE, syms), table);
  assert.equal(pkg(report, 'main')!.data, 0x40);
});

test('the section table out of file order: each section keeps its own bytes, as in file order', () => {
  // the same sections listed .symtab, .gopclntab, .rodata, .bss, .text: a table need not follow the file
  const shuffled = [sections[4]!, sections[2]!, sections[1]!, sections[3]!, sections[0]!];
  const syms: SymbolEntry[] = [{ name: 'main.table', addr: 0x2000, size: 0x80, kind: 'rodata', section: 2 }];
  const inOrder = attributeOf(image(sections, FILE, [{ ...syms[0]!, section: 1 }])).report;
  const { report } = attributeOf(image(shuffled, FILE, syms));
  assert.deepEqual(report.packages, inOrder.packages);
  const att = (r: typeof report) => new Map(r.sections.map((s) => [s.name, s.attributed]));
  assert.deepEqual(att(report), att(inOrder));
  assert.equal(att(report).get('.text'), 0x1300 - 0x1010);
  assert.deepEqual(report.unattributedBreakdown, inOrder.unattributedBreakdown);
});

test('one section from the file`s first byte to its last, beside bss sections: all of it attributed, no empty catch-all row', () => {
  // .text is the whole file (offset 0, 0x300 bytes); .bss and .noptrbss take memory only
  const whole = [
    sec('.text', 0x1000, 0, 0x300, { exec: true }),
    sec('.bss', 0x4000, 0, 0, { size: 0x100, write: true }),
    sec('.noptrbss', 0x4100, 0, 0, { size: 0x100, write: true }),
  ];
  const funcs = [
    { name: 'main.main', entry: 0x1000, end: 0x1200, tableBytes: 0 },
    { name: 'runtime.main', entry: 0x1200, end: 0x1300, tableBytes: 0 },
  ];
  const { report } = run(image(whole, 0x300, null), { ...pcln, addr: 0, size: 0, funcs }, null);
  assert.deepEqual(
    report.packages.map((p) => [p.name, p.text]),
    [
      ['main', 0x200],
      ['runtime', 0x100],
    ],
  );
  assert.equal(report.sections.find((s) => s.name === '.text')!.attributed, 0x300);
  assert.equal(report.unattributed, 0);
  assert.deepEqual(report.unattributedBreakdown, []); // not even a row of 0 bytes for the outside-sections catch-all
});

test('a package is listed when it has functions, even with no bytes in the file; not when all its symbols lost their bytes', () => {
  // the file is cut at 0x300 (inside .text): main.late lies past the end; c.shadow lies inside main.table
  const funcs = [
    { name: 'main.main', entry: 0x1010, end: 0x1100, tableBytes: 0 },
    { name: 'github.com/a/b.late', entry: 0x1280, end: 0x1300, tableBytes: 0 },
  ];
  const syms: SymbolEntry[] = [
    { name: 'main.table', addr: 0x1100, size: 0x80, kind: 'rodata', section: 0 },
    { name: 'github.com/a/b/c.shadow', addr: 0x1110, size: 0x10, kind: 'rodata', section: 0 },
  ];
  const { report } = run(image(sections, 0x300, syms), { ...pcln, addr: 0, size: 0, funcs }, null);
  const late = pkg(report, 'github.com/a/b');
  assert.deepEqual([late?.size, late?.functions], [0, 1]);
  assert.equal(pkg(report, 'github.com/a/b/c'), undefined);
  assert.deepEqual(
    report.packages.map((p) => p.name),
    ['main', 'github.com/a/b'],
  );
});

test('a function name starting with "/" (a damaged or crafted pclntab; Go writes none) is still sized: the module lookup ends', () => {
  // every name in the table comes from the file: the lookup walks the path's prefixes up to its first '/'
  const funcs = [
    { name: '/tmp/x.f', entry: 0x1010, end: 0x1100, tableBytes: 0 },
    { name: 'main.main', entry: 0x1100, end: 0x1180, tableBytes: 0 },
  ];
  const { report } = run(image(sections, FILE, null), { ...pcln, funcs }, null);
  assert.deepEqual(
    report.packages.map((p) => [p.name, p.text]),
    [
      ['/tmp/x', 0xf0],
      ['main', 0x80],
    ],
  );
  assert.equal(pkg(report, 'main')!.module, 'example.com/app');
});

test('code symbols outside the pclntab (C functions) are attributed as text and not listed as data for the treemap', () => {
  // x_cgo_thing fills .text before the first Go function (0x1000..0x1010)
  const syms: SymbolEntry[] = [
    { name: 'x_cgo_thing', addr: 0x1000, size: 0x10, kind: 'text', section: 0 },
    { name: 'main.table', addr: 0x2000, size: 0x80, kind: 'rodata', section: 1 },
  ];
  const { report, detail } = run(image(sections, FILE, syms));
  assert.equal(pkg(report, '<cgo>')!.text, 0x10);
  assert.deepEqual(detail.symbols.get('<cgo>'), []);
  assert.deepEqual(
    detail.symbols
      .get('main')!
      .filter((s) => s.kind === 'data')
      .map((s) => s.name),
    ['main.table'],
  );
});

test('unattributed bytes are listed largest first, ties by name', () => {
  const { report } = attributeOf(image(sections, FILE, null));
  const sizes = report.unattributedBreakdown.map((u) => u.size);
  assert.ok(sizes.length >= 3, JSON.stringify(report.unattributedBreakdown));
  assert.deepEqual(
    sizes,
    [...sizes].sort((a, b) => b - a),
  );
  // the names would sort otherwise: the order is by size
  const names = report.unattributedBreakdown.map((u) => u.section);
  assert.notDeepEqual(names, [...names].sort());
});

test('an undefined symbol with a size and an address (a PLT slot`s, in a non-PIC executable) takes no bytes: its code is in a library', () => {
  const syms: SymbolEntry[] = [{ name: 'puts', addr: 0x2000, size: 0x10, kind: 'undef', section: -1 }];
  const { report } = run(image(sections, FILE, syms));
  assert.equal(pkg(report, '<cgo>'), undefined);
  assert.equal(report.sections.find((s) => s.name === '.rodata')!.attributed, 0);
});
