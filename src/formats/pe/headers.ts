import { GokilnError } from '../../errors.js';
import { Reader, type ByteSource } from '../source.js';
import { PE32_MAGIC, PE32PLUS_MAGIC } from './constants.js';

export interface PeHeaders {
  /** File offset of the COFF header (after the `PE\0\0` signature). */
  coffOffset: number;
  machine: number;
  numberOfSections: number;
  timeDateStamp: number;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  sizeOfOptionalHeader: number;
  characteristics: number;
  pe32plus: boolean;
  entryRva: number;
  imageBase: number;
  sizeOfHeaders: number;
  subsystem: number;
  dllCharacteristics: number;
  /** [rva, size] for each data directory present. */
  dataDirectories: Array<[number, number]>;
  /** File offset of the section table. */
  sectionTableOffset: number;
}

/**
 * DOS header (`MZ`, e_lfanew at 0x3c) → `PE\0\0` → COFF file header (20 bytes) → optional header
 * (PE32 or PE32+), whose layout differs only in the width of ImageBase and the stack/heap sizes.
 */
export function readHeaders(src: ByteSource): PeHeaders {
  if (src.size < 64) throw new GokilnError('E_TRUNCATED', `a DOS/PE header needs 64 bytes, the file has ${src.size}`);
  const dos = new Reader(src.read(0, 64), true);
  if (dos.u16(0) !== 0x5a4d) throw new GokilnError('E_NOT_BINARY', 'not a PE file (no MZ signature)');
  const lfanew = dos.u32(0x3c);
  if (lfanew + 24 > src.size) {
    throw new GokilnError('E_TRUNCATED', `PE header at ${lfanew} lies past the end of the ${src.size}-byte file`, { offset: lfanew });
  }
  const nt = new Reader(src.read(lfanew, 24), true);
  if (nt.u32(0) !== 0x00004550) {
    throw new GokilnError('E_NOT_BINARY', 'an MS-DOS executable without a PE header (not a Windows PE binary)', { offset: lfanew });
  }
  const coffOffset = lfanew + 4;
  // COFF: Machine u16, NumberOfSections u16, TimeDateStamp, PointerToSymbolTable, NumberOfSymbols,
  // SizeOfOptionalHeader u16, Characteristics u16
  const machine = nt.u16(4);
  const numberOfSections = nt.u16(6);
  const timeDateStamp = nt.u32(8);
  const pointerToSymbolTable = nt.u32(12);
  const numberOfSymbols = nt.u32(16);
  const sizeOfOptionalHeader = nt.u16(20);
  const characteristics = nt.u16(22);
  const optOffset = lfanew + 24;
  if (sizeOfOptionalHeader < 2) {
    throw new GokilnError('E_CORRUPT', 'PE file without an optional header (an object file, not an image)', { offset: optOffset });
  }
  if (optOffset + sizeOfOptionalHeader > src.size) {
    throw new GokilnError('E_TRUNCATED', `optional header (${sizeOfOptionalHeader} bytes at ${optOffset}) runs past the end of the file`, {
      offset: optOffset,
    });
  }
  const o = new Reader(src.read(optOffset, sizeOfOptionalHeader), true);
  const magic = o.u16(0);
  if (magic !== PE32_MAGIC && magic !== PE32PLUS_MAGIC) {
    throw new GokilnError('E_CORRUPT', `unknown optional header magic 0x${magic.toString(16)}`, { offset: optOffset });
  }
  const pe32plus = magic === PE32PLUS_MAGIC;
  // Both: AddressOfEntryPoint at 16, SizeOfHeaders at 60, Subsystem at 68, DllCharacteristics at 70.
  // PE32: ImageBase u32 at 28, NumberOfRvaAndSizes at 92, directories at 96.
  // PE32+: ImageBase u64 at 24, NumberOfRvaAndSizes at 108, directories at 112.
  const entryRva = o.u32(16);
  const imageBase = pe32plus ? o.u64(24) : o.u32(28);
  const sizeOfHeaders = o.u32(60);
  const subsystem = o.u16(68);
  const dllCharacteristics = o.u16(70);
  const ndirOff = pe32plus ? 108 : 92;
  const dirOff = ndirOff + 4;
  const ndirs = Math.min(o.u32(ndirOff), 16, Math.max(0, Math.floor((o.length - dirOff) / 8)));
  const dataDirectories: Array<[number, number]> = [];
  for (let i = 0; i < ndirs; i++) dataDirectories.push([o.u32(dirOff + i * 8), o.u32(dirOff + i * 8 + 4)]);
  const sectionTableOffset = optOffset + sizeOfOptionalHeader;
  if (sectionTableOffset + numberOfSections * 40 > src.size) {
    throw new GokilnError(
      'E_TRUNCATED',
      `section table (${numberOfSections} entries at ${sectionTableOffset}) runs past the end of the ${src.size}-byte file`,
      { offset: sectionTableOffset },
    );
  }
  return {
    coffOffset,
    machine,
    numberOfSections,
    timeDateStamp,
    pointerToSymbolTable,
    numberOfSymbols,
    sizeOfOptionalHeader,
    characteristics,
    pe32plus,
    entryRva,
    imageBase,
    sizeOfHeaders,
    subsystem,
    dllCharacteristics,
    dataDirectories,
    sectionTableOffset,
  };
}
