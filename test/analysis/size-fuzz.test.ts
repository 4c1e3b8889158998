/**
 * Damaged binaries never make `size` throw anything but a GokilnError, and whenever it does produce a
 * report, the report keeps the byte identity.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fixture } from '../fixtures/index.js';
import { sizeSource } from '../../src/analysis/size/analyze.js';
import { BufferSource } from '../../src/formats/source.js';
import { isGokilnError } from '../../src/errors.js';

function check(bytes: Uint8Array): void {
  try {
    const { report } = sizeSource(new BufferSource(bytes), 'fuzz');
    assert.equal(report.packages.reduce((t, p) => t + p.size, 0) + report.unattributed, bytes.length);
  } catch (e) {
    if (!isGokilnError(e)) throw e;
  }
}

for (const name of ['static-stripped', 'windows-amd64', 'darwin-arm64']) {
  test(`${name}: truncations and flipped bytes give a typed error or a report that adds up`, () => {
    const orig = new Uint8Array(readFileSync(fixture(name)));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: orig.length }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: orig.length - 1 }), v: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
        // bias damage towards the headers and the pclntab header, where it matters most
        fc.boolean(),
        (cut, flips, nearStart) => {
          const b = orig.slice(0, cut);
          for (const f of flips) {
            const at = nearStart ? f.at % 4096 : f.at;
            if (at < b.length) b[at] = f.v;
          }
          check(b);
        },
      ),
      { numRuns: 40 },
    );
  });
}

test('static-stripped: damage inside the pclntab (function table, pc tables) stays typed', () => {
  const orig = new Uint8Array(readFileSync(fixture('static-stripped')));
  const { report } = sizeSource(new BufferSource(orig), 'clean');
  const sec = report.sections.find((s) => s.name === '.gopclntab')!;
  const off = findPclntab(orig);
  assert.ok(off > 0 && sec.fileSize > 0);
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.integer({ min: 0, max: Math.min(sec.fileSize, 1 << 20) - 1 }), v: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 16,
      }),
      (flips) => {
        const b = orig.slice();
        for (const f of flips) b[off + f.at] = f.v;
        check(b);
      },
    ),
    { numRuns: 40 },
  );
});

/** Offset of the Go 1.20+ pclntab magic (f1 ff ff ff 00 00) in the file. */
function findPclntab(b: Uint8Array): number {
  for (let i = 0; i + 8 <= b.length; i += 4) {
    if (
      b[i] === 0xf1 &&
      b[i + 1] === 0xff &&
      b[i + 2] === 0xff &&
      b[i + 3] === 0xff &&
      b[i + 4] === 0 &&
      b[i + 5] === 0 &&
      (b[i + 7] === 8 || b[i + 7] === 4)
    )
      return i;
  }
  return -1;
}
