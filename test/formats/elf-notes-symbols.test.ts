/**
 * Issue #20 (src/formats/elf survivors): notes that are not what their type number suggests, and symbols
 * with section indexes the file does not have or that are reserved. readelf (or the linker that made the
 * file) is the truth for each.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource } from '../../src/formats/source.js';
import { parseElf } from '../../src/formats/elf/index.js';
import { parseNotes } from '../../src/formats/elf/notes.js';
import { buildElf, concat, note, strtab, writeTemp } from './tiny-elf.js';
import { haveTool, runTool } from '../truth/tools.js';
import { readelfBuildId, readelfText } from '../truth/readelf.js';
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
