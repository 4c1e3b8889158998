/** ELF notes: the GNU build-id, Go's build ID, and the notes that say which OS a file is for. */
import { GokilnError } from '../../errors.js';
import { Reader, decodeUtf8 } from '../source.js';

export interface ElfNote {
  owner: string;
  type: number;
  desc: Uint8Array;
}

export const NT = { GNU_ABI_TAG: 1, GNU_BUILD_ID: 3, GO_BUILD_ID: 4 } as const;

/**
 * Splits a note area into notes. `align` is the area's alignment: 8-byte aligned areas (GNU property
 * notes in 64-bit files) pad descriptors to 8, all others to 4.
 */
export function parseNotes(bytes: Uint8Array, little: boolean, align: number): ElfNote[] {
  const pad = align === 8 ? 8 : 4;
  const r = new Reader(bytes, little);
  const out: ElfNote[] = [];
  let off = 0;
  while (off + 12 <= bytes.length) {
    // n_namesz@0, n_descsz@4, n_type@8, then the name and the descriptor, each padded
    const namesz = r.u32(off);
    const descsz = r.u32(off + 4);
    const type = r.u32(off + 8);
    const nameOff = off + 12;
    // offsets are rounded from the start of the note, as binutils does (ELF_NOTE_DESC_OFFSET)
    const descOff = off + roundUp(12 + namesz, pad);
    const end = off + roundUp(descOff - off + descsz, pad);
    if (descOff + descsz > bytes.length || nameOff + namesz > bytes.length) {
      throw new GokilnError(
        'E_CORRUPT',
        `note at ${off} (name ${namesz} bytes, descriptor ${descsz} bytes) runs past its ${bytes.length}-byte area`,
      );
    }
    let nameEnd = nameOff + namesz;
    while (nameEnd > nameOff && bytes[nameEnd - 1] === 0) nameEnd--;
    out.push({ owner: decodeUtf8(bytes.subarray(nameOff, nameEnd)), type, desc: bytes.subarray(descOff, descOff + descsz) });
    off = end;
  }
  return out;
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export interface NoteFacts {
  gnuBuildId: string | null;
  goBuildId: string | null;
  /** NT_GNU_ABI_TAG: OS word and minimum kernel, e.g. { os: 0, version: '3.2.0' }; glibc's crt1.o adds it. */
  gnuAbiTag: { os: number; version: string } | null;
  /** Owners of type-1 notes (OS identification notes). */
  identOwners: string[];
}

export function noteFacts(notes: ElfNote[], little: boolean): NoteFacts {
  const f: NoteFacts = { gnuBuildId: null, goBuildId: null, gnuAbiTag: null, identOwners: [] };
  for (const n of notes) {
    if (n.owner === 'GNU' && n.type === NT.GNU_BUILD_ID && f.gnuBuildId === null) f.gnuBuildId = hex(n.desc);
    else if (n.owner === 'Go' && n.type === NT.GO_BUILD_ID && f.goBuildId === null) f.goBuildId = decodeUtf8(n.desc).replace(/\0+$/, '');
    else if (n.type === 1) {
      f.identOwners.push(n.owner);
      if (n.owner === 'GNU' && n.desc.length >= 16 && f.gnuAbiTag === null) {
        const r = new Reader(n.desc, little);
        f.gnuAbiTag = { os: r.u32(0), version: `${r.u32(4)}.${r.u32(8)}.${r.u32(12)}` };
      }
    }
  }
  return f;
}
