/**
 * The whole inspect pipeline (format reader → build info → pclntab → needs → verdicts) on mutated and
 * truncated real binaries: nothing escapes but a GokilnError, and each input finishes within the hang
 * bound (HANG_BOUND_MS, 25 s: it catches hangs, not slowness; speed is measured in bench/).
 * Mutations aim at the bytes parsers trust: file headers, section/segment tables, the build info blob
 * and the pclntab header and function table.
 */
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { inspectSource } from '../../src/analysis/inspect.js';
import { isGokilnError } from '../../src/errors.js';
import { BufferSource } from '../../src/formats/source.js';
import { parseBinary } from '../../src/formats/open.js';
import { fixture } from '../fixtures/index.js';
import { withinHangBound } from '../harness/hang-bound.js';

/** Byte ranges worth mutating: the first 4 KiB, plus the start of every section the Go readers use. */
function hotRanges(bytes: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [[0, Math.min(4096, bytes.length)]];
  const [img] = parseBinary(new BufferSource(bytes));
  for (const s of img?.sections ?? []) {
    if (s.fileSize > 0 && /buildinfo|pclntab|go\.module|\.data$|rodata|rdata|__go_buildinfo|__gopclntab|symtab|strtab/.test(s.name)) {
      ranges.push([s.offset, Math.min(s.offset + 512, s.offset + s.fileSize)]);
    }
  }
  if (img?.format === 'elf' && bytes.length > 64) {
    // the section header table (e_shoff) sits at the end of Go ELF files
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const shoff = Number(dv.getBigUint64(0x28, true));
    if (shoff > 0 && shoff < bytes.length) ranges.push([shoff, Math.min(bytes.length, shoff + 64 * 40)]);
  }
  return ranges;
}

function runOne(bytes: Uint8Array): void {
  withinHangBound(() => {
    try {
      inspectSource(new BufferSource(bytes));
    } catch (e) {
      if (!isGokilnError(e)) throw new Error(`non-typed error escaped: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
    }
  });
}

describe('inspect fuzzing', () => {
  // every reader inspect runs: dynamic ELF, PE and Mach-O, the Go 1.2 layout's gathered names, a static
  // musl binary's symbol lookup, a binary without build info (runtime version search), a shared library
  for (const name of [
    'cgo-glibc',
    'windows-amd64',
    'darwin-arm64',
    'esbuild-go117',
    'esbuild-go115',
    'musl-static',
    'esbuild-linux-arm64',
    'cshared',
  ] as const) {
    test(`${name}: mutated hot bytes and truncations give typed errors only`, () => {
      const original = new Uint8Array(readFileSync(fixture(name)));
      const ranges = hotRanges(original);
      const mutation = fc.record({
        range: fc.integer({ min: 0, max: ranges.length - 1 }),
        edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
      });
      fc.assert(
        fc.property(mutation, ({ range, edits }) => {
          const [from, to] = ranges[range]!;
          const copy = original.slice();
          for (const e of edits) copy[from + (e.at % Math.max(1, to - from))] = e.value;
          runOne(copy);
        }),
        { numRuns: 40, seed: 0x601c11 },
      );
      fc.assert(
        fc.property(fc.integer({ min: 0, max: original.length - 1 }), (len) => runOne(original.subarray(0, len))),
        { numRuns: 15, seed: 0x601c12 },
      );
    });
  }
});
