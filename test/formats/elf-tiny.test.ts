/**
 * Hand-built ELF files for what real fixtures do not cover: both classes in both byte orders, files
 * without section headers, extended numbering, and damaged tables. Where readelf can read the file it is
 * the truth the parse is compared with.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BufferSource } from '../../src/formats/source.js';
import { elfArch, elfDynamicSymbols, elfLinking, isElf, libcFamily, parseElf } from '../../src/formats/elf/index.js';
import { BASE, buildElf, concat, dynamicTable, note, strtab, verdefTable, verneedTable, writeTemp, type TinyElf } from './tiny-elf.js';
import { haveTool } from '../truth/tools.js';
import { expectCode } from './expect-code.js';
import {
  readelfBuildId,
  readelfDynamicStrings,
  readelfInterpreter,
  readelfNeeded,
  readelfSectionNames,
  readelfSegmentTypes,
  readelfText,
  readelfVersionNeeds,
} from '../truth/readelf.js';

const EM_MIPS = 8,
  EM_PPC64 = 21,
  EM_S390 = 22,
  EM_ARM = 40,
  EM_X86_64 = 62,
  EM_AARCH64 = 183,
  EM_RISCV = 243,
  EM_LOONGARCH = 258,
  EM_386 = 3;

function parseBytes(b: Uint8Array) {
  return parseElf(new BufferSource(b));
}

/** A dynamically linked executable with every table the reader interprets. */
function dynamicSample(
  bits: 32 | 64,
  little: boolean,
  machine: number,
  opts: { interp?: string; osabi?: number; extraNotes?: Uint8Array } = {},
): TinyElf {
  const str = strtab([
    'libc.so.6',
    'libfoo.so.1',
    'libfoo.so.1',
    '$ORIGIN/../lib:/opt/x',
    'GLIBC_2.2.5',
    'GLIBC_2.34',
    'FOO_1.0',
    'libbar.so',
    'BAR_1',
    'BAR_2',
    'main',
    'data1',
    'bss1',
    'ext',
  ]);
  const o = (s: string) => str.offsets.get(s)!;
  const interp = new TextEncoder().encode((opts.interp ?? '/lib/ld-linux.so.3') + '\0');
  // .dynamic needs .dynstr's address, which the layout decides: .dynstr is first, right after headers
  const draft: TinyElf = {
    bits,
    little,
    machine,
    osabi: opts.osabi,
    type: 2,
    entry: 0x401000,
    sections: [
      { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
      { name: '.interp', type: 1, flags: 2, data: interp },
      { name: '.text', type: 1, flags: 6, data: new Uint8Array(32), align: 16 },
      { name: '.data', type: 1, flags: 3, data: new Uint8Array(16), align: 8 },
      { name: '.bss', type: 8, flags: 3, size: 4096, align: 8 },
      {
        name: '.gnu.version_r',
        type: 0x6ffffffe,
        flags: 2,
        data: verneedTable(little, [
          { file: o('libc.so.6'), versions: [o('GLIBC_2.2.5'), o('GLIBC_2.34')] },
          { file: o('libfoo.so.1'), versions: [o('FOO_1.0')] },
        ]),
        link: '.dynstr',
        info: 2,
        align: 4,
      },
      {
        name: '.note.gnu.build-id',
        type: 7,
        flags: 2,
        data: note(little, 'GNU', 3, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4])),
        align: 4,
      },
      {
        name: '.note.go.buildid',
        type: 7,
        flags: 2,
        data: concat(note(little, 'Go', 4, new TextEncoder().encode('abc/def')), opts.extraNotes ?? new Uint8Array(0)),
        align: 4,
      },
      { name: '.comment', type: 1, data: new TextEncoder().encode('tiny\0') },
    ],
    segments: [
      { type: 3, section: '.interp' },
      { type: 2, section: '.dynamic', flags: 6 },
      { type: 4, section: '.note.gnu.build-id' },
      { type: 0x6474e551, flags: 6 },
    ],
  };
  const pre = buildElf({
    ...draft,
    sections: [
      ...draft.sections!,
      { name: '.dynamic', type: 6, flags: 3, data: new Uint8Array(bits === 64 ? 16 * 9 : 8 * 9), link: '.dynstr', align: 8 },
    ],
  });
  const strAddr = BASE + pre.offsets.get('.dynstr')!;
  const vnAddr = BASE + pre.offsets.get('.gnu.version_r')!;
  const dyn = dynamicTable(bits, little, [
    [1, o('libc.so.6')],
    [1, o('libfoo.so.1')],
    [29, o('$ORIGIN/../lib:/opt/x')],
    [5, strAddr],
    [10, str.bytes.length],
    [0x6ffffffb, 0x08000001],
    [0x6ffffffe, vnAddr],
    [0x6fffffff, 2],
  ]);
  return { ...draft, sections: [...draft.sections!, { name: '.dynamic', type: 6, flags: 3, data: dyn, link: '.dynstr', align: 8 }] };
}

