/**
 * Issue #20 (src/formats/elf survivors): the edges of the ELF reader that the fixtures never reach —
 * extended numbering with one escape at a time, empty strings where a name is expected, indexes one past a
 * table, notes and version chains at their area's end — each checked against readelf reading the same bytes.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSource } from '../../src/formats/source.js';
import { elfLinking, parseElf } from '../../src/formats/elf/index.js';
import { buildElf, dynamicObject, dynamicTable, note, strtab, writeTemp, type TinyElf } from './tiny-elf.js';
import { haveTool, runTool } from '../truth/tools.js';
import { expectCode } from './expect-code.js';
import { scratchDir } from '../harness/scratch.js';
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
    const { bytes } = dynamicObject(
      str.bytes,
      (dynstr) => [
        [14, 0],
        [5, dynstr],
        [10, str.bytes.length],
      ],
      { link: true },
    );
    const img = parse(bytes);
    assert.equal(img.elf.soname, '');
    if (!haveTool(t, 'readelf')) return;
    assert.match(readelfText(writeTemp('soname-empty', bytes), ['-d', '-W']), /\(SONAME\)\s+Library soname: \[\]/);
  });
});

describe('ELF tables found through the section headers alone (no program headers)', () => {
  /** A shared object without program headers: .dynamic linked (sh_link) to `link`, string tables as given. */
  const noSegments = (tables: Array<[string, string[]]>, link: string, needed: string[]) => {
    const strs = tables.map(([name, names]) => [name, strtab(names)] as const);
    const used = (strs.find(([n]) => n === link) ?? strs.find(([n]) => n === '.dynstr'))![1];
    return buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      noLoad: true,
      sections: [
        ...strs.map(([name, s]) => ({ name, type: 3, flags: 2, data: s.bytes })),
        { name: '.data', type: 1, flags: 3, data: new Uint8Array(8) },
        {
          name: '.dynamic',
          type: 6,
          flags: 3,
          data: dynamicTable(
            64,
            true,
            needed.map((n) => [1, used.offsets.get(n)!]),
          ),
          link,
          align: 8,
        },
      ],
    }).bytes;
  };

  test('DT_NEEDED names come from the string table .dynamic links to, not from one named .dynstr (objdump -p reads the same)', (t) => {
    // the linked table is .strtab2; a decoy .dynstr holds other names at the same offsets
    const bytes = noSegments(
      [
        ['.dynstr', ['zzzzzzzzzzz', 'yyyyyyyyyyy']],
        ['.strtab2', ['libfoo.so.1', 'libbar.so.2']],
      ],
      '.strtab2',
      ['libfoo.so.1', 'libbar.so.2'],
    );
    const img = parse(bytes);
    assert.deepEqual(img.segments, []);
    assert.deepEqual(img.elf.needed, ['libfoo.so.1', 'libbar.so.2']);
    if (!haveTool(t, 'objdump')) return;
    const out = runTool('objdump', ['-p', writeTemp('dyn-linked', bytes)]);
    assert.deepEqual(
      [...out.matchAll(/^\s+NEEDED\s+(\S+)$/gm)].map((m) => m[1]),
      img.elf.needed,
    );
  });

  test('.dynamic linked to a section that is not a string table: the names are read from .dynstr, found by its name', () => {
    // objdump -p refuses this file ("attempt to load strings from a non-string section"); the reader, which
    // must say what the file needs, takes the one table the toolchains name .dynstr (an assumption, not a tool's answer)
    const bytes = noSegments([['.dynstr', ['libfoo.so.1', 'libbar.so.2']]], '.data', ['libfoo.so.1', 'libbar.so.2']);
    assert.deepEqual(parse(bytes).elf.needed, ['libfoo.so.1', 'libbar.so.2']);
  });
});

describe('ELF section 0', () => {
  test('section 0 is reserved (gABI): a type and a size past the end there are not a section to read — objdump skips it, readelf warns', (t) => {
    const { bytes, shoff } = sample(64, true);
    const v = new DataView(bytes.buffer);
    v.setUint32(shoff + 4, 1, true); // sh_type PROGBITS
    v.setBigUint64(shoff + 24, 0x100n, true); // sh_offset
    v.setBigUint64(shoff + 32, 0x100000n, true); // sh_size: far past the end of the file
    const img = parse(bytes);
    assert.deepEqual(
      img.sections.map((s) => s.name),
      ['', '.interp', '.text', '.note.x', '.shstrtab'],
    );
    if (!haveTool(t, 'readelf') || !haveTool(t, 'objdump')) return;
    const path = writeTemp('section0', bytes);
    assert.deepEqual(img.sections.map((s) => s.name).slice(1), readelfSectionNames(readelfText(path, ['-S', '-W'])).slice(1));
    const objdump = runTool('objdump', ['-h', path]);
    assert.deepEqual(
      [...objdump.matchAll(/^\s+\d+ (\S+)\s+[0-9a-f]{8}\s/gm)].map((m) => m[1]),
      ['.interp', '.text', '.note.x'],
    );
  });
});

