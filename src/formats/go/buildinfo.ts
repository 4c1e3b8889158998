/**
 * Reads the build info blob the Go linker writes (Go's debug/buildinfo): a 32-byte, 16-aligned header
 * starting `\xff Go buildinf:`, then either two inline varint-length strings (Go 1.18+, flags bit 0x2) or
 * two pointers to Go string headers (older releases). The first string is the Go version, the second the
 * module info wrapped in 16-byte sentinels.
 */
import { GokilnError, guard } from '../../errors.js';
import { readVirtual, type BinaryImage } from '../binary.js';
import { Reader, decodeUtf8 } from '../source.js';
import { parseModInfo } from './modinfo.js';
import type { GoBuildInfo } from './types.js';

const MAGIC = [0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a]; // "\xff Go buildinf:"
const HEADER_SIZE = 32;
const ALIGN = 16;
const CHUNK = 1 << 20;
/** The first look is small: the blob opens the data section in Go's PE and most ELF layouts. */
const FIRST_CHUNK = 64 * 1024;
/** No real version or modinfo string is near this; a larger varint length is garbage. */
const MAX_STRING = 16 << 20;

/** A stretch of the file, mapped at `addr`, where the linker puts the blob. */
export interface BuildInfoRegion {
  where: string;
  addr: number;
  offset: number;
  size: number;
}

/**
 * Where Go's debug/buildinfo looks (DataStart): the dedicated section, else the first writable data area
 * (ELF: writable non-exec PT_LOAD; Mach-O: writable segment; PE: first initialised read/write section).
 * Later writable areas follow as further candidates, for layouts where the first one is not it.
 */
export function buildInfoRegions(img: BinaryImage): BuildInfoRegion[] {
  const named = img.sections.find((s) => (s.name === '.go.buildinfo' || s.name === '__go_buildinfo') && s.fileSize > 0);
  if (named) return [{ where: named.name, addr: named.addr, offset: named.offset, size: named.fileSize }];
  const out: BuildInfoRegion[] = [];
  if (img.format === 'elf' || img.format === 'macho') {
    for (const g of img.segments) {
      if ((img.format === 'macho' || g.type === 'LOAD') && g.write && !g.exec && g.fileSize > 0 && g.vaddr !== 0) {
        out.push({ where: img.format === 'elf' ? 'PT_LOAD' : g.type, addr: g.vaddr, offset: g.offset, size: g.fileSize });
      }
    }
  }
  const data = img.sections.filter((s) => s.alloc && s.write && !s.exec && s.fileSize > 0);
  data.sort((a, b) => Number(b.name === '.data') - Number(a.name === '.data'));
  for (const s of data) out.push({ where: s.name, addr: s.addr, offset: s.offset, size: s.fileSize });
  return out;
}

function isMagicAt(b: Uint8Array, i: number): boolean {
  for (let k = 0; k < MAGIC.length; k++) if (b[i + k] !== MAGIC[k]) return false;
  return true;
}

/** File offset of the first 16-aligned (by virtual address) magic in the region, or -1. */
function searchMagic(img: BinaryImage, r: BuildInfoRegion): number {
  let pos = 0;
  while (pos < r.size) {
    const len = Math.min(pos === 0 ? FIRST_CHUNK : CHUNK, r.size - pos);
    const b = img.source.read(r.offset + pos, len);
    // Align by address: the blob is aligned in memory, and the region's start may not be.
    let i = (ALIGN - ((r.addr + pos) % ALIGN)) % ALIGN;
    for (; i + MAGIC.length <= len; i += ALIGN) {
      if (b[i] === 0xff && isMagicAt(b, i)) return r.offset + pos + i;
    }
    pos += len; // chunks are multiples of ALIGN, so alignment carries over
  }
  return -1;
}

function uvarint(b: Uint8Array, off: number): { value: number; next: number } | null {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && off + i < b.length; i++) {
    const c = b[off + i] as number;
    v += (c & 0x7f) * mul;
    if (c < 0x80) return Number.isSafeInteger(v) ? { value: v, next: off + i + 1 } : null;
    mul *= 128;
  }
  return null;
}

function corrupt(msg: string, offset: number): GokilnError {
  return new GokilnError('E_CORRUPT', `Go build info: ${msg}`, { offset });
}