function readelfFacts(path: string) {
  const out = readelfText(path);
  const needs = readelfVersionNeeds(out);
  return {
    out,
    interp: readelfInterpreter(out),
    needed: readelfNeeded(out),
    runpath: readelfDynamicStrings(out, 'RUNPATH', 'Library runpath')[0] ?? null,
    verneedFiles: needs.map((n) => n.file),
    verneedNames: needs.flatMap((n) => n.versions),
    buildId: readelfBuildId(out),
    sectionNames: readelfSectionNames(out),
    segTypes: readelfSegmentTypes(out),
  };
}

describe('hand-built ELF: classes and byte orders, checked with readelf', () => {
  const cases: Array<[string, 32 | 64, boolean, number, string]> = [
    ['ELF32 big-endian MIPS', 32, false, EM_MIPS, 'mips'],
    ['ELF32 little-endian ARM', 32, true, EM_ARM, 'arm'],
    ['ELF64 big-endian PowerPC64', 64, false, EM_PPC64, 'ppc64'],
    ['ELF64 little-endian PowerPC64', 64, true, EM_PPC64, 'ppc64le'],
    ['ELF64 big-endian s390x', 64, false, EM_S390, 's390x'],
  ];
  for (const [label, bits, little, machine, arch] of cases) {
    test(label, (t) => {
      const { bytes } = buildElf(dynamicSample(bits, little, machine));
      const img = parseBytes(bytes);
      assert.equal(img.bits, bits);
      assert.equal(img.endian, little ? 'little' : 'big');
      assert.equal(img.arch, arch);
      assert.equal(img.entry, 0x401000);
      if (!haveTool(t, 'readelf')) return;
      const r = readelfFacts(writeTemp(`tiny-${bits}-${little}-${machine}`, bytes));
      assert.equal(img.elf.interpreter, r.interp);
      assert.deepEqual(img.elf.needed, r.needed);
      assert.deepEqual(img.elf.runpath, r.runpath!.split(':'));
      assert.deepEqual(
        img.elf.versionNeeds.map((v) => v.file),
        r.verneedFiles,
      );
      assert.deepEqual(
        img.elf.versionNeeds.flatMap((v) => v.versions),
        r.verneedNames,
      );
      assert.equal(img.elf.gnuBuildId, r.buildId);
      assert.deepEqual(
        img.sections.map((s) => s.name),
        r.sectionNames,
      );
      assert.deepEqual(
        img.segments.map((s) => s.type),
        r.segTypes,
      );
      assert.equal(img.elf.goBuildId, 'abc/def');
      assert.equal(img.elf.pieFlag, true);
      assert.equal(elfLinking(img), 'dynamic');
      assert.deepEqual(img.elf.problems, []);
      const bss = img.sections.find((s) => s.name === '.bss')!;
      assert.equal(bss.fileSize, 0);
      assert.equal(bss.size, 4096);
      assert.ok(bss.alloc && bss.write && !bss.exec);
      const text = img.sections.find((s) => s.name === '.text')!;
      assert.ok(text.alloc && text.exec && !text.write);
      assert.equal(img.hasSymbols, false);
      assert.equal(img.symbols(), null);
    });
  }
});

