/**
 * What the Go 1.26+ layout no longer puts in the pclntab header: the address of the text the function
 * entries are relative to: the moduledata's `text` field (in its own `.go.module` / `__go_module` section
 * since 1.26, found through its pcHeader pointer elsewhere), the `runtime.text` symbol, or the start of the
 * text section.
 */
import { findSection, type BinaryImage } from '../binary.js';
import { Reader } from '../source.js';

/** Word index of `text` in runtime.moduledata (pcHeader, six slices of three words, findfunctab, minpc, maxpc). */
const MODULEDATA_TEXT_WORD = 22;

function inExecSection(img: BinaryImage, addr: number): boolean {
  return (
    img.sections.some((s) => s.exec && addr >= s.addr && addr < s.addr + s.size) ||
    img.segments.some((g) => g.exec && addr >= g.vaddr && addr < g.vaddr + g.memSize)
  );
}

/** Writable data to search: sections, or the loaded segments when there are no section headers. */
function writableAreas(img: BinaryImage): Array<{ addr: number; offset: number; fileSize: number }> {
  const secs = img.sections.filter((s) => s.write && !s.exec && s.fileSize > 0);
  if (secs.length > 0) return secs;
  return img.segments
    .filter((g) => g.write && !g.exec && g.fileSize > 0)
    .map((g) => ({ addr: g.vaddr, offset: g.offset, fileSize: g.fileSize }));
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
  return img.definedSymbols([name])[0]?.addr ?? null;
}

/**
 * runtime.text from a moduledata found by its first word, the pcHeader address (for PE, where moduledata
 * sits in `.data` without a section or symbol of its own).
 */
export function moduledataTextByHeader(img: BinaryImage, pclntabAddr: number): number | null {
  const p = img.bits === 64 ? 8 : 4;
  const little = img.endian === 'little';
  const need = (MODULEDATA_TEXT_WORD + 1) * p;
  for (const s of writableAreas(img)) {
    if (s.fileSize < need) continue;
    const b = img.source.read(s.offset, s.fileSize);
    const rd = new Reader(b, little);
    for (let off = (p - (s.addr % p)) % p; off + need <= b.length; off += p) {
      if (rd.u32(off + (little || p === 4 ? 0 : 4)) !== pclntabAddr % 0x100000000) continue;
      if (rd.uptr(off, p) !== pclntabAddr) continue;
      const text = rd.uptr(off + MODULEDATA_TEXT_WORD * p, p);
      if (text !== 0 && inExecSection(img, text)) return text;
    }
  }
  return null;
}

/**
 * The address Go 1.18+ function entries are offsets from, for tables whose header no longer holds it
 * (Go 1.26+): the moduledata's text field, else runtime.text, else the start of the text section (right
 * for internally linked binaries; externally linked ones put C start files first).
 */
export function resolveTextStart(img: BinaryImage, pclntabAddr?: number): number {
  const fromModule = moduledataText(img);
  if (fromModule !== null) return fromModule;
  const fromSymbol = symbolAddr(img, 'runtime.text');
  if (fromSymbol !== null && fromSymbol !== 0) return fromSymbol;
  if (pclntabAddr !== undefined) {
    const byHeader = moduledataTextByHeader(img, pclntabAddr);
    if (byHeader !== null) return byHeader;
  }
  const text = findSection(img, '.text', '__text');
  return text ? text.addr : 0;
}

/** The byte range between two symbols (e.g. runtime.pclntab … runtime.epclntab), or null. */
export function symbolRange(img: BinaryImage, start: string, end: string): { addr: number; size: number } | null {
  if (!img.hasSymbols) return null;
  const syms = img.definedSymbols([start, end]);
  const a = syms.find((x) => x.name === start);
  const b = syms.find((x) => x.name === end);
  if (!a || !b || b.addr <= a.addr) return null;
  return { addr: a.addr, size: b.addr - a.addr };
}
