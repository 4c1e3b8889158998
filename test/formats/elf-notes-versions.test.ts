/**
 * Issue #20 (src/formats/elf survivors): notes that are not what their type number suggests, version chains
 * longer than their count, symbols with section indexes the file does not have, and the C library named
 * only by a file's soname or loader. readelf (or the linker that made the file) is the truth for each.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource } from '../../src/formats/source.js';
import { libcFamily, parseElf } from '../../src/formats/elf/index.js';
import { parseNotes } from '../../src/formats/elf/notes.js';
import { buildElf, concat, note, strtab, verdefTable, verneedTable, writeTemp } from './tiny-elf.js';
import { haveTool, runTool } from '../truth/tools.js';
import { readelfBuildId, readelfText, readelfVersionDefs, readelfVersionNeeds } from '../truth/readelf.js';
import { scratchDir } from '../harness/scratch.js';

const EM_X86_64 = 62;
const parse = (b: Uint8Array) => parseElf(new BufferSource(b));
const enc = (s: string) => new TextEncoder().encode(s);
const readBytes = (p: string) => new Uint8Array(readFileSync(p));

describe('ELF notes whose type number means something else for another owner', () => {
  test("gold's NT_GNU_GOLD_VERSION (GNU, type 4, Go's build-ID number) is not a Go build ID", (t) => {
    if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf') || !haveTool(t, 'ld.gold', ['--version'])) return;
    const dir = scratchDir('gk-elf-gold-');
    writeFileSync(join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
    const bin = join(dir, 'hello');
    runTool('gcc', ['-fuse-ld=gold', '-Wl,--build-id', '-o', bin, join(dir, 'hello.c')]);
    const out = readelfText(bin, ['-n', '-W']);
    assert.match(out, /^\s+GNU\s+0x[0-9a-f]+\s+NT_GNU_GOLD_VERSION/m);
    assert.doesNotMatch(out, /^\s+Go\s/m);
    const img = parse(readBytes(bin));
    assert.equal(img.elf.goBuildId, null);
    assert.equal(img.elf.gnuBuildId, readelfBuildId(out));
  });

  test('an OS note of type 1 from another owner (Android, 132-byte descriptor) is not a GNU ABI tag', (t) => {
    // Android's ident note: API level (u32), NDK version (64 bytes), NDK build number (64 bytes)
    const desc = new Uint8Array(132);
    new DataView(desc.buffer).setUint32(0, 30, true);
    desc.set(enc('r25c'), 4);
    const { bytes } = buildElf({
      bits: 64,
      little: true,
      machine: 183,
      sections: [{ name: '.note.android.ident', type: 7, flags: 2, data: note(true, 'Android', 1, desc), align: 4 }],
    });
    const img = parse(bytes);
    assert.equal(img.os, 'android');
    assert.equal(img.elf.gnuAbiTag, null);
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('android-note', bytes), ['-n', '-W']);
    assert.match(out, /^\s+Android\s+0x00000084\s/m);
    assert.doesNotMatch(out, /ABI version tag/);
  });

  test('a note of 12 bytes (no name, no descriptor) closing its area is a note, as readelf -n lists it', (t) => {
    const area = concat(note(true, 'GNU', 3, new Uint8Array([1, 2, 3, 4])), new Uint8Array(12));
    assert.equal(area.length, 16 + 4 + 12);
    const notes = parseNotes(area, true, 4);
    assert.deepEqual(
      notes.map((n) => [n.owner, n.type, n.desc.length]),
      [
        ['GNU', 3, 4],
        ['', 0, 0],
      ],
    );
    if (!haveTool(t, 'readelf')) return;
    const { bytes } = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      sections: [{ name: '.note.x', type: 7, data: area, align: 4 }],
    });
    const out = readelfText(writeTemp('note-12', bytes), ['-n', '-W']);
    // one line per note under the owner header: the build ID, then the empty-owner note
    const rows = out.split('\n').filter((l) => /^\s+\S*\s+0x[0-9a-f]{8}\s/.test(l));
    assert.equal(rows.length, notes.length, out);
  });
});

/** A file with .dynstr and a version section (need or def) linked to it, sh_info = `count`. */
function versioned(kind: 'need' | 'def', count: number) {
  const str = strtab(['libc.so.6', 'libm.so.6', 'GLIBC_2.2.5', 'GLIBC_2.29', 'GLIBC_2.34', 'libx.so.1', 'X_1', 'X_2']);
  const o = (s: string) => str.offsets.get(s)!;
  const data =
    kind === 'need'
      ? verneedTable(true, [
          { file: o('libc.so.6'), versions: [o('GLIBC_2.2.5')] },
          { file: o('libm.so.6'), versions: [o('GLIBC_2.29'), o('GLIBC_2.34')] },
        ])
      : verdefTable(true, [o('libx.so.1'), o('X_1'), o('X_2')]);
  return buildElf({
    bits: 64,
    little: true,
    machine: EM_X86_64,
    type: 3,
    sections: [
      { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
      {
        name: kind === 'need' ? '.gnu.version_r' : '.gnu.version_d',
        type: kind === 'need' ? 0x6ffffffe : 0x6ffffffd,
        flags: 2,
        data,
        link: '.dynstr',
        info: count,
        align: 4,
      },
    ],
  }).bytes;
}

describe('ELF version chains longer than their count (sh_info), as readelf -V reads them', () => {
  test('.gnu.version_r: two chained records, sh_info 1: only the first is read', (t) => {
    const all = parse(versioned('need', 2)).elf;
    assert.deepEqual(all.versionNeeds, [
      { file: 'libc.so.6', versions: ['GLIBC_2.2.5'] },
      { file: 'libm.so.6', versions: ['GLIBC_2.29', 'GLIBC_2.34'] },
    ]);
    const bytes = versioned('need', 1);
    const one = parse(bytes).elf;
    assert.deepEqual(one.versionNeeds, [{ file: 'libc.so.6', versions: ['GLIBC_2.2.5'] }]);
    assert.deepEqual(one.problems, []);
    if (!haveTool(t, 'readelf')) return;
    assert.deepEqual(one.versionNeeds, readelfVersionNeeds(readelfText(writeTemp('verneed-count1', bytes), ['-V', '-W'])));
  });
  test('.gnu.version_d: base and two versions chained, sh_info 2: the base and the first version are read', (t) => {
    assert.deepEqual(parse(versioned('def', 3)).elf.versionDefs, ['X_1', 'X_2']);
    const bytes = versioned('def', 2);
    const img = parse(bytes);
    assert.deepEqual(img.elf.versionDefs, ['X_1']);
    if (!haveTool(t, 'readelf')) return;
    // (readelfVersionDefs leaves out the base entry, the soname, as the reader does)
    assert.deepEqual(img.elf.versionDefs, readelfVersionDefs(readelfText(writeTemp('verdef-count2', bytes), ['-V', '-W'])));
  });
});

describe('ELF version chains without a count: walked to vn_next/vd_next 0, as glibc walks them (docs/knowledge.md)', () => {
  /** `n` records of `size` bytes, each chained to the next (`next` bytes on), names at offset `name`. */
  const chain = (kind: 'need' | 'def', n: number, lastNext: number) => {
    const str = strtab(['libc.so.6', 'V_1']);
    const size = kind === 'need' ? 16 : 20;
    const area = new Uint8Array(n * size + (kind === 'def' ? 8 * n : 0));
    const v = new DataView(area.buffer);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      v.setUint16(o, 1, true);
      if (kind === 'need') {
        v.setUint32(o + 4, str.offsets.get('libc.so.6')!, true); // vn_file; vn_cnt 0, no auxiliaries
        v.setUint32(o + 12, i === n - 1 ? lastNext : size, true);
      } else {
        v.setUint16(o + 6, 1, true); // vd_cnt
        v.setUint32(o + 12, n * size + 8 * i - o, true); // vd_aux: this record's Elf_Verdaux after the records
        v.setUint32(o + 16, i === n - 1 ? lastNext : size, true);
        v.setUint32(n * size + 8 * i, str.offsets.get('V_1')!, true);
      }
    }
    return buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        {
          name: kind === 'need' ? '.gnu.version_r' : '.gnu.version_d',
          type: kind === 'need' ? 0x6ffffffe : 0x6ffffffd,
          flags: 2,
          data: area,
          link: '.dynstr',
          info: 0,
          align: 4,
        },
      ],
    }).bytes;
  };
  test(".gnu.version_r, sh_info 0: a chain ending in vn_next 0 is read whole; one still going at its area's end is E_CORRUPT", () => {
    const ok = parse(chain('need', 2, 0)).elf;
    assert.deepEqual(ok.versionNeeds, [
      { file: 'libc.so.6', versions: [] },
      { file: 'libc.so.6', versions: [] },
    ]);
    assert.deepEqual(ok.problems, []);
    const bad = parse(chain('need', 2, 16)).elf;
    assert.deepEqual(bad.versionNeeds, []);
    assert.deepEqual(
      bad.problems.map((p) => [p.code, p.message]),
      [['E_CORRUPT', 'version needs: version-need chain does not end within its 32-byte area']],
    );
  });
  test('.gnu.version_d, sh_info 0: the same for definitions', () => {
    const ok = parse(chain('def', 2, 0)).elf;
    assert.deepEqual(ok.versionDefs, ['V_1', 'V_1']);
    assert.deepEqual(ok.problems, []);
    const bad = parse(chain('def', 2, 20)).elf;
    assert.deepEqual(bad.versionDefs, []);
    assert.deepEqual(
      bad.problems.map((p) => p.code),
      ['E_CORRUPT'],
    );
    assert.match(bad.problems[0]!.message, /version-definition chain does not end within its 56-byte area/);
  });
  test('.gnu.version_d: a definition with vd_cnt 0 still has its name, as readelf -V prints it', (t) => {
    const str = strtab(['libx.so.1', 'X_1', 'X_2']);
    const o = (s: string) => str.offsets.get(s)!;
    const vd = verdefTable(true, [o('libx.so.1'), o('X_1'), o('X_2')]);
    new DataView(vd.buffer).setUint16(28 + 6, 0, true); // vd_cnt of the second record (X_1)
    const bytes = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        { name: '.gnu.version_d', type: 0x6ffffffd, flags: 2, data: vd, link: '.dynstr', info: 3, align: 4 },
      ],
    }).bytes;
    const img = parse(bytes);
    assert.deepEqual(img.elf.versionDefs, ['X_1', 'X_2']);
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('verdef-cnt0', bytes), ['-V', '-W']);
    assert.match(out, /Cnt: 0\s+Name: X_1/);
    assert.deepEqual(img.elf.versionDefs, readelfVersionDefs(out));
  });
});