describe('hand-built ELF: e_machine names', () => {
  // GOARCH names are Go's; the e_machine numbers behind them are checked against readelf's names.
  const cases: Array<[number, 32 | 64, boolean, string, RegExp]> = [
    [EM_X86_64, 64, true, 'amd64', /X86-64/],
    [EM_386, 32, true, '386', /80386/],
    [EM_AARCH64, 64, true, 'arm64', /AArch64/],
    [EM_ARM, 32, true, 'arm', /ARM$/m],
    [EM_RISCV, 64, true, 'riscv64', /RISC-V/],
    [EM_LOONGARCH, 64, true, 'loong64', /LoongArch/],
    [EM_MIPS, 64, true, 'mips64le', /MIPS R3000/],
    [EM_MIPS, 64, false, 'mips64', /MIPS R3000/],
    [EM_MIPS, 32, true, 'mipsle', /MIPS R3000/],
    [EM_S390, 64, false, 's390x', /S\/390/],
  ];
  for (const [machine, bits, little, arch, name] of cases) {
    test(`${arch}`, (t) => {
      const { bytes } = buildElf({ bits, little, machine });
      const img = parseBytes(bytes);
      assert.equal(img.arch, arch);
      assert.equal(elfArch(machine, bits, little), arch);
      assert.equal(elfLinking(img), 'static');
      assert.equal(libcFamily(img), 'none');
      if (!haveTool(t, 'readelf')) return;
      const machineLine = /Machine:\s+(.*)$/m.exec(readelfText(writeTemp(`m-${machine}-${bits}-${little}`, bytes), ['-h']))?.[1] ?? '';
      assert.match(machineLine, name);
    });
  }
});

describe('hand-built ELF: files without section headers', () => {
  for (const bits of [64, 32] as const) {
    test(`ELF${bits}: a file that is only its headers, the program header table ending at the last byte, is read`, (t) => {
      // the layout of the smallest ELF programs: no sections, one LOAD header right after the ELF header
      const b = buildElf({ bits, little: true, machine: bits === 64 ? EM_X86_64 : EM_386, noSectionHeaders: true }).bytes;
      assert.equal(b.length, bits === 64 ? 64 + 56 : 52 + 32);
      const img = parseBytes(b);
      assert.deepEqual(
        img.segments.map((g) => g.type),
        ['LOAD'],
      );
      assert.equal(img.sections.length, 0);
      if (!haveTool(t, 'readelf')) return;
      assert.deepEqual(readelfSegmentTypes(readelfText(writeTemp(`headers-only-${bits}`, b), ['-l', '-W'])), ['LOAD']);
    });
  }
  test('dynamic table, strings and version needs are found through PT_DYNAMIC and LOAD', (t) => {
    // e_shoff = e_shnum = e_shstrndx = 0: what sstrip leaves
    const b = buildElf({ ...dynamicSample(64, true, EM_X86_64, { interp: '/lib/ld-musl-x86_64.so.1' }), noSectionHeaders: true }).bytes;
    const img = parseBytes(b);
    assert.equal(img.sections.length, 0);
    assert.equal(img.elf.interpreter, '/lib/ld-musl-x86_64.so.1');
    assert.deepEqual(img.elf.needed, ['libc.so.6', 'libfoo.so.1']);
    assert.deepEqual(img.elf.versionNeeds, [
      { file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.34'] },
      { file: 'libfoo.so.1', versions: ['FOO_1.0'] },
    ]);
    assert.equal(img.elf.gnuBuildId, 'deadbeef01020304'); // from PT_NOTE
    assert.equal(img.hasDwarf, false);
    if (!haveTool(t, 'readelf')) return;
    const r = readelfFacts(writeTemp('nosections', b));
    assert.deepEqual(img.elf.needed, r.needed);
    assert.equal(img.elf.interpreter, r.interp);
  });

  test('a shared library with a verdef table and no sections', () => {
    const str = strtab(['libz.so.1', 'ZLIB_1.2.0', 'ZLIB_1.2.13', 'ZLIB_1.2.9']);
    const o = (s: string) => str.offsets.get(s)!;
    const spec: TinyElf = {
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        {
          name: '.gnu.version_d',
          type: 0x6ffffffd,
          flags: 2,
          data: verdefTable(true, [o('libz.so.1'), o('ZLIB_1.2.0'), o('ZLIB_1.2.13'), o('ZLIB_1.2.9')]),
          link: '.dynstr',
          info: 4,
          align: 4,
        },
        { name: '.dynamic', type: 6, flags: 3, data: dynamicTable(64, true, []), align: 8 },
      ],
      segments: [{ type: 2, section: '.dynamic' }],
    };
    const pre = buildElf(spec);
    spec.sections![2]!.data = dynamicTable(64, true, [
      [14, o('libz.so.1')],
      [5, BASE + pre.offsets.get('.dynstr')!],
      [10, str.bytes.length],
      [0x6ffffffc, BASE + pre.offsets.get('.gnu.version_d')!],
      [0x6ffffffd, 4],
    ]);
    const withSections = parseBytes(buildElf(spec).bytes);
    const bare = buildElf({ ...spec, noSectionHeaders: true });
    const noSections = parseBytes(bare.bytes);
    for (const img of [withSections, noSections]) {
      assert.equal(img.elf.soname, 'libz.so.1');
      assert.deepEqual(img.elf.versionDefs, ['ZLIB_1.2.0', 'ZLIB_1.2.13', 'ZLIB_1.2.9']);
      assert.equal(elfLinking(img), 'static-pie');
    }
    assert.equal(noSections.sections.length, 0);
  });
});

