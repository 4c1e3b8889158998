/**
 * Symbol versioning: the versions a file needs from each library (`.gnu.version_r`, Elf_Verneed) and
 * the versions it defines (`.gnu.version_d`, Elf_Verdef). Both structures are 16/20-byte records with
 * the same layout in 32- and 64-bit files, chained by relative offsets.
 */
import { GokilnError } from '../../errors.js';
import type { VersionNeed } from '../binary.js';
import { Reader } from '../source.js';
import { stringAt } from './sections.js';
import { compareVersions } from '../../compare-versions.js';

export { compareVersions };

const VER_FLG_BASE = 0x1;

/**
 * `count` is sh_info or DT_VERNEEDNUM; 0 means "walk until vn_next is 0" (as glibc's loader walks it). The
 * walk is bounded by the size of the area, so a cyclic or absurd chain ends in E_CORRUPT rather than a hang
 * or a silent stop: a chain that has not ended after as many records as the area can hold never ends.
 */
export function parseVerneed(bytes: Uint8Array, little: boolean, count: number, strtab: Uint8Array): VersionNeed[] {
  const r = new Reader(bytes, little);
  const limit = Math.floor(bytes.length / 16);
  if (count > limit) throw new GokilnError('E_CORRUPT', `${count} version-need records cannot fit in ${bytes.length} bytes`);
  const out: VersionNeed[] = [];
  let off = 0;
  let ended = count !== 0 || limit === 0;
  for (let i = 0; count === 0 ? i < limit : i < count; i++) {
    // vn_version@0 u16, vn_cnt@2 u16, vn_file@4 u32, vn_aux@8 u32, vn_next@12 u32
    const cnt = r.u16(off + 2);
    const file = stringAt(strtab, r.u32(off + 4), 'version-need file name');
    const versions: string[] = [];
    let aux = off + r.u32(off + 8);
    for (let j = 0; j < cnt; j++) {
      if (j >= limit) throw new GokilnError('E_CORRUPT', 'version-need auxiliary chain is longer than its section');
      // vna_hash@0 u32, vna_flags@4 u16, vna_other@6 u16, vna_name@8 u32, vna_next@12 u32
      versions.push(stringAt(strtab, r.u32(aux + 8), 'version name'));
      const next = r.u32(aux + 12);
      if (next === 0) break;
      aux += next;
    }
    out.push({ file, versions });
    const next = r.u32(off + 12);
    if (next === 0) {
      ended = true;
      break;
    }
    off += next;
  }
  if (!ended) throw new GokilnError('E_CORRUPT', `version-need chain does not end within its ${bytes.length}-byte area`);
  return out;
}

/** Names of the versions a file defines, without the base entry (which repeats the file's soname). */
export function parseVerdef(bytes: Uint8Array, little: boolean, count: number, strtab: Uint8Array): string[] {
  const r = new Reader(bytes, little);
  const limit = Math.floor(bytes.length / 20);
  if (count > limit) throw new GokilnError('E_CORRUPT', `${count} version-definition records cannot fit in ${bytes.length} bytes`);
  const out: string[] = [];
  let off = 0;
  let ended = count !== 0 || limit === 0;
  for (let i = 0; count === 0 ? i < limit : i < count; i++) {
    // vd_version@0 u16, vd_flags@2 u16, vd_ndx@4 u16, vd_cnt@6 u16, vd_hash@8 u32, vd_aux@12 u32, vd_next@16 u32
    const flags = r.u16(off + 2);
    // the first Elf_Verdaux (vda_name@0, vda_next@4) names the version, later ones its parents; it is read
    // whatever vd_cnt says, as glibc's loader and readelf -V read it
    if ((flags & VER_FLG_BASE) === 0) out.push(stringAt(strtab, r.u32(off + r.u32(off + 12)), 'version name'));
    const next = r.u32(off + 16);
    if (next === 0) {
      ended = true;
      break;
    }
    off += next;
  }
  if (!ended) throw new GokilnError('E_CORRUPT', `version-definition chain does not end within its ${bytes.length}-byte area`);
  return out;
}

const GLIBC = /^GLIBC_(\d+(?:\.\d+)*)$/;

function highest(names: Iterable<string>): string | null {
  let best: string | null = null;
  for (const n of names) {
    const m = GLIBC.exec(n);
    if (m?.[1] && (best === null || compareVersions(m[1], best) > 0)) best = m[1];
  }
  return best;
}

/**
 * The newest glibc a binary needs, as a bare version ('2.34'), from every GLIBC_x.y it needs from any
 * library (libc.so.6, libm.so.6, ld-linux… all version with glibc's release); null when it needs none.
 */
export function highestGlibc(versionNeeds: VersionNeed[]): string | null {
  return highest(versionNeeds.flatMap((n) => n.versions));
}

/** The glibc a libc.so.6 provides, as a bare version ('2.36'): its highest GLIBC_x.y definition. */
export function glibcProvided(versionDefs: string[]): string | null {
  return highest(versionDefs);
}
