/**
 * Mutants `npm run mutate` found alive in src/analysis/size, killed here (issue #20):
 *  - func-size.ts reads 32-bit pclntabs too (pointer size 4): a linux/386 binary gets each function's own
 *    code length, not the entry→next-entry fallback (which would fold the alignment fill into code);
 *  - attribute.ts gives a cgo binary's package-less data symbols (C's) to `<cgo>`, not to Go assembly;
 *  - diff.ts names a Mach-O section by segment only when its name is not unique (`__TEXT,__rodata` and
 *    `__DATA_CONST,__rodata`), so a unique one keeps its plain name (`__gopclntab`);
 *  - attribute.ts keeps out of the data only the symbols inside the pclntab's own range: a PE binary has
 *    no section for the table (it sits inside `.rdata`, found by runtime.pclntab…epclntab), and the other
 *    `.rdata` symbols (strings, types) are still attributed;
 *  - attribute.ts turns an unreadable symbol table into a note, not a failed report;
 *  - func-size.ts refuses a pc-table varint longer than 10 bytes (Go's binary.MaxVarintLen64), so a damaged
 *    table falls back to entry→next entry instead of giving a made-up length.
 * The truth for the section names is the file itself (objdump -h lists them; here: both rodata segments).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sizeFile } from '../../src/analysis/size/analyze.js';
import { diffSize } from '../../src/analysis/size/diff.js';
import { fixture } from '../fixtures/index.js';
import { parseGoNm } from '../truth/go-nm.js';
import { runToolOrSkip } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';
import { functionCodeSizes } from '../../src/analysis/size/func-size.js';
import { readPclntabAndBytes } from '../../src/formats/go/pclntab.js';
import { parseBinary } from '../../src/formats/open.js';
import { BufferSource, Reader } from '../../src/formats/source.js';

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

test('a PE binary (pclntab inside .rdata): the strings beside the table are attributed, as go tool nm sizes them', (t) => {
  const path = fixture('windows-amd64');
  const out = runToolOrSkip(t, 'go', ['tool', 'nm', '-size', path]);
  if (out === null) return;
  const syms = parseGoNm(out);
  const table = syms.find((s) => s.name === 'runtime.pclntab')!;
  const strings = syms.find((s) => s.name === 'go:string.*')!;
  const r = sizeFile(path).report;
  // the layout this checks: the table has no section of its own and shares .rdata with the strings
  assert.ok(!r.sections.some((s) => s.name.includes('pclntab')), r.sections.map((s) => s.name).join(' '));
  const rdata = r.sections.find((s) => s.name === '.rdata')!;
  assert.ok(strings.size > 10_000 && strings.addr < table.addr, `go:string.* ${strings.size} B at 0x${strings.addr.toString(16)}`);
  assert.equal(r.packages.find((p) => p.name === '<strings>')?.data, strings.size);
  assert.ok(rdata.attributed > table.size + strings.size, `.rdata attributed ${rdata.attributed}`);
});

test('a real binary whose symbol table is damaged (sh_entsize 20): sized from its pclntab, with a note', () => {
  const original = sizeFile(fixture('static')).report;
  const b = new Uint8Array(readFileSync(fixture('static')));
  const v = new DataView(b.buffer);
  // ELF64: e_shoff @0x28, e_shnum @0x3c; each 64-byte section header has sh_type @4, sh_entsize @56
  const shoff = Number(v.getBigUint64(0x28, true));
  let patched = 0;
  for (let i = 0; i < v.getUint16(0x3c, true); i++) {
    const o = shoff + i * 64;
    if (v.getUint32(o + 4, true) !== 2) continue; // SHT_SYMTAB
    v.setBigUint64(o + 56, 20n, true); // an ELF64 symbol is 24 bytes
    patched++;
  }
  assert.equal(patched, 1);
  const path = join(scratchDir('gokiln-size-'), 'damaged-symtab');
  writeFileSync(path, b);
  const r = sizeFile(path).report;
  assert.deepEqual(
    r.notes.map((n) => n.code),
    ['symbols-error', 'no-symbols'],
  );
  assert.equal(r.symbols, false);
  // code and table bytes come from the pclntab, which the damage does not touch
  const text = (x: typeof r) => x.packages.reduce((t, p) => t + p.text, 0);
  assert.equal(text(r), text(original));
  assert.equal(
    r.packages.reduce((t, p) => t + p.data, 0),
    0,
  );
  assert.equal(r.packages.reduce((t, p) => t + p.size, 0) + r.unattributed, r.fileSize);
});

test('a pcsp table whose first varint runs past 10 bytes is damaged: no code lengths (the fallback), not a made-up one', () => {
  const img = parseBinary(new BufferSource(new Uint8Array(readFileSync(fixture('static')))))[0]!;
  const table = readPclntabAndBytes(img)!;
  const { pcln } = table;
  assert.equal(pcln.version, '1.20');
  const bytes = new Uint8Array(table.bytes); // a copy: the image's own bytes stay as they are
  const r = new Reader(bytes, true);
  assert.ok(functionCodeSizes(r, pcln), 'the undamaged table is read');
  // 1.18+ header: magic, pad, minLC, ptrSize, nfunc, nfiles, textStart, funcnameOff, cuOff, filetabOff,
  // pctabOff, pclnOff (words of ptrSize after the first 8 bytes); functab pairs of u32 (entry, funcoff);
  // _func: entry u32, nameOff, args, deferreturn, pcsp u32 at +16
  const word = (i: number) => Number(r.uptr(8 + i * 8, 8));
  const pctabOff = word(6);
  const pclnOff = word(7);
  const fn = pclnOff + r.u32(pclnOff + 4);
  const pcsp = r.u32(fn + 16);
  assert.ok(pcsp > 0);
  bytes.fill(0x80, pctabOff + pcsp, pctabOff + pcsp + 11);
  bytes[pctabOff + pcsp + 11] = 0x01;
  assert.equal(functionCodeSizes(new Reader(bytes, true), pcln), null);
});