describe('hand-built ELF: extended numbering', () => {
  test('e_shnum = 0 and e_shstrndx = SHN_XINDEX take their values from section header 0', (t) => {
    const { bytes, shoff } = buildElf(dynamicSample(32, false, EM_MIPS));
    const v = new DataView(bytes.buffer);
    const shnum = v.getUint16(48, false),
      shstrndx = v.getUint16(50, false);
    v.setUint16(48, 0, false);
    v.setUint16(50, 0xffff, false);
    v.setUint32(shoff + 20, shnum, false); // sh_size of section 0
    v.setUint32(shoff + 24, shstrndx, false); // sh_link of section 0
    const img = parseBytes(bytes);
    assert.equal(img.sections.length, shnum);
    assert.equal(img.sections[shstrndx]?.name, '.shstrtab');
    // e_phnum is not PN_XNUM here: the program headers keep their own count (sh_info of section 0 is 0)
    assert.equal(img.segments.length, parseBytes(buildElf(dynamicSample(32, false, EM_MIPS)).bytes).segments.length);
    assert.ok(img.segments.length > 0);
    if (!haveTool(t, 'readelf')) return;
    const r = readelfFacts(writeTemp('xnum', bytes));
    assert.deepEqual(
      img.sections.map((s) => s.name),
      r.sectionNames,
    );
    assert.deepEqual(
      img.segments.map((g) => g.type),
      r.segTypes,
    );
  });
});

