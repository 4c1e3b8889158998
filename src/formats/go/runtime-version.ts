/**
 * The Go version a binary was built with when it has no build info: the runtime's `runtime.buildVersion`
 * string (what runtime.Version() returns). Read through the symbol when there is one; otherwise found as
 * Go lays it out: string bytes in read-only data (not NUL-terminated, packed among other strings) plus a
 * (pointer, length) string header in writable data pointing exactly at them. Requiring that header is what
 * keeps a GOROOT path (`/usr/local/go1.22/src`) or a module path from being taken for the version.
 */
import { Buffer } from 'node:buffer';
import { readVirtual, type BinaryImage, type Section } from '../binary.js';
import { Reader, decodeUtf8 } from '../source.js';

/** go1.N, go1.N.P, go1.NrcK / betaK, optionally followed by ` X:experiment,…` (GOEXPERIMENT builds). */
const VERSION_RE = /^go1\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?(?: X:[\x21-\x7e]+)?$/;
const SCAN_RE = /^go1\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?(?: X:[a-z0-9,_=-]+)?/;
const GO1 = Buffer.from('go1.', 'latin1');
/** Longer than any version string readStringHeader accepts (256 bytes). */
const MAX_VERSION_BYTES = 257;

export function isGoVersionString(s: string): boolean {
  return VERSION_RE.test(s);
}

function readStringHeader(img: BinaryImage, addr: number): string | null {
  const p = img.bits === 64 ? 8 : 4;
  const h = readVirtual(img, addr, 2 * p);
  if (!h) return null;
  const rd = new Reader(h, img.endian === 'little');
  const ptr = rd.uptr(0, p);
  const len = rd.uptr(p, p);
  if (len === 0 || len > 256) return null;
  const b = readVirtual(img, ptr, len);
  return b ? decodeUtf8(b) : null;
}

/** Through the `runtime.buildVersion` symbol, when the binary keeps its symbol table. */
function versionFromSymbol(img: BinaryImage): string | null {
  if (!img.hasSymbols) return null;
  const sym = img.definedSymbols(['runtime.buildVersion'])[0];
  if (!sym) return null;
  const v = readStringHeader(img, sym.addr);
  return v !== null && isGoVersionString(v) ? v : null;
}

const READONLY_NAMES = new Set(['.rodata', '.rdata', '__rodata', '.go.string', '__const', '.data.rel.ro']);
const WRITABLE_DATA_NAMES = new Set(['.data', '__data', '.noptrdata', '__noptrdata', '.data.rel.ro', '.go.module', '__go_module']);

/** Candidate version strings: address → the lengths at that address that spell a version. */
function candidates(img: BinaryImage): Map<number, number[]> {
  const found = new Map<number, number[]>();
  for (const s of img.sections) {
    if (!READONLY_NAMES.has(s.name) || s.fileSize === 0) continue;
    const raw = img.source.read(s.offset, s.fileSize);
    const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    // a native search for "go1." finds the few places worth a regular expression in megabytes of data
    for (let at = b.indexOf(GO1); at >= 0; at = b.indexOf(GO1, at + 1)) {
      const m = SCAN_RE.exec(b.toString('latin1', at, Math.min(b.length, at + MAX_VERSION_BYTES)));
      if (!m) continue;
      // The match may run into a neighbouring string (Go packs strings back to back): every prefix that
      // is itself a version is a candidate, and the string header decides.
      const lens: number[] = [];
      const full = m[0];
      for (let n = full.length; n >= 5; n--) if (isGoVersionString(full.slice(0, n))) lens.push(n);
      if (lens.length) found.set(s.addr + at, lens);
    }
  }
  return found;
}

/** Scans writable data for a string header pointing at a candidate; returns the version it spells. */
function versionFromHeaders(img: BinaryImage, cands: Map<number, number[]>): string | null {
  if (cands.size === 0) return null;
  const p = img.bits === 64 ? 8 : 4;
  const little = img.endian === 'little';
  const sections: Section[] = img.sections.filter(
    (s) => s.fileSize > 0 && !s.exec && (WRITABLE_DATA_NAMES.has(s.name) || (s.write && s.alloc)),
  );
  for (const s of sections) {
    const b = img.source.read(s.offset, s.fileSize);
    const rd = new Reader(b, little);
    const word = (r: Reader, o: number): number => {
      if (p === 4) return r.u32(o);
      const a = r.u32(o);
      const c = r.u32(o + 4);
      return little ? a + c * 0x100000000 : a * 0x100000000 + c;
    };
    for (let off = (p - (s.addr % p)) % p; off + 2 * p <= b.length; off += p) {
      const ptr = word(rd, off);
      const lens = cands.get(ptr);
      if (!lens) continue;
      const len = word(rd, off + p);
      if (!lens.includes(len)) continue;
      const bytes = readVirtual(img, ptr, len);
      if (bytes) return decodeUtf8(bytes);
    }
  }
  return null;
}

/**
 * The `runtime.buildVersion` string, or null when it cannot be found with certainty.
 * `how` says whether the symbol or the string-header search found it.
 */
export function findRuntimeVersion(img: BinaryImage): { version: string; how: 'symbol' | 'string-header' } | null {
  const bySym = versionFromSymbol(img);
  if (bySym) return { version: bySym, how: 'symbol' };
  const byHeader = versionFromHeaders(img, candidates(img));
  return byHeader ? { version: byHeader, how: 'string-header' } : null;
}
