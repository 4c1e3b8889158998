/**
 * Fuzzing the ELF reader with fast-check: real binaries (and a hand-built 32-bit big-endian one) with
 * flipped bits in their headers and tables, random section-header fields and random truncation. Only a
 * GokilnError may escape, and every parse (including symbols and the classifications) ends within the
 * hang bound (HANG_BOUND_MS, 25 s: it catches hangs, not slowness; speed is measured in bench/).
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { GokilnError } from '../../src/errors.js';
import { BufferSource } from '../../src/formats/source.js';
import { elfDynamicSymbols, elfLinking, highestGlibc, libcFamily, parseElf } from '../../src/formats/elf/index.js';
import { fixture } from '../fixtures/index.js';
import { withinHangBound } from '../harness/hang-bound.js';
import { BASE, buildElf, dynamicTable, note, strtab, verneedTable } from './tiny-elf.js';

const RUNS = 120;

interface Base {
  label: string;
  bytes: Uint8Array;
  /** byte ranges worth mutating: headers (after the magic) and the tables the reader interprets */
  regions: Array<[number, number]>;
  shoff: number;
  shentsize: number;
  shnum: number;
}

function describeBase(label: string, bytes: Uint8Array): Base {
  const img = parseElf(new BufferSource(bytes));
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = img.endian === 'little';
  const b64 = img.bits === 64;
  const shoff = b64 ? Number(v.getBigUint64(40, little)) : v.getUint32(32, little);
  const shentsize = b64 ? 64 : 40;
  const shnum = img.sections.length;
  const phoff = b64 ? Number(v.getBigUint64(32, little)) : v.getUint32(28, little);
  const regions: Array<[number, number]> = [
    [4, b64 ? 64 : 52],
    [phoff, phoff + img.segments.length * (b64 ? 56 : 32)],
    [shoff, shoff + shnum * shentsize],
  ];
  for (const s of img.sections) {
    if (
      ['.dynamic', '.gnu.version_r', '.gnu.version_d', '.dynstr', '.shstrtab', '.interp'].includes(s.name) ||
      s.name.startsWith('.note')
    ) {
      if (s.fileSize > 0) regions.push([s.offset, s.offset + Math.min(s.fileSize, 4096)]);
    }
  }
  return { label, bytes, regions, shoff, shentsize, shnum };
}