describe('hand-built ELF: symbols', () => {
  test('.symtab kinds from section flags, SHN_UNDEF and SHN_ABS, compared with readelf -s', (t) => {
    for (const [bits, little] of [
      [64, true],
      [32, false],
    ] as const) {
      const names = strtab(['main', 'data1', 'bss1', 'ext', 'absval', 'ro1']);
      const es = bits === 64 ? 24 : 16;
      // section indexes: 1 .text, 2 .rodata, 3 .data, 4 .bss, 5 .strtab, 6 .symtab, 7 .shstrtab
      const syms: Array<[string, number, number, number, number]> = [
        ['', 0, 0, 0, 0],
        ['main', BASE + 0x100, 32, 0x12, 1],
        ['ro1', BASE + 0x200, 4, 0x11, 2],
        ['data1', BASE + 0x300, 8, 0x11, 3],
        ['bss1', BASE + 0x400, 64, 0x11, 4],
        ['ext', 0, 0, 0x12, 0],
        ['absval', 0x1234, 0, 0x10, 0xfff1],
      ];
      const tab = new Uint8Array(syms.length * es);
      const v = new DataView(tab.buffer);
      syms.forEach(([n, value, size, info, shndx], i) => {
        const o = i * es;
        v.setUint32(o, names.offsets.get(n)!, little);
        if (bits === 64) {
          v.setUint8(o + 4, info);
          v.setUint16(o + 6, shndx, little);
          v.setBigUint64(o + 8, BigInt(value), little);
          v.setBigUint64(o + 16, BigInt(size), little);
        } else {
          v.setUint32(o + 4, value, little);
          v.setUint32(o + 8, size, little);
          v.setUint8(o + 12, info);
          v.setUint16(o + 14, shndx, little);
        }
      });
      const { bytes } = buildElf({
        bits,
        little,
        machine: bits === 64 ? EM_X86_64 : EM_MIPS,
        sections: [
          { name: '.text', type: 1, flags: 6, data: new Uint8Array(16) },
          { name: '.rodata', type: 1, flags: 2, data: new Uint8Array(16) },
          { name: '.data', type: 1, flags: 3, data: new Uint8Array(16) },
          { name: '.bss', type: 8, flags: 3, size: 64 },
          { name: '.strtab', type: 3, data: names.bytes },
          { name: '.symtab', type: 2, data: tab, link: 5, info: 1, entsize: es, align: 8 },
        ],
      });
      const img = parseBytes(bytes);
      assert.equal(img.hasSymbols, true);
      const got = img.symbols()!;
      assert.deepEqual(
        got.map((s) => [s.name, s.kind, s.section]),
        [
          ['main', 'text', 1],
          ['ro1', 'rodata', 2],
          ['data1', 'data', 3],
          ['bss1', 'bss', 4],
          ['ext', 'undef', -1],
          ['absval', 'other', -1],
        ],
      );
      assert.equal(img.symbols(), got, 'read once, then cached');
      assert.equal(elfDynamicSymbols(img), null);
      if (!haveTool(t, 'readelf')) continue;
      const rows = [
        ...readelfText(writeTemp(`syms-${bits}`, bytes), ['-s', '-W']).matchAll(
          /^\s+\d+: ([0-9a-f]+)\s+(\d+)\s+\w+\s+\w+\s+\w+\s+\S+\s*(\S*)$/gm,
        ),
      ]
        .slice(1)
        .map((m) => [m[3], parseInt(m[1]!, 16), Number(m[2])]);
      assert.deepEqual(
        got.map((s) => [s.name, s.addr, s.size]),
        rows,
      );
    }
  });

  test('wrong symbol entry size is E_CORRUPT, raised by symbols() only', () => {
    const names = strtab(['a']);
    const { bytes } = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      sections: [
        { name: '.strtab', type: 3, data: names.bytes },
        { name: '.symtab', type: 2, data: new Uint8Array(48), link: 1, entsize: 20 },
      ],
    });
    const img = parseBytes(bytes);
    assert.equal(img.hasSymbols, true);
    expectCode(() => img.symbols(), 'E_CORRUPT');
  });

  test('a symbol table linked to a section that is not a string table, or to none, is E_CORRUPT', () => {
    // readelf names a string table's entries by sh_link; a PROGBITS (or missing) section there is a broken file
    for (const link of [1, 9]) {
      const { bytes } = buildElf({
        bits: 64,
        little: true,
        machine: EM_X86_64,
        sections: [
          { name: '.data', type: 1, flags: 3, data: new Uint8Array(16) },
          { name: '.symtab', type: 2, data: new Uint8Array(48), link, entsize: 24 },
        ],
      });
      expectCode(() => parseBytes(bytes).symbols(), 'E_CORRUPT');
    }
  });
});

