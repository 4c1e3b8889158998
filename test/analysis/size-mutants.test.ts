/**
 * Mutants `npm run mutate` found alive in src/analysis/size, killed here (issue #20):
 *  - func-size.ts reads 32-bit pclntabs too (pointer size 4): a linux/386 binary gets each function's own
 *    code length, not the entry→next-entry fallback (which would fold the alignment fill into code);
 *  - attribute.ts gives a cgo binary's package-less data symbols (C's) to `<cgo>`, not to Go assembly;
 *  - diff.ts names a Mach-O section by segment only when its name is not unique (`__TEXT,__rodata` and
 *    `__DATA_CONST,__rodata`), so a unique one keeps its plain name (`__gopclntab`).
 * The truth for the section names is the file itself (objdump -h lists them; here: both rodata segments).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { sizeFile } from '../../src/analysis/size/analyze.js';
import { diffSize } from '../../src/analysis/size/diff.js';
import { fixture } from '../fixtures/index.js';

test('a 32-bit (linux/386) binary: function code lengths from its pcsp tables, fill counted apart', () => {
  const r = sizeFile(fixture('linux-386')).report;
  assert.equal(r.arch, '386');
  assert.ok(!r.notes.some((n) => n.code === 'func-size-fallback'), JSON.stringify(r.notes));
  const runtime = r.packages.find((p) => p.name === 'runtime')!;
  assert.ok(runtime.padding > 0 && runtime.padding < runtime.text / 10, `runtime padding ${runtime.padding}, text ${runtime.text}`);
});

test('a Mach-O size diff: segment-qualified names only for section names that repeat', () => {
  const a = sizeFile(fixture('darwin-amd64')).report;
  const names = diffSize(a, a).sections.map((s) => s.name);
  assert.ok(names.includes('__TEXT,__rodata') && names.includes('__DATA_CONST,__rodata'), names.join(' '));
  assert.ok(names.includes('__gopclntab') && names.includes('__data'), names.join(' '));
  assert.ok(!names.some((n) => /,__(gopclntab|data|bss)$/.test(n)), names.join(' '));
});

test('a cgo binary: data symbols without a package (C`s) are <cgo>, none is taken for Go assembly data', () => {
  const r = sizeFile(fixture('cgo-glibc')).report;
  const rows = new Map(r.packages.map((p) => [p.name, p]));
  assert.ok(rows.has('runtime/cgo'), 'links runtime/cgo');
  assert.ok((rows.get('<cgo>')?.data ?? 0) > 4096, JSON.stringify(rows.get('<cgo>')));
  assert.equal(rows.get('<asm data>'), undefined);
});