describe('ELF symbols: a name outside the string table', () => {
  test('definedSymbols finds the intact names of a table whose one other name is damaged; symbols() calls the table E_CORRUPT', (t) => {
    const names = strtab(['main', '__libc_setup_tls']);
    const syms: Array<[number, number, number]> = [
      [names.offsets.get('main')!, 0x10000, 1],
      [0x7fff, 0x10010, 1], // st_name far outside .strtab
      [names.offsets.get('__libc_setup_tls')!, 0x10020, 1],
    ];
    const tab = new Uint8Array(24 * (syms.length + 1));
    const v = new DataView(tab.buffer);
    syms.forEach(([name, value, shndx], i) => {
      const o = 24 * (i + 1);
      v.setUint32(o, name, true);
      v.setUint8(o + 4, 0x12); // STB_GLOBAL, STT_FUNC
      v.setUint16(o + 6, shndx, true);
      v.setBigUint64(o + 8, BigInt(value), true);
      v.setBigUint64(o + 16, 4n, true);
    });
    const { bytes } = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      sections: [
        { name: '.text', type: 1, flags: 6, data: new Uint8Array(64) },
        { name: '.strtab', type: 3, data: names.bytes },
        { name: '.symtab', type: 2, data: tab, link: 2, info: 1, entsize: 24, align: 8 },
      ],
    });
    const img = parse(bytes);
    assert.deepEqual(
      img.definedSymbols(['main', '__libc_setup_tls']).map((s) => [s.name, s.addr, s.kind]),
      [
        ['main', 0x10000, 'text'],
        ['__libc_setup_tls', 0x10020, 'text'],
      ],
    );
    expectCode(() => img.symbols(), 'E_CORRUPT', /symbol name offset 32767/);
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('symname-bad', bytes), ['-s', '-W']);
    assert.match(out, /\s1: 0000000000010000\s+4 FUNC\s+GLOBAL DEFAULT\s+1 main$/m);
    assert.match(out, /\s2: 0000000000010010\s+4 FUNC\s+GLOBAL DEFAULT\s+1 <corrupt>$/m);
    assert.match(out, /\s3: 0000000000010020\s+4 FUNC\s+GLOBAL DEFAULT\s+1 __libc_setup_tls$/m);
  });
});

describe('ELF relocatable objects', () => {
  test('gcc -c output has no program headers and e_phentsize 0: read (type rel, no segments), as readelf -h shows it', (t) => {
    if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf')) return;
    const dir = scratchDir('gk-elf-obj-');
    writeFileSync(join(dir, 'f.c'), 'int f(int x) { return x + 1; }\n');
    const obj = join(dir, 'f.o');
    runTool('gcc', ['-c', '-o', obj, join(dir, 'f.c')]);
    const header = readelfText(obj, ['-h', '-S', '-W']);
    assert.match(header, /Size of program headers:\s+0 \(bytes\)/);
    assert.match(header, /Number of program headers:\s+0\n/);
    const img = parse(new Uint8Array(readFileSync(obj)));
    assert.equal(img.elf.type, 'rel');
    assert.deepEqual(img.segments, []);
    assert.deepEqual(
      img.sections.map((s) => s.name),
      readelfSectionNames(header),
    );
    assert.ok(img.sections.some((s) => s.name === '.text'));
    // its STT_SECTION symbols (one per section, readelf type SECTION) name sections, not code or data
    const sectionSyms = [...readelfText(obj, ['-s', '-W']).matchAll(/^\s+\d+: ([0-9a-f]+)\s+\d+ SECTION\s+LOCAL\s+DEFAULT\s+(\d+)/gm)];
    assert.ok(sectionSyms.some((m) => img.sections[Number(m[2])]?.name === '.text'));
    const kinds = img.symbols()!.filter((s) => s.name === '' && s.section >= 0);
    assert.equal(kinds.length, sectionSyms.length);
    assert.ok(
      kinds.every((s) => s.kind === 'other'),
      JSON.stringify(kinds),
    );
  });
});

