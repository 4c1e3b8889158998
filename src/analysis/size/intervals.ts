/**
 * Byte ranges of the file handed out to owners without ever counting a byte twice. Claims come in
 * tiers (pclntab code ranges first, then symbols); within a tier the earlier start wins, and nothing
 * a previous tier took is given again. Every range is a half-open file-offset interval.
 */

export interface Claim {
  start: number;
  end: number;
  /** Opaque owner id chosen by the caller. */
  owner: number;
}

/** A sorted list of disjoint covered ranges, as [start, end) pairs. */
export type Coverage = Array<[number, number]>;

/**
 * Returns the pieces of `claims` not already in `covered` and not taken by an earlier claim of the same
 * tier, plus the coverage after them. O((n + m) log n).
 */
export function claimTier(covered: Coverage, claims: Claim[]): { pieces: Claim[]; covered: Coverage } {
  // the common case (pclntab functions): already sorted, disjoint and clear of earlier tiers
  if (sortedDisjointClear(covered, claims)) return { pieces: claims, covered: merge(covered, claims) };
  const sorted = claims
    .filter((c) => c.end > c.start)
    .sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.owner - b.owner);
  const pieces: Claim[] = [];
  let cursor = -Infinity;
  let k = 0;
  for (const c of sorted) {
    let s = Math.max(c.start, cursor);
    while (s < c.end) {
      while (k < covered.length && covered[k]![1] <= s) k++;
      const next = covered[k];
      if (next && next[0] <= s) {
        s = next[1];
        continue;
      }
      const e = next ? Math.min(c.end, next[0]) : c.end;
      pieces.push({ start: s, end: e, owner: c.owner });
      s = e;
    }
    cursor = Math.max(cursor, c.end);
  }
  return { pieces, covered: merge(covered, pieces) };
}

function sortedDisjointClear(covered: Coverage, claims: Claim[]): boolean {
  let k = 0;
  let prevEnd = -Infinity;
  for (const c of claims) {
    if (c.end <= c.start || c.start < prevEnd) return false;
    prevEnd = c.end;
    while (k < covered.length && covered[k]![1] <= c.start) k++;
    const next = covered[k];
    if (next && next[0] < c.end) return false;
  }
  return true;
}

/** Merges two sorted inputs into sorted disjoint ranges, without building a combined array first. */
function merge(a: Coverage, pieces: Claim[]): Coverage {
  const out: Coverage = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < pieces.length) {
    const fromA = j >= pieces.length || (i < a.length && a[i]![0] <= pieces[j]!.start);
    const s = fromA ? a[i]![0] : pieces[j]!.start;
    const e = fromA ? a[i++]![1] : pieces[j++]!.end;
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Bytes of [start, end) inside the coverage. */
export function coveredBytes(covered: Coverage, start: number, end: number): number {
  let n = 0;
  for (const [s, e] of covered) {
    if (e <= start) continue;
    if (s >= end) break;
    n += Math.min(e, end) - Math.max(s, start);
  }
  return n;
}
