/**
 * Hand-built Mach-O files for what the Go fixtures do not cover: both word sizes in both byte orders,
 * every load command the reader interprets, universal files (fat and fat64) with two slices, and
 * damaged headers. Expected values are known by construction and cross-checked with Go's debug/macho
 * (binfacts) and `file` where they read the format.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BufferSource } from '../../src/formats/source.js';
import { parseMacho, parseFat, SliceSource, type MachoDetailsFull } from '../../src/formats/macho/index.js';
import { parseBinary, detectFormat } from '../../src/formats/open.js';
import { binfacts, writeTemp } from './macho-pe-truth.js';
import { haveTool } from '../truth/tools.js';
import { expectCode } from './expect-code.js';
import { fileBrief } from '../truth/file.js';

class W {
  private parts: number[] = [];
  constructor(private readonly le: boolean) {}
  get length(): number {
    return this.parts.length;
  }
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.parts.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u64(v: number): this {
    const lo = v % 2 ** 32;
    const hi = Math.floor(v / 2 ** 32);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  ptr(v: number, is64: boolean): this {
    return is64 ? this.u64(v) : this.u32(v);
  }
  name16(s: string): this {
    for (let i = 0; i < 16; i++) this.parts.push(i < s.length ? s.charCodeAt(i) : 0);
    return this;
  }
  bytes(b: Iterable<number>): this {
    this.parts.push(...b);
    return this;
  }
  cstr(s: string, padTo = 8): this {
    this.bytes(Buffer.from(s + '\0', 'latin1'));
    while (this.parts.length % padTo) this.parts.push(0);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

interface Tiny {
  is64: boolean;
  le: boolean;
  cputype: number;
  /** offsets inside the file, for assertions */
  textOff: number;
  dataOff: number;
  symoff: number;
  bytes: Uint8Array;
}

const UUID = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
const TEXT_VM = 0x100000;
const DATA_VM = 0x200000;
const LONG_SECT = '__sixteen_chars_'; // exactly 16 bytes: no NUL in the field