describe('ELF dynamic flags and zero-size segments', () => {
  test('DT_FLAGS_1 present with value 0 is 0, not absent: readelf prints the tag', (t) => {
    const spec: TinyElf = {
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [{ name: '.dynamic', type: 6, flags: 3, data: dynamicTable(64, true, [[0x6ffffffb, 0]]), align: 8 }],
      segments: [{ type: 2, section: '.dynamic' }],
    };
    const { bytes } = buildElf(spec);
    const img = parse(bytes);
    assert.equal(img.elf.flags1, 0);
    assert.equal(img.elf.pieFlag, false);
    if (!haveTool(t, 'readelf')) return;
    assert.match(readelfText(writeTemp('flags1-zero', bytes), ['-d', '-W']), /\(FLAGS_1\)\s+Flags:/);
  });
  test('a dynamic table with no DT_NULL, its last entry ending the segment: every entry is read, as readelf -d reads them', (t) => {
    const str = strtab(['libfoo.so.1', 'libbar.so.2']);
    const o = (x: string) => str.offsets.get(x)!;
    // dynamicTable appends DT_NULL: cut it off, so the last DT_NEEDED ends exactly at the segment's end
    const { bytes } = dynamicObject(
      str.bytes,
      (dynstr) => [
        [5, dynstr],
        [10, str.bytes.length],
        [1, o('libfoo.so.1')],
        [1, o('libbar.so.2')],
      ],
      { bytes: 16 * 4 },
    );
    assert.deepEqual(parse(bytes).elf.needed, ['libfoo.so.1', 'libbar.so.2']);
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('dyn-no-null', bytes), ['-d', '-W']);
    assert.deepEqual(
      [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]),
      ['libfoo.so.1', 'libbar.so.2'],
    );
  });
  test('DT_STRSZ 0 bounds nothing: DT_NEEDED names are read at DT_STRTAB, as readelf -d (and the loader) read them', (t) => {
    const str = strtab(['libfoo.so.1']);
    const { bytes } = dynamicObject(
      str.bytes,
      (dynstr) => [
        [5, dynstr],
        [10, 0],
        [1, str.offsets.get('libfoo.so.1')!],
      ],
      { link: true },
    );
    assert.deepEqual(parse(bytes).elf.needed, ['libfoo.so.1']);
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('strsz-0', bytes), ['-d', '-W']);
    assert.match(out, /\(STRSZ\)\s+0 \(bytes\)/);
    assert.match(out, /\(NEEDED\)\s+Shared library: \[libfoo\.so\.1\]/);
  });
  test('a program header with p_filesz 0 and an offset past the end (PT_GNU_STACK-like) reads nothing: the file is read', (t) => {
    const { bytes, phoff } = sample(64, true);
    // the NOTE program header (the third) becomes GNU_STACK: p_offset far past the end, p_filesz 0
    const v = new DataView(bytes.buffer);
    const o = phoff + 2 * 56;
    v.setUint32(o, 0x6474e551, true);
    v.setBigUint64(o + 8, BigInt(bytes.length + 0x10000), true);
    v.setBigUint64(o + 32, 0n, true);
    v.setBigUint64(o + 40, 0n, true);
    const img = parse(bytes);
    assert.deepEqual(
      img.segments.map((g) => g.type),
      ['LOAD', 'INTERP', 'GNU_STACK'],
    );
    if (!haveTool(t, 'readelf')) return;
    assert.deepEqual(readelfSegmentTypes(readelfText(writeTemp('stack-past-end', bytes), ['-l', '-W'])), ['LOAD', 'INTERP', 'GNU_STACK']);
  });
});

describe('ELF linking kinds at the edges', () => {
  test('a non-PIE executable with a dynamic table but no loader and no libraries is static, not static-pie (readelf, and it runs)', (t) => {
    if (!haveTool(t, 'gcc') || !haveTool(t, 'readelf')) return;
    if (process.arch !== 'x64') return t.skip('the start routine below is x86-64 assembly');
    const dir = scratchDir('gk-elf-exec-dyn-');
    // no C library: _start exits 0 by a system call; -E exports its symbols, which makes ld emit a dynamic
    // table; --no-dynamic-linker leaves PT_INTERP out
    writeFileSync(join(dir, 's.c'), 'void _start(void) { __asm__ volatile("mov $60, %eax\\n xor %edi, %edi\\n syscall"); }\n');
    const exe = join(dir, 's');
    runTool('gcc', ['-no-pie', '-fno-pic', '-nostdlib', '-Wl,--no-dynamic-linker', '-Wl,-E', '-o', exe, join(dir, 's.c')]);
    const out = readelfText(exe, ['-h', '-l', '-d', '-W']);
    assert.match(out, /Type:\s+EXEC \(Executable file\)/);
    assert.deepEqual(
      readelfSegmentTypes(out).filter((s) => s === 'DYNAMIC' || s === 'INTERP'),
      ['DYNAMIC'],
    );
    assert.doesNotMatch(out, /\(NEEDED\)/);
    // at its link-time addresses it relocates nothing: it starts and exits 0 with no loader at all
    assert.equal(runTool(exe, []), ''); // execFileSync throws on a non-zero exit
    const img = parse(new Uint8Array(readFileSync(exe)));
    assert.equal(img.elf.type, 'exec');
    assert.equal(img.elf.hasDynamic, true);
    assert.equal(img.elf.interpreter, null);
    assert.equal(elfLinking(img), 'static');
  });
});
