/**
 * Issue #20 (src/formats/elf survivors): the edges of the ELF reader that the fixtures never reach —
 * extended numbering with one escape at a time, empty strings where a name is expected, indexes one past a
 * table, notes and version chains at their area's end — each checked against readelf reading the same bytes.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BufferSource } from '../../src/formats/source.js';
import { parseElf } from '../../src/formats/elf/index.js';
import { BASE, buildElf, dynamicTable, note, strtab, writeTemp, type TinyElf } from './tiny-elf.js';
import { haveTool } from '../truth/tools.js';
import { expectCode } from './expect-code.js';
import { readelfInterpreter, readelfSectionNames, readelfSegmentTypes, readelfText } from '../truth/readelf.js';

const EM_X86_64 = 62,
  EM_MIPS = 8;
const parse = (b: Uint8Array) => parseElf(new BufferSource(b));
const enc = (s: string) => new TextEncoder().encode(s);

/** Offsets of the header fields the escapes live in, and of section 0's fields, per class. */
const AT = {
  64: { phnum: 56, shnum: 60, shstrndx: 62, sh0size: 32, sh0link: 40, sh0info: 44, shdr: 64 },
  32: { phnum: 44, shnum: 48, shstrndx: 50, sh0size: 20, sh0link: 24, sh0info: 28, shdr: 40 },
} as const;

/** A small executable with sections and three program headers (LOAD, INTERP, NOTE). */
function sample(bits: 32 | 64, little: boolean) {
  return buildElf({
    bits,
    little,
    machine: bits === 64 ? EM_X86_64 : EM_MIPS,
    sections: [
      { name: '.interp', type: 1, flags: 2, data: enc('/lib/ld-linux.so.3\0') },
      { name: '.text', type: 1, flags: 6, data: new Uint8Array(16), align: 16 },
      { name: '.note.x', type: 7, flags: 2, data: note(little, 'GNU', 3, new Uint8Array([1, 2, 3, 4])), align: 4 },
    ],
    segments: [
      { type: 3, section: '.interp' },
      { type: 4, section: '.note.x' },
    ],
  });
}

describe('ELF extended numbering, one escape at a time (readelf reads the same)', () => {
  for (const [bits, little] of [
    [64, true],
    [32, false],
  ] as const) {
    const at = AT[bits];
    test(`ELF${bits}: e_shstrndx = SHN_XINDEX alone (e_shnum as is): the name table's index is section 0's sh_link`, (t) => {
      const { bytes, shoff } = sample(bits, little);
      const v = new DataView(bytes.buffer);
      const shstrndx = v.getUint16(at.shstrndx, little);
      v.setUint16(at.shstrndx, 0xffff, little);
      v.setUint32(shoff + at.sh0link, shstrndx, little);
      const img = parse(bytes);
      assert.equal(img.sections[shstrndx]?.name, '.shstrtab');
      assert.ok(img.sections.some((s) => s.name === '.text'));
      if (!haveTool(t, 'readelf')) return;
      assert.deepEqual(
        img.sections.map((s) => s.name),
        readelfSectionNames(readelfText(writeTemp(`xindex-only-${bits}`, bytes), ['-S', '-W'])),
      );
    });
    test(`ELF${bits}: e_phnum = PN_XNUM: the program header count is section 0's sh_info`, (t) => {
      const { bytes, shoff } = sample(bits, little);
      const v = new DataView(bytes.buffer);
      const phnum = v.getUint16(at.phnum, little);
      assert.equal(phnum, 3);
      v.setUint16(at.phnum, 0xffff, little);
      v.setUint32(shoff + at.sh0info, phnum, little);
      const img = parse(bytes);
      assert.deepEqual(
        img.segments.map((g) => g.type),
        ['LOAD', 'INTERP', 'NOTE'],
      );
      assert.equal(img.elf.interpreter, '/lib/ld-linux.so.3');
      if (!haveTool(t, 'readelf')) return;
      const out = readelfText(writeTemp(`pnxnum-${bits}`, bytes), ['-l', '-W']);
      assert.deepEqual(
        img.segments.map((g) => g.type),
        readelfSegmentTypes(out),
      );
    });
    test(`ELF${bits}: e_shoff set but e_shnum = 0 and section 0's sh_size = 0: no sections, not a damaged file`, (t) => {
      const { bytes } = sample(bits, little);
      const v = new DataView(bytes.buffer);
      v.setUint16(at.shnum, 0, little);
      v.setUint16(at.shstrndx, 0, little); // SHN_UNDEF: no name table
      const img = parse(bytes);
      assert.deepEqual(img.sections, []);
      assert.equal(img.elf.interpreter, '/lib/ld-linux.so.3');
      if (!haveTool(t, 'readelf')) return;
      // readelf warns ("non-zero section header offset, but no section headers") and reads no sections:
      // e_shnum 0, and 0 in section 0's sh_size (the number in brackets)
      assert.match(readelfText(writeTemp(`shnum0-${bits}`, bytes), ['-h', '-W']), /Number of section headers:\s+0 \(0\)/);
    });
  }
});

