import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { claimTier, coveredBytes, type Claim } from '../../src/analysis/size/intervals.js';

describe('claimTier', () => {
  test('the earlier start wins an overlap; the later claim keeps only what is left', () => {
    const { pieces } = claimTier(
      [],
      [
        { start: 10, end: 20, owner: 1 },
        { start: 15, end: 30, owner: 2 },
      ],
    );
    assert.deepEqual(pieces, [
      { start: 10, end: 20, owner: 1 },
      { start: 20, end: 30, owner: 2 },
    ]);
  });

  test('a previous tier is never handed out again, even from inside a claim', () => {
    const first = claimTier([], [{ start: 40, end: 50, owner: 9 }]);
    const { pieces } = claimTier(first.covered, [{ start: 30, end: 60, owner: 1 }]);
    assert.deepEqual(pieces, [
      { start: 30, end: 40, owner: 1 },
      { start: 50, end: 60, owner: 1 },
    ]);
  });

  test('same start: the smaller (more specific) claim wins', () => {
    const { pieces } = claimTier(
      [],
      [
        { start: 0, end: 100, owner: 1 },
        { start: 0, end: 10, owner: 2 },
      ],
    );
    assert.deepEqual(pieces, [
      { start: 0, end: 10, owner: 2 },
      { start: 10, end: 100, owner: 1 },
    ]);
  });

  // The fast path is what keeps 10^5 pclntab functions linear: those claims come sorted, each ending where
  // the next starts, beside the earlier tier (the reserved table) that may end or start where they do. It
  // hands the claims back as they are; a slow-path answer would be new objects.
  test('claims already sorted, touching one another and the earlier tier, take the fast path (returned as they are)', () => {
    const reserved = claimTier([], [{ start: 0, end: 10, owner: -1 }]).covered;
    const reservedAfter = claimTier([], [{ start: 40, end: 50, owner: -1 }]).covered;
    const touching: Claim[] = [
      { start: 10, end: 20, owner: 1 },
      { start: 20, end: 30, owner: 2 },
      { start: 30, end: 40, owner: 3 },
    ];
    for (const covered of [[], reserved, reservedAfter]) {
      const t = claimTier(covered, touching);
      assert.equal(t.pieces, touching);
      assert.equal(coveredBytes(t.covered, 0, 100), 30 + coveredBytes(covered, 0, 100));
    }
    // an overlap with the earlier tier is not clear: new pieces, without the covered bytes
    const { pieces } = claimTier([[15, 25]], touching);
    assert.notEqual(pieces, touching);
    assert.deepEqual(pieces, [
      { start: 10, end: 15, owner: 1 },
      { start: 25, end: 30, owner: 2 },
      { start: 30, end: 40, owner: 3 },
    ]);
  });

  test('a claim of no bytes gets no piece, also among sorted claims that touch (where an empty one would start a covered range)', () => {
    const claims: Claim[] = [
      { start: 0, end: 10, owner: 1 },
      { start: 10, end: 10, owner: 2 },
      { start: 10, end: 20, owner: 3 },
    ];
    assert.deepEqual(claimTier([], claims).pieces, [
      { start: 0, end: 10, owner: 1 },
      { start: 10, end: 20, owner: 3 },
    ]);
    // the next tier: an empty claim at the start of a covered range is no piece beside it either
    assert.deepEqual(claimTier([[10, 20]], [{ start: 10, end: 10, owner: 4 }]).pieces, []);
  });

  // the invariant everything rests on: pieces are disjoint and cover exactly the union of all claims
  test('property: pieces are disjoint and cover exactly the union of both tiers', () => {
    const claim = fc
      .record({ start: fc.integer({ min: 0, max: 500 }), len: fc.integer({ min: 0, max: 80 }), owner: fc.integer({ min: 0, max: 5 }) })
      .map(({ start, len, owner }): Claim => ({ start, end: start + len, owner }));
    fc.assert(
      fc.property(fc.array(claim, { maxLength: 30 }), fc.array(claim, { maxLength: 30 }), (t1, t2) => {
        const a = claimTier([], t1);
        const b = claimTier(a.covered, t2);
        const all = [...a.pieces, ...b.pieces].sort((x, y) => x.start - y.start);
        for (let i = 1; i < all.length; i++) assert.ok(all[i]!.start >= all[i - 1]!.end, 'overlap');
        const union = new Set<number>();
        for (const c of [...t1, ...t2]) for (let x = c.start; x < c.end; x++) union.add(x);
        const total = all.reduce((t, p) => t + p.end - p.start, 0);
        assert.equal(total, union.size);
        assert.equal(coveredBytes(b.covered, 0, 1000), union.size);
        // every piece lies inside a claim of its owner
        for (const p of b.pieces) assert.ok(t2.some((c) => c.owner === p.owner && c.start <= p.start && p.end <= c.end));
      }),
      { numRuns: 300 },
    );
  });
});
