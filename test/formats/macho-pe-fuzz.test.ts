/**
 * Fuzzing the Mach-O, universal and PE readers with mutated and truncated real Go binaries: whatever
 * the bytes, only a GokilnError may escape parseBinary or the lazy symbol table, and each input finishes
 * within the hang bound (HANG_BOUND_MS, 25 s: it catches hangs, not slowness; speed is measured in
 * bench/). Mutations aim at the structures (headers, load commands, section
 * tables, symbol and import tables) so most inputs get past the magic.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fixture } from '../fixtures/index.js';
import { GokilnError } from '../../src/errors.js';
import { readSection, readVirtual } from '../../src/formats/binary.js';
import { BufferSource, checkRange, type ByteSource } from '../../src/formats/source.js';
import { parseBinary } from '../../src/formats/open.js';
import { HANG_BOUND_MS, withinHangBound } from '../harness/hang-bound.js';

/** The base bytes, cut to `size`, with a few bytes overwritten; no copy of the whole file per input. */
class PatchedSource implements ByteSource {
  constructor(
    private readonly base: Uint8Array,
    readonly size: number,
    private readonly patches: Map<number, number>,
  ) {}
  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length);
    let out = this.base.subarray(offset, offset + length);
    for (const [at, v] of this.patches) {
      if (at >= offset && at < offset + length) {
        if (out.buffer === this.base.buffer) out = new Uint8Array(out); // a copy (Buffer#slice would not be)
        out[at - offset] = v;
      }
    }
    return out;
  }
}

interface Mutation {
  cut: number | null;
  writes: { at: number; bytes: readonly number[] }[];
}

/** Byte regions worth hitting: the first 8 KiB (headers, load commands, section table) and the tables. */
function targets(bytes: Uint8Array): [number, number][] {
  const regions: [number, number][] = [[0, Math.min(8192, bytes.length)]];
  for (const img of parseBinary(new BufferSource(bytes))) {
    const base = img.macho?.sliceOffset ?? 0;
    regions.push([base, 8192]);
    for (const g of img.segments) if (g.type === '__LINKEDIT') regions.push([base + g.offset, 4096]);
    for (const s of img.sections) if (['.symtab', '.idata', '__go_buildinfo'].includes(s.name)) regions.push([base + s.offset, 2048]);
  }
  return regions.map(([a, n]) => [a, Math.min(n, bytes.length - a)] as [number, number]).filter(([, n]) => n > 0);
}

function mutation(size: number, regions: [number, number][]): fc.Arbitrary<Mutation> {
  // unbiased: fast-check's default bias favours each range's start, which is mostly the magic number
  const offset = fc.oneof(
    ...regions.map(([a, n]) => fc.noBias(fc.integer({ min: a, max: a + n - 1 }))),
    fc.noBias(fc.integer({ min: 0, max: size - 1 })),
  );
  const value: fc.Arbitrary<readonly number[]> = fc.oneof(
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom([0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0x7f], [0, 0, 0, 0], [0, 0, 0, 0x80], [1, 0, 0, 0]),
  );
  const cut = fc.option(
    fc.oneof(fc.noBias(fc.integer({ min: 0, max: Math.min(size, 16384) })), fc.noBias(fc.integer({ min: 0, max: size }))),
    { freq: 2 },
  );
  return fc.record({ cut, writes: fc.array(fc.record({ at: offset, bytes: value }), { maxLength: 6 }) });
}

function apply(bytes: Uint8Array, m: Mutation): PatchedSource {
  const patches = new Map<number, number>();
  for (const w of m.writes) w.bytes.forEach((b, i) => patches.set(w.at + i, b));
  return new PatchedSource(bytes, m.cut ?? bytes.length, patches);
}

/** Parses and touches everything lazy; returns the error code, or 'ok'. */
function exercise(src: ByteSource): string {
  try {
    for (const img of parseBinary(src)) {
      img.symbols();
      readVirtual(img, img.entry, 16);
      for (const s of img.sections.slice(0, 4)) if (s.fileSize > 0 && s.fileSize < 1 << 20) readSection(img, s);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof GokilnError) return e.code;
    throw e;
  }
}

const BASES = ['darwin-arm64', 'darwin-universal', 'lefthook-darwin-arm64', 'windows-amd64', 'lefthook-windows-x64'];
const RUNS = Number(process.env.GOKILN_FUZZ_RUNS ?? 200);

describe('fuzzing Mach-O and PE readers with mutated real binaries', () => {
  for (const name of BASES) {
    test(`${name}: ${RUNS} mutated/truncated inputs, only GokilnError escapes, each within ${HANG_BOUND_MS / 1000} s`, () => {
      const bytes = new Uint8Array(readFileSync(fixture(name)));
      const regions = targets(bytes);
      const codes = new Map<string, number>();
      let slowest = 0;
      fc.assert(
        fc.property(mutation(bytes.length, regions), (m) => {
          const t0 = performance.now();
          const code = withinHangBound(() => exercise(apply(bytes, m)));
          slowest = Math.max(slowest, performance.now() - t0);
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
        { numRuns: RUNS, seed: Number(process.env.GOKILN_FUZZ_SEED ?? 0x90c11), endOnFailure: true },
      );
      // the mutations must reach the parser's error paths, not only bounce off the magic or pass untouched
      assert.ok(
        [...codes.keys()].some((c) => c === 'E_TRUNCATED' || c === 'E_CORRUPT'),
        JSON.stringify([...codes]),
      );
      assert.ok((codes.get('ok') ?? 0) > 0, JSON.stringify([...codes]));
      if (process.env.GOKILN_FUZZ_VERBOSE) console.log(name, JSON.stringify([...codes]), `slowest ${slowest.toFixed(0)} ms`);
      // most inputs must get past the magic number, or the fuzzing tests nothing
      assert.ok((codes.get('E_NOT_BINARY') ?? 0) < RUNS / 4, JSON.stringify([...codes]));
    });
  }
});
