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
 *    table falls back to entry→next entry instead of giving a made-up length;
 *  - attribute.ts skips bss symbols: on PE, Go's bss starts inside .data's last file-alignment block, and
 *    those fill bytes are no variable's (go tool nm's runtime.bss marks where bss starts);
 *  - attribute.ts sorts sections by file offset, not by their place in the table, before making them
 *    disjoint: the bytes outside every section are those readelf -SW's offsets and sizes leave;
 *  - attribute.ts names a package-less data symbol of a program built without cgo `<asm data>`, never `<cgo>`;
 *  - analyze.ts turns unreadable build info into a note, not a failed report (the pclntab still sizes the code);
 *  - attribute.ts calls a section bss only when it takes memory (readelf: NOBITS, A, size > 0), not an empty
 *    loaded one such as a PIE's .rela.plt of size 0;
 *  - modules.ts guesses a module (for binaries without build info) by its host's layout: two elements under
 *    google.golang.org, three under golang.org, as buf's build info (go version -m) names them.
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
import { objdumpSections } from '../truth/objdump.js';
import { goBuildSettings, goDepPaths } from '../truth/go-version-m.js';
import { OUTSIDE_SECTIONS } from '../../src/analysis/size/attribute.js';
import { guessModule } from '../../src/analysis/size/modules.js';
import { readelfSections, readelfText } from '../truth/readelf.js';
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

test('a PE binary: the file-alignment fill after .data`s variables is not given to the bss variables that start in it', (t) => {
  const path = fixture('windows-amd64');
  const out = runToolOrSkip(t, 'go', ['tool', 'nm', '-size', path]);
  if (out === null) return;
  const bss = parseGoNm(out).find((s) => s.name === 'runtime.bss')!;
  const data = objdumpSections(path).find((s) => s.name === '.data')!;
  const r = sizeFile(path).report;
  const row = r.sections.find((s) => s.name === '.data')!;
  // the layout this checks: .data's raw bytes (rounded up to the file alignment) run past runtime.bss
  assert.ok(bss.addr > data.vma && bss.addr - data.vma < row.fileSize, `runtime.bss at +${bss.addr - data.vma}, raw ${row.fileSize}`);
  // every byte before runtime.bss is a variable's (Go packs .data), none after it
  assert.equal(row.attributed, bss.addr - data.vma);
});

test('ELF: the bytes outside every section are exactly what readelf -SW`s offsets and sizes leave, whatever the table order', (t) => {
  for (const name of ['sqlite', 'glibc-static'] as const) {
    const path = fixture(name);
    const out = runToolOrSkip(t, 'readelf', ['-SW', path]);
    if (out === null) return;
    // [Nr] Name Type Address Off Size …: the file bytes of every section that has some (not NOBITS)
    const ranges = [...out.matchAll(/^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s/gm)]
      .filter((m) => m[2] !== 'NOBITS' && m[2] !== 'NULL')
      .map((m) => [parseInt(m[3]!, 16), parseInt(m[3]!, 16) + parseInt(m[4]!, 16)] as const)
      .sort((a, b) => a[0] - b[0]);
    assert.ok(ranges.length > 20, name);
    let covered = 0;
    let reach = 0;
    for (const [s, e] of ranges) {
      covered += Math.max(0, e - Math.max(s, reach));
      reach = Math.max(reach, e);
    }
    const r = sizeFile(path).report;
    const outside = r.unattributedBreakdown.find((u) => u.section === OUTSIDE_SECTIONS)?.size ?? 0;
    assert.equal(outside, r.fileSize - covered, name);
  }
});

test('a program built without cgo: no <cgo> row; Go assembly`s package-less data is <asm data>', (t) => {
  const path = fixture('static');
  if (runToolOrSkip(t, 'go', ['version']) === null) return;
  assert.equal(goBuildSettings(path)['CGO_ENABLED'], '0');
  const rows = new Map(sizeFile(path).report.packages.map((p) => [p.name, p]));
  assert.equal(rows.get('<cgo>'), undefined);
  assert.ok((rows.get('<asm data>')?.data ?? 0) > 1024, JSON.stringify(rows.get('<asm data>')));
});

test('a real binary whose build info is damaged (a control byte in its Go version): sized from its pclntab, with a note', () => {
  const original = sizeFile(fixture('static')).report;
  const b = new Uint8Array(readFileSync(fixture('static')));
  // Go 1.18+ inline build info: the 32-byte header "\xff Go buildinf:" …, a varint length, then "go1.…"
  const at = Buffer.from(b).indexOf('\xff Go buildinf:', 0, 'latin1');
  assert.ok(at > 0 && (b[at + 15]! & 2) === 2, 'inline strings');
  assert.equal(String.fromCharCode(b[at + 33]!, b[at + 34]!), 'go');
  b[at + 33] = 0x01;
  const path = join(scratchDir('gokiln-size-'), 'damaged-buildinfo');
  writeFileSync(path, b);
  const r = sizeFile(path).report;
  assert.deepEqual(
    r.notes.map((n) => n.code),
    ['buildinfo-error', 'no-buildinfo'],
  );
  assert.match(r.notes[0]!.message, /^E_CORRUPT: Go build info: implausible Go version/);
  assert.equal(r.goVersion, null);
  const text = (x: typeof r) => new Map(x.packages.map((p) => [p.name, p.text]));
  assert.deepEqual(text(r), text(original));
});

test('bss: the sections readelf lists as NOBITS, loaded and of some size; not an empty loaded section (a PIE`s .rela.plt)', () => {
  const path = fixture('pie');
  const secs = readelfSections(readelfText(path, ['-S', '-W']));
  // the layout this checks: loaded sections of size 0 that are not NOBITS
  assert.ok(secs.some((s) => s.size === 0 && s.flags.includes('A') && s.type !== 'NOBITS'));
  const want = secs.filter((s) => s.type === 'NOBITS' && s.flags.includes('A') && s.size > 0).map((s) => s.name);
  assert.ok(want.includes('.bss'));
  const r = sizeFile(path).report;
  assert.deepEqual(
    r.sections.filter((s) => s.bss).map((s) => s.name),
    want,
  );
});

test('the module guessed without build info follows the host`s layout, as buf`s build info names the modules', (t) => {
  if (runToolOrSkip(t, 'go', ['version']) === null) return;
  const deps = new Set(goDepPaths(fixture('buf')));
  const r = sizeFile(fixture('buf')).report;
  const hosts = ['google.golang.org/protobuf/', 'golang.org/x/'];
  const pkgs = r.packages.filter((p) => hosts.some((h) => p.name.startsWith(h)));
  assert.ok(pkgs.length > 30, `${pkgs.length} packages`);
  for (const p of pkgs) {
    assert.ok(deps.has(p.module), `${p.module} is a dep in go version -m`);
    assert.equal(guessModule(p.name), p.module, p.name);
  }
  assert.ok(pkgs.some((p) => p.module === 'google.golang.org/protobuf'));
  assert.ok(pkgs.some((p) => p.module === 'golang.org/x/net'));
});