describe('hand-built ELF: a version table whose string table is not one', () => {
  // sh_link of .gnu.version_r names the section its file and version names are in (readelf reads them
  // there); a PROGBITS section, or an index past the section table, is a broken table, not names: the
  // part is reported (E_CORRUPT) and the rest of the file still read
  const cases: Array<[string, (s: NonNullable<TinyElf['sections']>[number]) => NonNullable<TinyElf['sections']>[number]]> = [
    ['linked to .text', (s) => (s.name === '.gnu.version_r' ? { ...s, link: '.text' } : s)],
    ['linked to section 99, past the section table', (s) => (s.name === '.gnu.version_r' ? { ...s, link: 99 } : s)],
    // the same bytes, so every name offset still lands on a name: only the section's type says they are not
    ['linked to .dynstr retyped PROGBITS', (s) => (s.name === '.dynstr' ? { ...s, type: 1 } : s)],
  ];
  for (const [what, change] of cases) {
    test(`.gnu.version_r ${what}: no version needs, an E_CORRUPT problem`, () => {
      const sample = dynamicSample(64, true, EM_X86_64);
      const sections = sample.sections!.map(change);
      const img = parseBytes(buildElf({ ...sample, sections }).bytes);
      assert.deepEqual(img.elf.versionNeeds, []);
      assert.deepEqual(
        img.elf.problems.map((p) => p.code),
        ['E_CORRUPT'],
      );
      assert.deepEqual(img.elf.needed, ['libc.so.6', 'libfoo.so.1']);
    });
  }
  test('linked to .dynstr (the sample as built) the needs are read', () => {
    const img = parseBytes(buildElf(dynamicSample(64, true, EM_X86_64)).bytes);
    assert.deepEqual(
      img.elf.versionNeeds.map((v) => [v.file, v.versions]),
      [
        ['libc.so.6', ['GLIBC_2.2.5', 'GLIBC_2.34']],
        ['libfoo.so.1', ['FOO_1.0']],
      ],
    );
    assert.deepEqual(img.elf.problems, []);
  });
});

describe('hand-built ELF: OS detection', () => {
  const desc = new Uint8Array(16);
  test('Android by its loader', () => {
    assert.equal(parseBytes(buildElf(dynamicSample(64, true, EM_AARCH64, { interp: '/system/bin/linker64' })).bytes).os, 'android');
  });
  test('FreeBSD by OS/ABI and by its ABI note', () => {
    assert.equal(parseBytes(buildElf({ bits: 64, little: true, machine: EM_X86_64, osabi: 9 }).bytes).os, 'freebsd');
    const img = parseBytes(
      buildElf(dynamicSample(64, true, EM_X86_64, { extraNotes: note(true, 'FreeBSD', 1, desc.subarray(0, 4)) })).bytes,
    );
    assert.equal(img.os, 'freebsd');
  });
  test('OpenBSD and NetBSD by OS/ABI', () => {
    assert.equal(parseBytes(buildElf({ bits: 64, little: true, machine: EM_X86_64, osabi: 12 }).bytes).os, 'openbsd');
    assert.equal(parseBytes(buildElf({ bits: 64, little: true, machine: EM_X86_64, osabi: 2 }).bytes).os, 'netbsd');
  });
  test('a GNU ABI tag note gives the OS word and minimum kernel', () => {
    const tag = new Uint8Array(16);
    const v = new DataView(tag.buffer);
    v.setUint32(0, 0, true);
    v.setUint32(4, 3, true);
    v.setUint32(8, 2, true);
    v.setUint32(12, 0, true);
    const img = parseBytes(buildElf(dynamicSample(64, true, EM_X86_64, { extraNotes: note(true, 'GNU', 1, tag) })).bytes);
    assert.equal(img.os, 'linux');
    assert.deepEqual(img.elf.gnuAbiTag, { os: 0, version: '3.2.0' });
  });
});

describe('hand-built ELF: a version-need record that fills its section', () => {
  test('one Elf_Verneed with no versions (vn_cnt 0) in 16 bytes, sh_info 1: read, as readelf -V does', (t) => {
    const sample = dynamicSample(64, true, EM_X86_64);
    const dynstr = sample.sections!.find((s) => s.name === '.dynstr')!.data!;
    // 'libc.so.6' is the first name of the sample's string table: offset 1
    assert.equal(new TextDecoder().decode(dynstr.subarray(1, 10)), 'libc.so.6');
    const table = verneedTable(true, [{ file: 1, versions: [] }]);
    assert.equal(table.length, 16);
    const sections = sample.sections!.map((s) => (s.name === '.gnu.version_r' ? { ...s, data: table, info: 1 } : s));
    const bytes = buildElf({ ...sample, sections }).bytes;
    const img = parseBytes(bytes);
    assert.deepEqual(img.elf.problems, []);
    assert.deepEqual(img.elf.versionNeeds, [{ file: 'libc.so.6', versions: [] }]);
    if (!haveTool(t, 'readelf')) return;
    assert.match(readelfText(writeTemp('verneed-full', bytes), ['-V', '-W']), /File: libc\.so\.6\s+Cnt: 0/);
  });
});

