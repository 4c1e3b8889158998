/**
 * `size` for one file: open it by offset, read the binary and its Go tables, attribute every byte.
 * Go tables that fail to read do not fail the command: the report keeps section sizes and says why
 * packages are missing. An unreadable binary is a GokilnError (the CLI exits 2).
 */
import { GokilnError, isGokilnError } from '../../errors.js';
import type { BinaryImage } from '../../formats/binary.js';
import { parseBinary } from '../../formats/open.js';
import { readPclntabAndBytes } from '../../formats/go/pclntab.js';
import { readBuildInfo } from '../../formats/go/buildinfo.js';
import { packageNamer } from '../../formats/go/symbols.js';
import type { GoPclntab } from '../../formats/go/types.js';
import { Reader, type ByteSource } from '../../formats/source.js';
import { FileSource } from '../../io/file-source.js';
import { attributeSize } from './attribute.js';
import { functionCodeSizes } from './func-size.js';
import type { SizeDetail, SizeNote, SizeReport } from './types.js';

export interface SizeOptions {
  /** For a universal Mach-O: which slice (default 0). */
  slice?: number;
  symbolsPerPackage?: number;
}

export interface SizeResult {
  report: SizeReport;
  detail: SizeDetail;
}

export function sizeFile(path: string, opts: SizeOptions = {}): SizeResult {
  const src = FileSource.open(path);
  try {
    return sizeSource(src, path, opts);
  } finally {
    src.close();
  }
}

export function sizeSource(src: ByteSource, file: string, opts: SizeOptions = {}): SizeResult {
  const images = parseBinary(src);
  const k = opts.slice ?? 0;
  const img = images[k];
  if (!img) throw new GokilnError('E_USAGE', `${file} has ${images.length} slice(s); no slice ${k}`, { file });
  const notes: SizeNote[] = [];
  if (images.length > 1) {
    notes.push({
      code: 'universal-slice',
      message: `universal binary with ${images.length} slices (${images.map((i) => i.arch).join(', ')}): sizes are of slice ${k} (${img.arch}), ${img.fileSize} of ${src.size} bytes`,
    });
  }
  const table = optional(notes, 'pclntab-error', () => readPclntabAndBytes(img));
  const pcln = table?.pcln ?? null;
  const bi = optional(notes, 'buildinfo-error', () => readBuildInfo(img));
  if (!pcln) {
    notes.push({ code: 'not-go', message: 'no Go pclntab found: package attribution needs a Go binary; only section sizes are shown' });
  } else if (!bi) {
    notes.push({ code: 'no-buildinfo', message: 'no Go build info: modules are guessed from package paths and have no versions' });
  }
  const funcSizes = table ? codeSizes(img, table.pcln, table.bytes, notes) : null;
  return attributeSize({
    file,
    img,
    pcln,
    funcSizes,
    buildInfo: bi,
    goVersion: bi?.goVersion ?? null,
    packageOf: packageNamer(),
    notes,
    symbolsPerPackage: opts.symbolsPerPackage,
  });
}

function codeSizes(img: BinaryImage, pcln: GoPclntab, bytes: Uint8Array, notes: SizeNote[]): number[] | null {
  const sizes = functionCodeSizes(new Reader(bytes, img.endian === 'little'), pcln);
  if (!sizes) {
    notes.push({
      code: 'func-size-fallback',
      message: 'function lengths could not be read from the pc tables: text includes the alignment fill between functions',
    });
  }
  return sizes;
}

function optional<T>(notes: SizeNote[], code: SizeNote['code'], fn: () => T | null): T | null {
  try {
    return fn();
  } catch (e) {
    if (!isGokilnError(e)) throw e;
    notes.push({ code, message: `${e.code}: ${e.message}` });
    return null;
  }
}