/** An executable with two segments (4 sections), a symbol table and every interpreted command. */
function tinyMacho(is64: boolean, le: boolean, cputype: number, opts: { buildVersion?: boolean; subtype?: number } = {}): Tiny {
  const hdr = is64 ? 32 : 28;
  const segHdr = is64 ? 72 : 56;
  const secSize = is64 ? 80 : 68;
  const lcStr = (cmd: number, fixed: number, s: string) => {
    const body = new W(le).cstr(s, is64 ? 8 : 4).done();
    const w = new W(le)
      .u32(cmd)
      .u32(fixed + body.length)
      .u32(fixed);
    if (fixed > 12) w.u32(2).u32(0x10000).u32(0x10000); // dylib: timestamp, versions
    return w.bytes(body).done();
  };
  // layout: header, commands, then text (32 bytes), data (16 bytes), nlist, strings
  const cmdsDraft = (textOff: number, dataOff: number, symoff: number, stroff: number, strsize: number, fileSize: number) => {
    const seg = (
      name: string,
      vm: number,
      fileoff: number,
      filesize: number,
      prot: number,
      sects: [string, number, number, number, number][],
    ) => {
      const w = new W(le)
        .u32(is64 ? 0x19 : 0x1)
        .u32(segHdr + sects.length * secSize)
        .name16(name);
      w.ptr(vm, is64).ptr(0x1000, is64).ptr(fileoff, is64).ptr(filesize, is64).u32(7).u32(prot).u32(sects.length).u32(0);
      for (const [sname, addr, size, off, flags] of sects) {
        w.name16(sname).name16(name).ptr(addr, is64).ptr(size, is64).u32(off).u32(2).u32(0).u32(0).u32(flags).u32(0).u32(0);
        if (is64) w.u32(0);
      }
      return w.done();
    };
    const cmds = [
      seg('__TEXT', TEXT_VM, 0, dataOff, 5, [
        ['__text', TEXT_VM + textOff, 16, textOff, 0x80000400],
        [LONG_SECT, TEXT_VM + textOff + 16, 16, textOff + 16, 0],
      ]),
      seg('__DATA', DATA_VM, dataOff, 16, 3, [
        ['__data', DATA_VM, 16, dataOff, 0],
        ['__bss', DATA_VM + 16, 64, 0, 0x1],
      ]),
      new W(le).u32(0x2).u32(24).u32(symoff).u32(4).u32(stroff).u32(strsize).done(),
      new W(le).u32(0xb).u32(80).bytes(new Array(72).fill(0)).done(),
      lcStr(0xc, 24, '/usr/lib/libSystem.B.dylib'),
      lcStr(0x80000018, 24, '/usr/lib/libweak.dylib'),
      lcStr(0x8000001f, 24, '@rpath/libre.dylib'),
      lcStr(0x8000001c, 12, '@executable_path/../lib'),
      lcStr(0xe, 12, '/usr/lib/dyld'),
      new W(le).u32(0x1b).u32(24).bytes(UUID).done(),
      opts.buildVersion
        ? new W(le).u32(0x32).u32(24).u32(2).u32(0x000d0400).u32(0x000e0000).u32(0).done() // iOS 13.4, SDK 14.0
        : new W(le).u32(0x24).u32(16).u32(0x000a0d04).u32(0x000b0000).done(), // macOS 10.13.4, SDK 11.0
      new W(le).u32(0x80000028).u32(24).u64(textOff).u64(0).done(),
    ];
    void fileSize;
    return cmds;
  };
  const probe = cmdsDraft(0, 0, 0, 0, 0, 0);
  const sizeofcmds = probe.reduce((n, c) => n + c.length, 0);
  const textOff = hdr + sizeofcmds;
  const dataOff = textOff + 32;
  const symoff = dataOff + 16;
  const nlistSize = is64 ? 16 : 12;
  const names = ['', '_main', '_gvar', 'stabby.go', '_printf'];
  const strs = new W(le);
  const strx: number[] = [];
  for (const n of names) {
    strx.push(strs.length);
    strs.cstr(n, 1);
  }
  const stroff = symoff + 4 * nlistSize;
  const cmds = cmdsDraft(textOff, dataOff, symoff, stroff, strs.length, 0);
  const w = new W(le)
    .u32(is64 ? 0xfeedfacf : 0xfeedface)
    .u32(cputype)
    .u32(opts.subtype ?? 0)
    .u32(2)
    .u32(cmds.length)
    .u32(sizeofcmds)
    .u32(0x200085);
  if (is64) w.u32(0);
  for (const c of cmds) w.bytes(c);
  w.bytes(new Array(32).fill(0xcc)).bytes(new Array(16).fill(0xdd));
  // nlist: n_strx, n_type, n_sect, n_desc, n_value
  w.u32(strx[1]!)
    .u8(0x0f)
    .u8(1)
    .u16(0)
    .ptr(TEXT_VM + textOff, is64); // N_SECT|N_EXT in __text
  w.u32(strx[2]!)
    .u8(0x0e)
    .u8(3)
    .u16(0)
    .ptr(DATA_VM + 4, is64); // N_SECT in __data
  w.u32(strx[3]!).u8(0x64).u8(0).u16(0).ptr(0, is64); // N_SO: a stab, must be skipped
  w.u32(strx[4]!).u8(0x01).u8(0).u16(0x100).ptr(0, is64); // N_UNDF|N_EXT
  w.bytes(strs.done());
  return { is64, le, cputype, textOff, dataOff, symoff, bytes: w.done() };
}

const VARIANTS: { is64: boolean; le: boolean; cputype: number; subtype?: number; arch: string; file: RegExp }[] = [
  { is64: true, le: true, cputype: 0x0100000c, arch: 'arm64', file: /Mach-O 64-bit arm64 executable/ },
  { is64: false, le: true, cputype: 7, subtype: 3, arch: '386', file: /Mach-O i386 executable/ },
  { is64: false, le: false, cputype: 18, arch: 'ppc', file: /Mach-O ppc executable/ },
  { is64: true, le: false, cputype: 0x01000012, arch: 'ppc64', file: /Mach-O (64-bit )?ppc64 executable/ },
];

