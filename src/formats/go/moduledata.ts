/**
 * What the Go 1.26+ layout no longer puts in the pclntab header: the address of the text the function
 * entries are relative to. Found from `runtime.text` (symbol), the moduledata's `text` field (its own
 * `.go.module` / `__go_module` section since 1.26), or the start of the text section, in that order of trust.
 */
import { findSection, type BinaryImage } from '../binary.js';
import { Reader } from '../source.js';

/** Word index of `text` in runtime.moduledata (pcHeader, six slices of three words, findfunctab, minpc, maxpc). */
const MODULEDATA_TEXT_WORD = 22;

function inExecSection(img: BinaryImage, addr: number): boolean {
  return img.sections.some((s) => s.exec && addr >= s.addr && addr < s.addr + s.size);
}

/** runtime.text from the moduledata section, when the value there is a real (relocated) text address. */
export function moduledataText(img: BinaryImage): number | null {
  const s = findSection(img, '.go.module', '__go_module');
  const p = img.bits === 64 ? 8 : 4;
  if (!s || s.fileSize < (MODULEDATA_TEXT_WORD + 1) * p) return null;
  const rd = new Reader(img.source.read(s.offset, (MODULEDATA_TEXT_WORD + 1) * p), img.endian === 'little');
  const text = rd.uptr(MODULEDATA_TEXT_WORD * p, p);
  return text !== 0 && inExecSection(img, text) ? text : null;
}

function symbolAddr(img: BinaryImage, name: string): number | null {
  if (!img.hasSymbols) return null;
  const syms = img.symbols();
  const s = syms?.find((x) => x.name === name && x.kind !== 'undef');
  return s ? s.addr : null;
}

/** The address Go 1.18+ function entries are offsets from. */
export function resolveTextStart(img: BinaryImage): number {
  const fromSymbol = symbolAddr(img, 'runtime.text');
  if (fromSymbol !== null && fromSymbol !== 0) return fromSymbol;
  const fromModule = moduledataText(img);
  if (fromModule !== null) return fromModule;
  const text = findSection(img, '.text', '__text');
  return text ? text.addr : 0;
}

/** The byte range between two symbols (e.g. runtime.pclntab … runtime.epclntab), or null. */
export function symbolRange(img: BinaryImage, start: string, end: string): { addr: number; size: number } | null {
  if (!img.hasSymbols) return null;
  const syms = img.symbols();
  if (!syms) return null;
  const a = syms.find((x) => x.name === start && x.kind !== 'undef');
  const b = syms.find((x) => x.name === end && x.kind !== 'undef');
  if (!a || !b || b.addr <= a.addr) return null;
  return { addr: a.addr, size: b.addr - a.addr };
}