describe('ELF symbols with a section index the file has no section for', () => {
  test('st_shndx past the section table (not a reserved index): in no section, kind other — readelf calls it a bad section index', (t) => {
    const names = strtab(['lost']);
    const tab = new Uint8Array(48);
    const v = new DataView(tab.buffer);
    v.setUint32(24, names.offsets.get('lost')!, true);
    v.setUint8(24 + 4, 0x11); // STB_GLOBAL, STT_OBJECT
    v.setUint16(24 + 6, 50, true); // st_shndx 50: the file has 4 sections
    v.setBigUint64(24 + 8, 0x1234n, true);
    v.setBigUint64(24 + 16, 8n, true);
    const { bytes } = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      sections: [
        { name: '.strtab', type: 3, data: names.bytes },
        { name: '.symtab', type: 2, data: tab, link: 1, info: 1, entsize: 24, align: 8 },
      ],
    });
    const img = parse(bytes);
    assert.equal(img.sections.length, 4);
    assert.deepEqual(
      img.symbols()!.map((s) => [s.name, s.kind, s.section, s.addr, s.size]),
      [['lost', 'other', -1, 0x1234, 8]],
    );
    if (!haveTool(t, 'readelf')) return;
    assert.match(
      readelfText(writeTemp('shndx-50', bytes), ['-s', '-W']),
      /\s1: 0000000000001234\s+8 OBJECT\s+GLOBAL\s+DEFAULT\s+bad section index\[\s*50\] lost$/m,
    );
  });
});

