/**
 * Fuzzing the Go readers: real binaries with bytes of their build info blob, pclntab header and function
 * table overwritten (and sections cut short). Whatever the damage, only GokilnError may escape, and each
 * input finishes within the hang bound (HANG_BOUND_MS, 25 s: it catches hangs, not slowness; speed is
 * measured in bench/).
 */
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { GokilnError } from '../../src/errors.js';
import type { BinaryImage, Section } from '../../src/formats/binary.js';
import { BufferSource, checkRange, type ByteSource } from '../../src/formats/source.js';
import { parseBinary } from '../../src/formats/open.js';
import { readBuildInfo } from '../../src/formats/go/buildinfo.js';
import { readPclntab, decodePclntab } from '../../src/formats/go/pclntab.js';
import { identifyGo } from '../../src/formats/go/identity.js';
import { parseModInfo } from '../../src/formats/go/modinfo.js';
import { goUnquote } from '../../src/formats/go/strconv.js';
import { fixture } from '../fixtures/index.js';
import { withinHangBound } from '../harness/hang-bound.js';

/** The file's bytes with some of them replaced; everything else reads through unchanged. */
class PatchedSource implements ByteSource {
  constructor(
    private readonly base: Uint8Array,
    private readonly patches: Array<[number, number]>,
    readonly size: number = base.length,
  ) {}
  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length);
    const out = this.base.slice(offset, offset + length);
    for (const [at, v] of this.patches) if (at >= offset && at < offset + length) out[at - offset] = v;
    return out;
  }
}

function imageOver(bytes: Uint8Array, patches: Array<[number, number]>, shrink?: { section: string; by: number }): BinaryImage {
  const img = parseBinary(new BufferSource(bytes))[0]!;
  const sections: Section[] = img.sections.map((s) =>
    shrink && s.name === shrink.section
      ? { ...s, fileSize: Math.max(0, s.fileSize - shrink.by), size: Math.max(0, s.size - shrink.by) }
      : s,
  );
  return { ...img, sections, source: new PatchedSource(bytes, patches) };
}

function onlyTypedErrors(fn: () => unknown): void {
  withinHangBound(() => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof GokilnError)) throw e;
    }
  });
}

function sectionOf(bytes: Uint8Array, name: string): Section {
  const s = parseBinary(new BufferSource(bytes))[0]!.sections.find((x) => x.name === name);
  assert.ok(s, name);
  return s;
}

/** Patches inside [start, start+len): positions as offsets in that window, with interesting byte values. */
function patchesIn(start: number, len: number) {
  const byte = fc.oneof(fc.constant(0), fc.constant(0xff), fc.constant(0x80), fc.integer({ min: 0, max: 255 }));
  return fc
    .array(fc.tuple(fc.nat(len - 1), byte), { minLength: 1, maxLength: 12 })
    .map((ps) => ps.map(([o, v]) => [start + o, v] as [number, number]));
}