describe('hand-built Mach-O', () => {
  for (const v of VARIANTS) {
    test(`${v.is64 ? 64 : 32}-bit ${v.le ? 'little' : 'big'}-endian ${v.arch}: every load command, by construction and against debug/macho and file`, (t) => {
      const tiny = tinyMacho(v.is64, v.le, v.cputype, { subtype: v.subtype });
      const img = parseMacho(new BufferSource(tiny.bytes));
      const m = img.macho as MachoDetailsFull;
      assert.equal(img.arch, v.arch);
      assert.equal(img.bits, v.is64 ? 64 : 32);
      assert.equal(img.endian, v.le ? 'little' : 'big');
      assert.equal(img.os, 'darwin');
      assert.equal(m.cpuType, v.cputype);
      assert.equal(m.fileType, 2);
      assert.deepEqual(m.dylibs, ['/usr/lib/libSystem.B.dylib', '/usr/lib/libweak.dylib', '@rpath/libre.dylib']);
      assert.deepEqual(m.rpaths, ['@executable_path/../lib']);
      assert.equal(m.dylinker, '/usr/lib/dyld');
      assert.equal(m.uuid, '0123456789abcdeffedcba9876543210');
      assert.equal(m.minOs, '10.13.4');
      assert.equal(m.sdk, '11.0');
      assert.equal(m.platform, null);
      assert.equal(img.entry, TEXT_VM + tiny.textOff);
      assert.deepEqual(
        img.sections.map((s) => [s.segment, s.name, s.addr, s.size, s.offset, s.fileSize, s.exec, s.write]),
        [
          ['__TEXT', '__text', TEXT_VM + tiny.textOff, 16, tiny.textOff, 16, true, false],
          ['__TEXT', LONG_SECT, TEXT_VM + tiny.textOff + 16, 16, tiny.textOff + 16, 16, false, false],
          ['__DATA', '__data', DATA_VM, 16, tiny.dataOff, 16, false, true],
          ['__DATA', '__bss', DATA_VM + 16, 64, 0, 0, false, true],
        ],
      );
      assert.deepEqual(
        img.segments.map((g) => g.type),
        ['__TEXT', '__DATA'],
      );
      assert.equal(img.hasSymbols, true);
      assert.equal(img.hasDwarf, false);
      assert.deepEqual(img.symbols(), [
        { name: 'main', addr: TEXT_VM + tiny.textOff, size: 16, kind: 'text', section: 0 },
        { name: 'gvar', addr: DATA_VM + 4, size: 12, kind: 'data', section: 2 },
        { name: 'printf', addr: 0, size: 0, kind: 'undef', section: -1 },
      ]);

      if (!haveTool(t, 'go', ['version']) || !haveTool(t, 'file')) return;
      const path = writeTemp(`tiny-${v.arch}`, tiny.bytes);
      assert.match(fileBrief(path), v.file);
      const bf = binfacts(path).macho!;
      assert.equal(bf.cpu, v.cputype);
      // debug/macho's ImportedLibraries lists LC_LOAD_DYLIB only, not the weak and re-export forms
      assert.deepEqual(bf.libs, m.dylibs.slice(0, 1));
      assert.deepEqual(bf.rpaths, m.rpaths);
      assert.equal(bf.uuid, m.uuid);
      assert.equal(bf.dylinker, m.dylinker);
      assert.deepEqual(
        bf.sections.map((s) => [s.seg, s.name, s.addr, s.size, s.offset]),
        img.sections.map((s) => [s.segment, s.name, s.addr, s.size, s.offset]),
      );
      assert.deepEqual(
        bf.symbols.map((s) => s.value),
        [TEXT_VM + tiny.textOff, DATA_VM + 4, 0],
      );
    });
  }

  test('LC_BUILD_VERSION with platform iOS: os ios, minOs 13.4', () => {
    const img = parseMacho(new BufferSource(tinyMacho(true, true, 0x0100000c, { buildVersion: true }).bytes));
    assert.equal(img.os, 'ios');
    assert.equal(img.macho!.minOs, '13.4');
    assert.equal((img.macho as MachoDetailsFull).platform, 'ios');
  });
});

