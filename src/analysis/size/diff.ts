/**
 * `size OLD NEW`: the change per package, module and section between two single reports. Each delta is
 * exactly new − old of the single reports (a name missing on one side counts 0 there), so the package
 * deltas plus the unattributed delta add up to the change in file size.
 */
import type { SizeDelta, SizeDiff, SizeReport } from './types.js';

export function diffSize(a: SizeReport, b: SizeReport): SizeDiff {
  return {
    old: { file: a.file, fileSize: a.fileSize },
    new: { file: b.file, fileSize: b.fileSize },
    total: { old: a.fileSize, new: b.fileSize, delta: b.fileSize - a.fileSize },
    unattributed: { old: a.unattributed, new: b.unattributed, delta: b.unattributed - a.unattributed },
    packages: deltas(a.packages.map((p) => [p.name, p.size]), b.packages.map((p) => [p.name, p.size])),
    modules: deltas(a.modules.map((m) => [m.path, m.size]), b.modules.map((m) => [m.path, m.size])),
    sections: deltas(sectionRows(a), sectionRows(b)),
  };
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
