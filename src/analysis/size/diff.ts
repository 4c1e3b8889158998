/**
 * `size OLD NEW`: the change per package, module and section between two single reports. Each delta is
 * exactly new − old of what is compared (a name missing on one side counts 0 there), so the package
 * deltas plus the unattributed delta add up to the change in file size.
 *
 * Data is attributed to packages only through a symbol table. When one side has one and the other is
 * stripped, comparing package sizes as they are would show every package losing its data although its
 * code did not change; then both sides are compared by code, padding and pclntab alone, the data of the
 * side that had it is counted as unattributed there, and a note says so.
 */
import type { SizeDelta, SizeDiff, SizeReport } from './types.js';

export function diffSize(a: SizeReport, b: SizeReport): SizeDiff {
  const mixed = a.symbols !== b.symbols;
  const size = (p: { size: number; data: number }): number => (mixed ? p.size - p.data : p.size);
  const dataOf = (r: SizeReport): number => (mixed ? r.packages.reduce((n, p) => n + p.data, 0) : 0);
  const diff: SizeDiff = {
    old: { file: a.file, fileSize: a.fileSize },
    new: { file: b.file, fileSize: b.fileSize },
    total: { old: a.fileSize, new: b.fileSize, delta: b.fileSize - a.fileSize },
    unattributed: oldNew(a.unattributed + dataOf(a), b.unattributed + dataOf(b)),
    packages: mixed
      ? deltas(rows(a.packages.map((p) => [p.name, size(p)])), rows(b.packages.map((p) => [p.name, size(p)])))
      : deltas(
          a.packages.map((p) => [p.name, p.size]),
          b.packages.map((p) => [p.name, p.size]),
        ),
    modules: mixed
      ? deltas(moduleRows(a, size), moduleRows(b, size))
      : deltas(
          a.modules.map((m) => [m.path, m.size]),
          b.modules.map((m) => [m.path, m.size]),
        ),
    sections: deltas(sectionRows(a), sectionRows(b)),
    notes: [],
  };
  if (mixed) {
    const [withSyms, without] = a.symbols ? ['OLD', 'NEW'] : ['NEW', 'OLD'];
    diff.notes.push({
      code: 'mixed-attribution',
      message: `${without} has no symbol table (stripped) and ${withSyms} has one, so data cannot be given to packages on both sides: packages and modules are compared by code, padding and pclntab only, and ${withSyms}'s data is counted as unattributed`,
    });
  }
  return diff;
}

function oldNew(o: number, n: number): { old: number; new: number; delta: number } {
  return { old: o, new: n, delta: n - o };
}

/** Rows of zero size on a side are not rows there (a data-only group once data is left out). */
function rows(list: Array<[string, number]>): Array<[string, number]> {
  return list.filter(([, v]) => v !== 0);
}

/** Module sizes from the packages' code-only sizes, so both tables count the same bytes. */
function moduleRows(r: SizeReport, size: (p: { size: number; data: number }) => number): Array<[string, number]> {
  const out = new Map<string, number>();
  for (const p of r.packages) out.set(p.module, (out.get(p.module) ?? 0) + size(p));
  return rows([...out]);
}

/** Sections by name; a name used twice (Mach-O `__text` in two segments) is qualified by its segment. */
function sectionRows(r: SizeReport): Array<[string, number]> {
  const count = new Map<string, number>();
  for (const s of r.sections) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const s of r.sections) {
    const key = (count.get(s.name) ?? 0) > 1 && s.segment ? `${s.segment},${s.name}` : s.name;
    out.set(key, (out.get(key) ?? 0) + s.fileSize);
  }
  return [...out];
}

function deltas(a: Array<[string, number]>, b: Array<[string, number]>): SizeDelta[] {
  const old = new Map<string, number>();
  for (const [k, v] of a) old.set(k, (old.get(k) ?? 0) + v);
  const neu = new Map<string, number>();
  for (const [k, v] of b) neu.set(k, (neu.get(k) ?? 0) + v);
  const names = new Set([...old.keys(), ...neu.keys()]);
  const out: SizeDelta[] = [];
  for (const name of names) {
    const o = old.get(name) ?? 0;
    const n = neu.get(name) ?? 0;
    out.push({ name, old: o, new: n, delta: n - o });
  }
  return out.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}