/** A universal file of the given slices, each aligned to 2^12. */
function fat(slices: { cputype: number; bytes: Uint8Array }[], is64 = false): { bytes: Uint8Array; offsets: number[] } {
  const ent = is64 ? 32 : 20;
  let off = 8 + ent * slices.length;
  const offsets: number[] = [];
  for (const s of slices) {
    off = Math.ceil(off / 4096) * 4096;
    offsets.push(off);
    off += s.bytes.length;
  }
  const w = new W(false).u32(is64 ? 0xcafebabf : 0xcafebabe).u32(slices.length);
  slices.forEach((s, i) => {
    w.u32(s.cputype).u32(0);
    if (is64) w.u64(offsets[i]!).u64(s.bytes.length).u32(12).u32(0);
    else w.u32(offsets[i]!).u32(s.bytes.length).u32(12);
  });
  const out = new Uint8Array(off);
  out.set(w.done(), 0);
  slices.forEach((s, i) => out.set(s.bytes, offsets[i]!));
  return { bytes: out, offsets };
}

describe('hand-built universal Mach-O', () => {
  const a = tinyMacho(true, true, 0x0100000c);
  const b = tinyMacho(false, false, 18);
  for (const is64 of [false, true]) {
    test(`${is64 ? 'fat64' : 'fat'} with an arm64 and a ppc slice`, (t) => {
      const f = fat(
        [
          { cputype: a.cputype, bytes: a.bytes },
          { cputype: b.cputype, bytes: b.bytes },
        ],
        is64,
      );
      const src = new BufferSource(f.bytes);
      assert.equal(detectFormat(f.bytes.subarray(0, 8)), 'macho-fat');
      assert.deepEqual(parseFat(src), [
        { arch: 'arm64', offset: f.offsets[0], size: a.bytes.length, cpuType: a.cputype, cpuSubtype: 0 },
        { arch: 'ppc', offset: f.offsets[1], size: b.bytes.length, cpuType: b.cputype, cpuSubtype: 0 },
      ]);
      const imgs = parseBinary(src);
      assert.deepEqual(
        imgs.map((i) => [i.arch, i.bits, i.endian, i.macho!.sliceOffset, i.fileSize]),
        [
          ['arm64', 64, 'little', f.offsets[0], a.bytes.length],
          ['ppc', 32, 'big', f.offsets[1], b.bytes.length],
        ],
      );
      // offsets inside each image are slice-relative: the same as in the thin file
      assert.deepEqual(imgs[1]!.sections, parseMacho(new BufferSource(b.bytes)).sections);
      assert.deepEqual(imgs[1]!.source.read(b.textOff, 32), new Uint8Array(32).fill(0xcc));
      assert.deepEqual(imgs[0]!.symbols(), parseMacho(new BufferSource(a.bytes)).symbols());

      // neither file 5.44 nor debug/macho reads fat64 headers: for those, construction is the truth
      if (is64 || !haveTool(t, 'file')) return;
      const path = writeTemp('tiny-fat', f.bytes);
      const desc = fileBrief(path);
      assert.match(desc, /Mach-O universal binary with 2 architectures/);
      assert.match(desc, /arm64/);
      assert.match(desc, /ppc/);
      if (haveTool(t, 'go', ['version'])) {
        assert.deepEqual(
          binfacts(path).fat!.map((x) => [x.cpu, x.offset, x.size]),
          [
            [a.cputype, f.offsets[0], a.bytes.length],
            [b.cputype, f.offsets[1], b.bytes.length],
          ],
        );
      }
    });
  }

  test('a slice past the end of the file is E_TRUNCATED; no architectures is E_CORRUPT', () => {
    const f = fat([{ cputype: a.cputype, bytes: a.bytes }]);
    expectCode(() => parseBinary(new BufferSource(f.bytes.subarray(0, f.bytes.length - 1))), 'E_TRUNCATED');
    const table = new W(false).u32(0xcafebabe).u32(3).done(); // three entries claimed, none present
    expectCode(() => parseFat(new BufferSource(table)), 'E_TRUNCATED');
    expectCode(() => parseFat(new BufferSource(new W(false).u32(0xcafebabf).u32(0).done())), 'E_CORRUPT');
    expectCode(() => new SliceSource(new BufferSource(new Uint8Array(10)), 8, 4), 'E_TRUNCATED');
  });

  test('0xcafebabe followed by a Java class version is a Java class, as file(1) says', (t) => {
    // minor 0, major 61 (Java 17): the u32 an architecture count would be is 61
    const cls = new W(false).u32(0xcafebabe).u16(0).u16(61).u16(10).bytes(new Array(40).fill(0)).done();
    assert.equal(detectFormat(cls), null);
    expectCode(() => parseBinary(new BufferSource(cls)), 'E_NOT_BINARY', /Java class/);
    expectCode(() => parseFat(new BufferSource(cls)), 'E_NOT_BINARY', /Java class/);
    if (!haveTool(t, 'file')) return;
    assert.match(fileBrief(writeTemp('Hello.class', cls)), /compiled Java class data/);
  });
});