describe('the C library of a file known only by its soname or its loader', () => {
  test("a shared object whose soname is musl's (libc.musl-x86_64.so.1, no DT_NEEDED, no loader) is musl's libc", (t) => {
    if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf')) return;
    const dir = scratchDir('gk-elf-soname-');
    writeFileSync(join(dir, 'f.c'), 'int f(void) { return 1; }\n');
    for (const [soname, family] of [
      ['libc.musl-x86_64.so.1', 'musl'],
      ['libc.so.6', 'glibc'],
    ] as const) {
      const so = join(dir, soname);
      runTool('gcc', ['-shared', '-fPIC', '-nostdlib', `-Wl,-soname,${soname}`, '-o', so, join(dir, 'f.c')]);
      const out = readelfText(so, ['-d', '-l', '-W']);
      assert.match(out, new RegExp(`\\(SONAME\\)\\s+Library soname: \\[${soname.replaceAll('.', '\\.')}\\]`));
      assert.doesNotMatch(out, /\(NEEDED\)|Requesting program interpreter/);
      assert.equal(libcFamily(parse(readBytes(so))), family, soname);
    }
  });

  test("a linux executable whose loader is neither glibc's nor musl's (uClibc's ld-uClibc.so.0) has another libc", (t) => {
    const { bytes } = buildElf({
      bits: 32,
      little: true,
      machine: 40,
      sections: [{ name: '.interp', type: 1, flags: 2, data: enc('/lib/ld-uClibc.so.0\0') }],
      segments: [{ type: 3, section: '.interp' }],
    });
    const img = parse(bytes);
    assert.equal(img.os, 'linux');
    assert.equal(img.elf.interpreter, '/lib/ld-uClibc.so.0');
    assert.equal(libcFamily(img), 'other');
    if (!haveTool(t, 'readelf')) return;
    assert.match(readelfText(writeTemp('uclibc', bytes), ['-l', '-W']), /Requesting program interpreter: \/lib\/ld-uClibc\.so\.0\]/);
  });
});

