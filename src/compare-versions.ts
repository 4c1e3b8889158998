/**
 * Compares dotted version numbers numerically, part by part: `2.34` > `2.4`, `1.24.10` > `1.24.9`,
 * `2.3` = `2.3.0` (a missing part counts as 0). Returns -1, 0 or 1. Go's own versions (`1.21rc1`,
 * `1.21` before `1.21.0`) follow other rules: see compareGoVersions in project/gomod.ts.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10));
  const pb = b.split('.').map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