/** Go version and modinfo strings from an inline (1.18+) blob whose header starts at file offset `at`. */
function readInline(img: BinaryImage, r: BuildInfoRegion, at: number): [string, string] {
  const avail = r.offset + r.size - at;
  const b = img.source.read(at, Math.min(avail, HEADER_SIZE + 20));
  const v = uvarint(b, HEADER_SIZE);
  if (!v || v.value > MAX_STRING) throw corrupt('bad version length', at);
  const versStart = at + v.next;
  if (versStart + v.value > r.offset + r.size) throw corrupt('version string runs past its section', at);
  const vers = decodeUtf8(img.source.read(versStart, v.value));
  const modAt = versStart + v.value;
  const lb = img.source.read(modAt, Math.min(10, r.offset + r.size - modAt));
  const m = uvarint(lb, 0);
  if (!m || m.value > MAX_STRING) throw corrupt('bad modinfo length', modAt);
  if (modAt + m.next + m.value > r.offset + r.size) throw corrupt('modinfo string runs past its section', modAt);
  const mod = decodeUtf8(img.source.read(modAt + m.next, m.value));
  return [vers, mod];
}

/** Reads a Go string header (data pointer, length) at `addr`; null if it does not map into the file. */
function readGoString(img: BinaryImage, addr: number, ptrSize: number, little: boolean): string | null {
  const h = readVirtual(img, addr, 2 * ptrSize);
  if (!h) return null;
  const rd = new Reader(h, little);
  const p = rd.uptr(0, ptrSize);
  const n = rd.uptr(ptrSize, ptrSize);
  if (n > MAX_STRING) return null;
  if (n === 0) return '';
  const data = readVirtual(img, p, n);
  return data ? decodeUtf8(data) : null;
}

/** Removes the 16-byte sentinels around modinfo, the way Go does (empty when they are not there). */
export function stripModInfoSentinels(mod: string): string {
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') return mod.slice(16, -16);
  return '';
}

/**
 * The build info of a Go binary, null when the binary has none (not Go, or built without it such as
 * esbuild's releases). E_CORRUPT when the header is there but what it points at is not readable.
 */
export function readBuildInfo(img: BinaryImage): GoBuildInfo | null {
  return guard('Go build info', () => {
    let region: BuildInfoRegion | null = null;
    let at = -1;
    for (const r of buildInfoRegions(img)) {
      if (r.size < HEADER_SIZE) continue;
      at = searchMagic(img, r);
      if (at >= 0) {
        region = r;
        break;
      }
    }
    if (!region || at < 0) return null;
    if (at + HEADER_SIZE > region.offset + region.size) throw corrupt('header runs past its section', at);
    const hdr = img.source.read(at, HEADER_SIZE);
    const ptrSize = hdr[14] as number;
    const flags = hdr[15] as number;
    const bigEndian = (flags & 0x1) !== 0;
    const inlineStrings = (flags & 0x2) !== 0;
    let vers: string;
    let mod: string;
    if (inlineStrings) {
      [vers, mod] = readInline(img, region, at);
    } else {
      if (ptrSize !== 4 && ptrSize !== 8) throw corrupt(`pointer size ${ptrSize}`, at);
      const rd = new Reader(hdr, !bigEndian);
      const vp = rd.uptr(16, ptrSize);
      const mp = rd.uptr(16 + ptrSize, ptrSize);
      const v = readGoString(img, vp, ptrSize, !bigEndian);
      if (v === null) throw corrupt('version pointer does not map into the file', at);
      vers = v;
      mod = readGoString(img, mp, ptrSize, !bigEndian) ?? '';
    }
    if (vers === '' || !/^[\x21-\x7e][\x20-\x7e]*$/.test(vers))
      throw corrupt(`implausible Go version ${JSON.stringify(vers.slice(0, 40))}`, at);
    const info = parseModInfo(stripModInfoSentinels(mod));
    return {
      goVersion: vers,
      path: info.path,
      main: info.main,
      deps: info.deps,
      settings: info.settings,
      ptrSize,
      bigEndian,
      inlineStrings,
    };
  });
}

/** The value of a build setting (`-ldflags`, `CGO_ENABLED`, `vcs.revision`…), or undefined. */
export function buildSetting(bi: GoBuildInfo, key: string): string | undefined {
  return bi.settings.find((s) => s.key === key)?.value;
}