describe('ELF symbols with a reserved section index in a file with more sections than that', () => {
  test('st_shndx 0xff00 (SHN_LOPROC) is reserved even when section 0xff00 exists: in no section, as readelf prints PRC[0xff00]', (t) => {
    // 0xff02 sections (extended numbering: e_shnum 0, e_shstrndx SHN_XINDEX, the real values in section 0)
    const filler = Array.from({ length: 0xff00 - 1 }, () => ({ name: '', type: 1, flags: 2 }));
    const names = strtab(['proc']);
    const tab = new Uint8Array(48);
    const v = new DataView(tab.buffer);
    v.setUint32(24, names.offsets.get('proc')!, true);
    v.setUint8(24 + 4, 0x11); // STB_GLOBAL, STT_OBJECT
    v.setUint16(24 + 6, 0xff00, true);
    v.setBigUint64(24 + 8, 0x40n, true);
    // section 0xff00 is .strtab, 0xff01 .symtab, 0xff02 .shstrtab
    const lay = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      sections: [
        ...filler,
        { name: '.strtab', type: 3, data: names.bytes },
        { name: '.symtab', type: 2, data: tab, link: 0xff00, info: 1, entsize: 24, align: 8 },
      ],
    });
    const hv = new DataView(lay.bytes.buffer);
    const shnum = 0xff03;
    hv.setUint16(60, 0, true);
    hv.setUint16(62, 0xffff, true);
    hv.setBigUint64(lay.shoff + 32, BigInt(shnum), true); // sh_size of section 0
    hv.setUint32(lay.shoff + 40, shnum - 1, true); // sh_link of section 0
    const img = parse(lay.bytes);
    assert.equal(img.sections.length, shnum);
    assert.equal(img.sections[0xff00]!.name, '.strtab');
    assert.deepEqual(
      img.symbols()!.map((s) => [s.name, s.kind, s.section]),
      [['proc', 'other', -1]],
    );
    if (!haveTool(t, 'readelf')) return;
    assert.match(
      readelfText(writeTemp('shndx-loproc', lay.bytes), ['-s', '-W']),
      /\s1: 0000000000000040\s+0 OBJECT\s+GLOBAL DEFAULT PRC\[0xff00\] proc$/m,
    );
  });
});