describe('ELF names at the end of their string table', () => {
  test("a section name offset equal to .shstrtab's size names nothing: E_CORRUPT, as readelf prints <corrupt>", (t) => {
    const { bytes, shoff } = sample(64, true);
    const v = new DataView(bytes.buffer);
    const shstrndx = v.getUint16(AT[64].shstrndx, true);
    const size = Number(v.getBigUint64(shoff + 64 * shstrndx + 32, true));
    v.setUint32(shoff + 64 * 2, size, true); // sh_name of section 2 (.text)
    expectCode(() => parse(bytes), 'E_CORRUPT', /section name offset/);
    // one less is the table's last byte, its closing NUL: an empty name
    v.setUint32(shoff + 64 * 2, size - 1, true);
    assert.equal(parse(bytes).sections[2]?.name, '');
    if (!haveTool(t, 'readelf')) return;
    v.setUint32(shoff + 64 * 2, size, true);
    assert.match(readelfText(writeTemp('name-at-end', bytes), ['-S', '-W']), /\[ 2\] <corrupt>/);
  });

  test('PT_INTERP of two NUL bytes: the interpreter is the empty path, as readelf prints it; one byte Linux refuses (E_CORRUPT)', (t) => {
    const interp = (data: Uint8Array) =>
      buildElf({
        bits: 64,
        little: true,
        machine: EM_X86_64,
        sections: [{ name: '.interp', type: 1, flags: 2, data }],
        segments: [{ type: 3, section: '.interp' }],
      }).bytes;
    const bytes = interp(new Uint8Array([0, 0]));
    assert.equal(parse(bytes).elf.interpreter, '');
    // load_elf_binary refuses p_filesz < 2 (docs/knowledge.md): not a program at all
    expectCode(() => parse(interp(new Uint8Array([0]))), 'E_CORRUPT', /PT_INTERP of 1 bytes/);
    if (!haveTool(t, 'readelf')) return;
    assert.equal(readelfInterpreter(readelfText(writeTemp('interp-empty', bytes), ['-l', '-W'])), '');
  });

  test('DT_SONAME naming offset 0 of .dynstr: the soname is the empty string, as readelf prints it', (t) => {
    const str = strtab(['libx.so.1']);
    const spec: TinyElf = {
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        {
          name: '.dynamic',
          type: 6,
          flags: 3,
          data: dynamicTable(64, true, [
            [14, 0],
            [5, 0],
            [10, 0],
          ]),
          link: '.dynstr',
          align: 8,
        },
      ],
      segments: [{ type: 2, section: '.dynamic' }],
    };
    const pre = buildElf(spec);
    spec.sections![1]!.data = dynamicTable(64, true, [
      [14, 0],
      [5, BASE + pre.offsets.get('.dynstr')!],
      [10, str.bytes.length],
    ]);
    const { bytes } = buildElf(spec);
    const img = parse(bytes);
    assert.equal(img.elf.soname, '');
    if (!haveTool(t, 'readelf')) return;
    assert.match(readelfText(writeTemp('soname-empty', bytes), ['-d', '-W']), /\(SONAME\)\s+Library soname: \[\]/);
  });
});