describe('damaged Mach-O headers', () => {
  const good = tinyMacho(true, true, 0x0100000c);
  const le = new DataView(good.bytes.buffer);
  const patched = (off: number, v: number) => {
    const b = good.bytes.slice();
    new DataView(b.buffer).setUint32(off, v, true);
    return new BufferSource(b);
  };
  const sizeofcmds = le.getUint32(20, true);
  const firstCmdSize = le.getUint32(36, true);

  test('cut inside the header or the load commands: E_TRUNCATED', (t) => {
    expectCode(() => parseMacho(new BufferSource(good.bytes.subarray(0, 20))), 'E_TRUNCATED');
    expectCode(() => parseMacho(new BufferSource(good.bytes.subarray(0, 32 + sizeofcmds - 10))), 'E_TRUNCATED');
    if (!haveTool(t, 'go', ['version'])) return;
    // debug/macho refuses the same file
    assert.throws(() => binfacts(writeTemp('cut-cmds', good.bytes.subarray(0, 32 + sizeofcmds - 10))));
  });

  test('cut before the symbol table or inside a section: E_TRUNCATED', () => {
    expectCode(() => parseMacho(new BufferSource(good.bytes.subarray(0, good.symoff + 8))), 'E_TRUNCATED', /symbol table/);
    expectCode(() => parseMacho(new BufferSource(good.bytes.subarray(0, good.textOff + 8))), 'E_TRUNCATED', /section/);
  });

  test('counts and sizes that do not fit: E_CORRUPT, without allocating for them', () => {
    expectCode(() => parseMacho(patched(16, 0xffffffff)), 'E_CORRUPT', /load commands cannot fit/); // ncmds
    expectCode(() => parseMacho(patched(36, 0)), 'E_CORRUPT', /size 0/); // first cmdsize
    expectCode(() => parseMacho(patched(36, sizeofcmds + 8)), 'E_CORRUPT'); // cmdsize past the commands
    expectCode(() => parseMacho(patched(32 + 64, 0x7fffffff)), 'E_CORRUPT', /sections/); // nsects of __TEXT
    // LC_LOAD_DYLIB's name offset pointing outside the command
    const dylibAt = 32 + firstCmdSize + le.getUint32(32 + firstCmdSize + 4, true) + 24 + 80;
    assert.equal(le.getUint32(dylibAt, true), 0xc);
    expectCode(() => parseMacho(patched(dylibAt + 8, 4096)), 'E_CORRUPT', /string offset/);
    expectCode(() => parseMacho(patched(20, 0xfffffff0)), 'E_TRUNCATED'); // sizeofcmds
  });

  test('symbol table counts beyond the file: E_TRUNCATED before reading', () => {
    const symtabAt = 32 + firstCmdSize + le.getUint32(32 + firstCmdSize + 4, true);
    assert.equal(le.getUint32(symtabAt, true), 0x2);
    expectCode(() => parseMacho(patched(symtabAt + 12, 0x10000000)), 'E_TRUNCATED', /symbol table/);
    expectCode(() => parseMacho(patched(symtabAt + 20, 0x10000000)), 'E_TRUNCATED', /string table/);
  });

  test('not Mach-O at all: E_NOT_BINARY', () => {
    expectCode(() => parseMacho(new BufferSource(new Uint8Array(64))), 'E_NOT_BINARY');
  });
});