function tinyBigEndian(): Uint8Array {
  const str = strtab(['libc.so.6', 'GLIBC_2.4', 'GLIBC_2.17']);
  const o = (s: string) => str.offsets.get(s)!;
  const sections = [
    { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
    {
      name: '.gnu.version_r',
      type: 0x6ffffffe,
      flags: 2,
      data: verneedTable(false, [{ file: o('libc.so.6'), versions: [o('GLIBC_2.4'), o('GLIBC_2.17')] }]),
      link: '.dynstr',
      info: 1,
      align: 4,
    },
    { name: '.note.gnu.build-id', type: 7, flags: 2, data: note(false, 'GNU', 3, new Uint8Array(20).fill(7)), align: 4 },
  ];
  const pre = buildElf({
    bits: 32,
    little: false,
    machine: 8,
    sections: [...sections, { name: '.dynamic', type: 6, flags: 3, data: new Uint8Array(8 * 6), align: 4 }],
  });
  const dyn = dynamicTable(32, false, [
    [1, o('libc.so.6')],
    [5, BASE + pre.offsets.get('.dynstr')!],
    [10, str.bytes.length],
    [0x6ffffffe, BASE + pre.offsets.get('.gnu.version_r')!],
    [0x6fffffff, 1],
  ]);
  return buildElf({
    bits: 32,
    little: false,
    machine: 8,
    sections: [...sections, { name: '.dynamic', type: 6, flags: 3, data: dyn, link: '.dynstr', align: 4 }],
    segments: [
      { type: 2, section: '.dynamic' },
      { type: 4, section: '.note.gnu.build-id' },
    ],
  }).bytes;
}

/** Parses and exercises everything lazy; returns the error code, or 'ok'. */
function exercise(bytes: Uint8Array): string {
  return withinHangBound(() => exerciseOnce(bytes), 'parse');
}

function exerciseOnce(bytes: Uint8Array): string {
  let outcome = 'ok';
  try {
    const img = parseElf(new BufferSource(bytes));
    try {
      img.symbols();
      elfDynamicSymbols(img);
    } catch (e) {
      if (!(e instanceof GokilnError)) throw e;
    }
    elfLinking(img);
    libcFamily(img);
    highestGlibc(img.elf.versionNeeds);
  } catch (e) {
    if (!(e instanceof GokilnError)) throw new Error(`a ${(e as Error)?.name} escaped: ${(e as Error)?.stack ?? e}`, { cause: e });
    outcome = e.code;
  }
  return outcome;
}

describe('ELF fuzzing', () => {
  const bases = (): Base[] => [
    describeBase('cgo-glibc', new Uint8Array(readFileSync(fixture('cgo-glibc')))),
    describeBase('static', new Uint8Array(readFileSync(fixture('static')))),
    describeBase('tiny ELF32 big-endian', tinyBigEndian()),
  ];
  let all: Base[] | null = null;
  const get = () => (all ??= bases());
  const codes = new Map<string, number>();
  const count = (c: string) => codes.set(c, (codes.get(c) ?? 0) + 1);

  test('bit flips in headers and interpreted tables', () => {
    const bs = get();
    fc.assert(
      fc.property(
        fc.nat(bs.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }),
        (bi, flips) => {
          const base = bs[bi]!;
          const b = base.bytes.slice();
          for (const [ri, pos, bit] of flips) {
            const [lo, hi] = base.regions[ri % base.regions.length]!;
            const at = lo + (pos % Math.max(1, hi - lo));
            if (at < b.length) b[at]! ^= 1 << bit;
          }
          count(exercise(b));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  test('random values in section header fields', () => {
    const bs = get();
    const value = fc.oneof(
      fc.constant(0),
      fc.constant(0xffffffff),
      fc.nat(),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.constantFrom(1, 2, 3, 6, 7, 8, 11, 0x6ffffffe, 0x6ffffffd),
    );
    fc.assert(
      fc.property(fc.nat(bs.length - 1), fc.nat(), fc.nat(15), value, fc.boolean(), (bi, si, field, val, wide) => {
        const base = bs[bi]!;
        const b = base.bytes.slice();
        const v = new DataView(b.buffer);
        const at = base.shoff + (si % base.shnum) * base.shentsize + field * 4;
        const little = b[5] === 1;
        if (wide && at + 8 <= base.shoff + base.shnum * base.shentsize) v.setBigUint64(at, BigInt(val) << 20n, little);
        else if (at + 4 <= b.length) v.setUint32(at, val, little);
        count(exercise(b));
      }),
      { numRuns: RUNS },
    );
  });

  test('truncation at any length', () => {
    const bs = get();
    fc.assert(
      // half the cuts fall in the first 8 KiB, where the headers live
      fc.property(fc.nat(bs.length - 1), fc.boolean(), fc.nat(), (bi, short, x) => {
        const base = bs[bi]!;
        const n = x % (short ? Math.min(8192, base.bytes.length) : base.bytes.length);
        count(exercise(base.bytes.subarray(0, n)));
      }),
      { numRuns: RUNS },
    );
  });

  test('every outcome is a parse or a typed error, and both happen', (t) => {
    // the properties above assert the invariant case by case; this checks the fuzzing reached both sides
    t.diagnostic(`outcomes: ${JSON.stringify([...codes])}`);
    assert.ok((codes.get('ok') ?? 0) > 0, JSON.stringify([...codes]));
    assert.ok(
      [...codes.keys()].some((c) => c !== 'ok'),
      JSON.stringify([...codes]),
    );
  });
});
