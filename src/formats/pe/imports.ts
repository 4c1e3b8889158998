import { GokilnError } from '../../errors.js';
import { Reader, type ByteSource } from '../source.js';
import { DIR_IMPORT } from './constants.js';
import type { PeHeaders } from './headers.js';
import { rvaToOffset, type RawPeSection } from './sections.js';

/**
 * DLL names from the import directory: IMAGE_IMPORT_DESCRIPTOR records (20 bytes: OriginalFirstThunk,
 * TimeDateStamp, ForwarderChain, Name RVA, FirstThunk) up to an all-zero record.
 */
export function readImports(src: ByteSource, h: PeHeaders, sections: RawPeSection[]): string[] {
  const dir = h.dataDirectories[DIR_IMPORT];
  if (!dir || dir[0] === 0) return [];
  const start = rvaToOffset(sections, h, dir[0]);
  if (start === null) {
    throw new GokilnError('E_CORRUPT', `import directory at RVA 0x${dir[0].toString(16)} is not backed by file bytes`);
  }
  // the directory size is often imprecise; the zero record ends the list, the file bounds it
  const max = Math.floor((src.size - start) / 20);
  const out: string[] = [];
  for (let i = 0; i < max; i++) {
    const d = new Reader(src.read(start + i * 20, 20), true);
    const nameRva = d.u32(12);
    if (nameRva === 0 && d.u32(0) === 0 && d.u32(16) === 0) return out;
    const nameOff = rvaToOffset(sections, h, nameRva);
    if (nameOff === null) {
      throw new GokilnError('E_CORRUPT', `import ${i}: DLL name at RVA 0x${nameRva.toString(16)} is not backed by file bytes`);
    }
    const len = Math.min(256, src.size - nameOff);
    out.push(new Reader(src.read(nameOff, len), true).cstring(0, len));
  }
  throw new GokilnError('E_TRUNCATED', 'import directory has no terminating record before the end of the file');
}
