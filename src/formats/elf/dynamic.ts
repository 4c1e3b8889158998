/** The dynamic table: needed libraries, soname, search paths, flags, and where the version tables are. */
import { GokilnError } from '../../errors.js';
import { Reader, type ByteSource } from '../source.js';
import { ENTSIZE, type ElfHeader } from './header.js';
import { SHT, sectionBytes, stringAt, type RawSection } from './sections.js';
import { PT, vaddrToOffset, type RawSegment } from './segments.js';

export const DT = {
  NULL: 0,
  NEEDED: 1,
  STRTAB: 5,
  STRSZ: 10,
  SONAME: 14,
  RPATH: 15,
  RUNPATH: 29,
  FLAGS: 30,
  FLAGS_1: 0x6ffffffb,
  VERDEF: 0x6ffffffc,
  VERDEFNUM: 0x6ffffffd,
  VERNEED: 0x6ffffffe,
  VERNEEDNUM: 0x6fffffff,
} as const;

export const DF_1_PIE = 0x08000000;

export interface DynamicInfo {
  needed: string[];
  soname: string | null;
  rpath: string[];
  runpath: string[];
  /** DT_FLAGS_1 value, null when the tag is absent. */
  flags1: number | null;
  /** DT_VERNEED / DT_VERDEF addresses and counts, for files without section headers. */
  verneed: { addr: number; count: number } | null;
  verdef: { addr: number; count: number } | null;
  /** The dynamic string table (DT_STRTAB), to resolve version names when there are no sections. */
  strtab: Uint8Array | null;
}

interface Entry {
  tag: number;
  val: number;
}

/** Reads the dynamic table from PT_DYNAMIC, or from the SHT_DYNAMIC section when there is no segment. */
export function readDynamic(src: ByteSource, h: ElfHeader, segments: RawSegment[], sections: RawSection[]): DynamicInfo | null {
  const seg = segments.find((g) => g.type === PT.DYNAMIC);
  const sec = sections.find((s) => s.type === SHT.DYNAMIC);
  let bytes: Uint8Array;
  if (seg) bytes = src.read(seg.offset, seg.fileSize);
  else if (sec) bytes = sectionBytes(src, sec);
  else return null;
  const entries = parseEntries(bytes, h);
  const strtab = dynamicStrtab(src, entries, segments, sections, sec);
  const str = (e: Entry, what: string): string => {
    if (!strtab) throw new GokilnError('E_CORRUPT', `${what} names a string but the file has no dynamic string table`);
    return stringAt(strtab, e.val, what);
  };
  const info: DynamicInfo = { needed: [], soname: null, rpath: [], runpath: [], flags1: null, verneed: null, verdef: null, strtab };
  let verneedAddr: number | null = null,
    verneedNum = 0,
    verdefAddr: number | null = null,
    verdefNum = 0;
  for (const e of entries) {
    switch (e.tag) {
      case DT.NEEDED:
        info.needed.push(str(e, 'DT_NEEDED'));
        break;
      case DT.SONAME:
        info.soname = str(e, 'DT_SONAME');
        break;
      case DT.RPATH:
        info.rpath.push(...splitPath(str(e, 'DT_RPATH')));
        break;
      case DT.RUNPATH:
        info.runpath.push(...splitPath(str(e, 'DT_RUNPATH')));
        break;
      case DT.FLAGS_1:
        info.flags1 = e.val;
        break;
      case DT.VERNEED:
        verneedAddr = e.val;
        break;
      case DT.VERNEEDNUM:
        verneedNum = e.val;
        break;
      case DT.VERDEF:
        verdefAddr = e.val;
        break;
      case DT.VERDEFNUM:
        verdefNum = e.val;
        break;
    }
  }
  if (verneedAddr !== null) info.verneed = { addr: verneedAddr, count: verneedNum };
  if (verdefAddr !== null) info.verdef = { addr: verdefAddr, count: verdefNum };
  return info;
}

function parseEntries(bytes: Uint8Array, h: ElfHeader): Entry[] {
  const es = ENTSIZE[h.bits].dyn;
  const r = new Reader(bytes, h.little);
  const out: Entry[] = [];
  for (let o = 0; o + es <= bytes.length; o += es) {
    // d_tag then d_val/d_ptr, each one word; values past 2^53 are addresses we never map, kept lossy
    const tag = h.bits === 64 ? Number(r.u64big(o)) : r.u32(o);
    if (tag === DT.NULL) break;
    const val = h.bits === 64 ? Number(r.u64big(o + 8)) : r.u32(o + 4);
    out.push({ tag, val });
  }
  return out;
}

function dynamicStrtab(
  src: ByteSource,
  entries: Entry[],
  segments: RawSegment[],
  sections: RawSection[],
  dynSec: RawSection | undefined,
): Uint8Array | null {
  const addr = entries.find((e) => e.tag === DT.STRTAB)?.val;
  const size = entries.find((e) => e.tag === DT.STRSZ)?.val;
  if (addr !== undefined) {
    const at = vaddrToOffset(segments, addr);
    // a DT_STRSZ of 0 bounds nothing: glibc's loader reads names at DT_STRTAB + offset without it, and readelf
    // reads them too, so 0 (like no DT_STRSZ) leaves the table to the end of its segment
    if (at) return src.read(at.offset, Math.min(size || at.avail, at.avail));
  }
  // No program headers to map through (an object file, or a damaged one): use the linked section.
  const linked = dynSec ? sections[dynSec.link] : undefined;
  const byName = sections.find((s) => s.name === '.dynstr');
  const s = linked && linked.type === SHT.STRTAB ? linked : byName;
  return s ? sectionBytes(src, s) : null;
}

/** Search paths are ':'-separated; empty elements are dropped. */
function splitPath(p: string): string[] {
  return p.split(':').filter((x) => x !== '');
}