describe('build info blob fuzzing', () => {
  for (const name of ['static', 'esbuild-go115', 'windows-amd64']) {
    test(name, () => {
      const bytes = new Uint8Array(readFileSync(fixture(name)));
      const sec = parseBinary(new BufferSource(bytes))[0]!.sections.find((s) => s.name === '.go.buildinfo' || s.name === '.data')!;
      // header, the inline strings after it, and (pre-1.18) what the pointers lead to
      const win = Math.min(sec.fileSize, 512);
      fc.assert(
        fc.property(patchesIn(sec.offset, win), fc.option(fc.nat(win), { nil: undefined }), (patches, cut) => {
          const img = imageOver(bytes, patches, cut === undefined ? undefined : { section: sec.name, by: sec.fileSize - cut });
          onlyTypedErrors(() => readBuildInfo(img));
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('pclntab fuzzing', () => {
  for (const name of ['static', 'esbuild-go115', 'esbuild-go117', 'esbuild-go119']) {
    test(`${name}: header, function table and _func records`, () => {
      const bytes = new Uint8Array(readFileSync(fixture(name)));
      const sec = sectionOf(bytes, '.gopclntab');
      const table = bytes.subarray(sec.offset, sec.offset + sec.fileSize);
      fc.assert(
        fc.property(
          fc.oneof(patchesIn(0, 72), patchesIn(0, Math.min(table.length, 1 << 16)), patchesIn(0, table.length)),
          fc.option(fc.nat(table.length), { nil: undefined }),
          (patches, cut) => {
            const t = table.slice(0, cut ?? table.length);
            for (const [at, v] of patches) if (at < t.length) t[at] = v;
            onlyTypedErrors(() => decodePclntab(t, sec.addr, sec.name, null));
          },
        ),
        { numRuns: 60 },
      );
    });
  }
  test('a damaged dedicated section is E_CORRUPT or E_TRUNCATED, never a crash', () => {
    const bytes = new Uint8Array(readFileSync(fixture('static')));
    const sec = sectionOf(bytes, '.gopclntab');
    const img = imageOver(bytes, [[sec.offset, 0x12]]);
    assert.throws(
      () => readPclntab(img),
      (e: unknown) => e instanceof GokilnError && e.code === 'E_CORRUPT',
    );
  });
  test('stripped PE: header search over mutated .rdata never crashes', () => {
    const bytes = new Uint8Array(readFileSync(fixture('lefthook-windows-x64')));
    const sec = sectionOf(bytes, '.rdata');
    fc.assert(
      fc.property(patchesIn(sec.offset, sec.fileSize), (patches) => {
        onlyTypedErrors(() => readPclntab(imageOver(bytes, patches)));
      }),
      { numRuns: 15 },
    );
  });
});

test('identifyGo over mutated binaries reports damage as problems, never throws', () => {
  const bytes = new Uint8Array(readFileSync(fixture('static-stripped')));
  const pcl = sectionOf(bytes, '.gopclntab');
  const bi = sectionOf(bytes, '.go.buildinfo');
  fc.assert(
    fc.property(fc.oneof(patchesIn(pcl.offset, 4096), patchesIn(bi.offset, 256)), (patches) => {
      const id = withinHangBound(() => identifyGo(imageOver(bytes, patches)));
      for (const p of id.problems) assert.match(p.code, /^E_[A-Z_]+$/);
    }),
    { numRuns: 40 },
  );
});

test('modinfo text and Go quoting: arbitrary input gives a result or E_CORRUPT', () => {
  const line = fc.oneof(
    fc.string(),
    fc.constantFrom('path\tx', 'mod\ta\tb\tc', 'dep\ta\tb', '=>\ta\tb\tc', 'build\tk=v', 'build\t"k"=v', 'build\tk="v', 'build\t`k`=`v`'),
    fc.tuple(fc.constantFrom('build\t-ldflags=', 'build\t"a'), fc.string()).map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      onlyTypedErrors(() => parseModInfo(lines.join('\n') + '\n'));
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.string(), (s) => {
      onlyTypedErrors(() => goUnquote('"' + s + '"'));
      onlyTypedErrors(() => goUnquote(s));
    }),
    { numRuns: 300 },
  );
});

test('build info: magic present but contents garbage is E_CORRUPT', () => {
  const bytes = new Uint8Array(readFileSync(fixture('static')));
  const s = sectionOf(bytes, '.go.buildinfo');
  const h = s.offset;
  const cases: Array<[string, Array<[number, number]>]> = [
    [
      'pointer format with pointer size 3',
      [
        [h + 14, 3],
        [h + 15, 0],
      ],
    ],
    [
      'pointer format with pointers to nowhere',
      [[h + 15, 0], ...Array.from({ length: 16 }, (_, i) => [h + 16 + i, 0xee] as [number, number])],
    ],
    [
      'version length past the section',
      [
        [h + 32, 0xff],
        [h + 33, 0xff],
        [h + 34, 0x7f],
      ],
    ],
    ['unterminated length varint', Array.from({ length: 12 }, (_, i) => [h + 32 + i, 0xff] as [number, number])],
    ['unprintable version', [[h + 33, 0x01]]],
  ];
  for (const [what, patches] of cases) {
    assert.throws(
      () => readBuildInfo(imageOver(bytes, patches)),
      (e: unknown) => e instanceof GokilnError && e.code === 'E_CORRUPT',
      what,
    );
  }
  // and the untouched blob reads
  assert.ok(readBuildInfo(imageOver(bytes, [])));
});