describe('hand-built ELF: a note with no descriptor', () => {
  test('the last note of its area, name padded to 4 and no descriptor, ends the area exactly: read, as readelf -n does', (t) => {
    // 12-byte header + "XYZ\0" (4 bytes, no padding) + 0 descriptor bytes: the note's name ends where the area ends
    const empty = note(true, 'XYZ', 1, new Uint8Array(0));
    assert.equal(empty.length, 16);
    const bytes = buildElf(dynamicSample(64, true, EM_X86_64, { extraNotes: empty })).bytes;
    const img = parseBytes(bytes);
    assert.deepEqual(img.elf.problems, []);
    assert.equal(img.elf.goBuildId, 'abc/def');
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('empty-desc-note', bytes), ['-n', '-W']);
    assert.match(out, /^\s+XYZ\s+0x00000000\s/m);
    assert.match(out, /^\s+Go\s+0x00000007\s/m);
  });
});

describe('hand-built ELF: damaged input', () => {
  const good = () => buildElf(dynamicSample(64, true, EM_X86_64));

  test('isElf', () => {
    assert.equal(isElf(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2])), true);
    assert.equal(isElf(new Uint8Array([0x7f, 0x45, 0x4c])), false);
    assert.equal(isElf(new TextEncoder().encode('#!/bin/sh')), false);
  });
  test('no magic is E_NOT_BINARY, also for files shorter than the magic', () => {
    expectCode(() => parseBytes(new TextEncoder().encode('#!/bin/sh\necho hi\n')), 'E_NOT_BINARY');
    expectCode(() => parseBytes(new Uint8Array([0x7f, 0x45])), 'E_NOT_BINARY');
    expectCode(() => parseBytes(new Uint8Array(0)), 'E_NOT_BINARY');
  });
  test('a header cut short is E_TRUNCATED', () => {
    const b = good().bytes;
    // 4 bytes: the whole magic and nothing after it is an ELF cut short, not some other file
    for (const n of [4, 5, 16, 40, 63]) expectCode(() => parseBytes(b.slice(0, n)), 'E_TRUNCATED');
  });
  test('bad class or data byte is E_CORRUPT', () => {
    const a = good().bytes;
    a[4] = 3;
    expectCode(() => parseBytes(a), 'E_CORRUPT');
    const b = good().bytes;
    b[5] = 0;
    expectCode(() => parseBytes(b), 'E_CORRUPT');
  });
  test('wrong e_shentsize / e_phentsize is E_CORRUPT', () => {
    const a = good().bytes;
    new DataView(a.buffer).setUint16(58, 40, true);
    expectCode(() => parseBytes(a), 'E_CORRUPT');
    const b = good().bytes;
    new DataView(b.buffer).setUint16(54, 32, true);
    expectCode(() => parseBytes(b), 'E_CORRUPT');
  });
  test('e_shstrndx outside the table is E_CORRUPT', () => {
    const a = good().bytes;
    new DataView(a.buffer).setUint16(62, 200, true);
    expectCode(() => parseBytes(a), 'E_CORRUPT');
  });
  test('a section-name table of type NOBITS (no file contents) is E_CORRUPT, though its offset and size still point at the names', () => {
    const { bytes, shoff } = good();
    const v = new DataView(bytes.buffer);
    const shstrndx = v.getUint16(62, true);
    assert.equal(parseBytes(bytes).sections[shstrndx]?.name, '.shstrtab');
    v.setUint32(shoff + 64 * shstrndx + 4, 8, true); // sh_type = SHT_NOBITS
    expectCode(() => parseBytes(bytes), 'E_CORRUPT');
  });
  test('a section name offset outside .shstrtab is E_CORRUPT', () => {
    const { bytes, shoff } = good();
    new DataView(bytes.buffer).setUint32(shoff + 64 * 3, 0x7fffffff, true);
    expectCode(() => parseBytes(bytes), 'E_CORRUPT');
  });
  test('absurd counts are refused before anything is allocated', () => {
    const a = good().bytes;
    new DataView(a.buffer).setUint16(56, 0xfffe, true); // e_phnum
    expectCode(() => parseBytes(a), 'E_TRUNCATED');
    const b = good().bytes;
    new DataView(b.buffer).setUint16(60, 0xfffe, true); // e_shnum
    expectCode(() => parseBytes(b), 'E_TRUNCATED');
    const { bytes: c, shoff } = good();
    const v = new DataView(c.buffer);
    v.setUint16(60, 0, true); // e_shnum = 0: the count comes from section 0's sh_size
    v.setBigUint64(shoff + 32, 0x7fffffffffffn, true);
    expectCode(() => parseBytes(c), 'E_TRUNCATED');
    const d = good().bytes;
    new DataView(d.buffer).setBigUint64(40, 0xffffffffffffffffn, true); // e_shoff past 2^53
    expectCode(() => parseBytes(d), 'E_CORRUPT');
  });
  test('a section past the end of the file is E_TRUNCATED', () => {
    const { bytes, shoff } = good();
    new DataView(bytes.buffer).setBigUint64(shoff + 64 * 2 + 32, 1n << 40n, true); // sh_size of section 2
    expectCode(() => parseBytes(bytes), 'E_TRUNCATED');
  });
  test('PT_INTERP up to PATH_MAX (4096 bytes with its NUL) is a path, one byte more is E_CORRUPT, as Linux has it', () => {
    // load_elf_binary refuses p_filesz > PATH_MAX (docs/knowledge.md): 4095 characters and the NUL still run
    const longest = '/' + 'l'.repeat(4094);
    assert.equal(parseBytes(buildElf(dynamicSample(64, true, EM_X86_64, { interp: longest })).bytes).elf.interpreter, longest);
    expectCode(() => parseBytes(buildElf(dynamicSample(64, true, EM_X86_64, { interp: longest + 'l' })).bytes), 'E_CORRUPT');
  });
  test('a DT_NEEDED name outside the string table is E_CORRUPT', () => {
    const spec = dynamicSample(64, true, EM_X86_64);
    const lay = buildElf(spec);
    const off = lay.offsets.get('.dynamic')!;
    new DataView(lay.bytes.buffer).setBigUint64(off + 8, 0xfffffn, true); // first entry's d_val
    expectCode(() => parseBytes(lay.bytes), 'E_CORRUPT');
  });
  test('a damaged version table or note is recorded as a problem; the rest is still read', () => {
    const lay = buildElf(dynamicSample(64, true, EM_X86_64));
    const v = new DataView(lay.bytes.buffer);
    v.setUint32(lay.offsets.get('.gnu.version_r')! + 4, 0xffffff, true); // vn_file outside .dynstr
    v.setUint32(lay.offsets.get('.note.gnu.build-id')! + 4, 0xffff, true); // n_descsz past the note
    const img = parseBytes(lay.bytes);
    assert.deepEqual(img.elf.versionNeeds, []);
    assert.deepEqual(
      img.elf.problems.map((p) => p.code),
      ['E_CORRUPT', 'E_CORRUPT'],
    );
    assert.match(img.elf.problems[0]!.message, /version needs/);
    assert.match(img.elf.problems[1]!.message, /notes/);
    assert.deepEqual(img.elf.needed, ['libc.so.6', 'libfoo.so.1']);
    assert.equal(img.elf.gnuBuildId, null);
  });
  test('a cyclic version chain ends', () => {
    const lay = buildElf(dynamicSample(64, true, EM_X86_64));
    const v = new DataView(lay.bytes.buffer);
    const vn = lay.offsets.get('.gnu.version_r')!;
    v.setUint32(vn + 12, 0, true); // vn_next of the first record: stop after one
    const shoff = lay.shoff;
    // sh_info of .gnu.version_r (section 6) claims 40000 records
    v.setUint32(shoff + 64 * 6 + 44, 40000, true);
    const img = parseBytes(lay.bytes);
    assert.equal(img.elf.problems.length, 1);
    assert.equal(img.elf.problems[0]!.code, 'E_CORRUPT');
  });
});
