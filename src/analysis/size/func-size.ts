/**
 * Each Go function's own code length, read from the end of its pcsp table. The pclntab function table
 * only gives entry addresses, so entry→next entry also counts the alignment fill the linker puts between
 * functions (3–5% of the code on amd64); `go tool nm -size` shows the length without that fill, and so
 * do we. Layout (Go src/runtime/symtab.go, cmd/link/internal/ld/pcln.go):
 *
 *   header  magic u32, pad u8 u8, minLC u8, ptrSize u8, nfunc uptr, nfiles uptr,
 *           [textStart uptr (1.18+)], funcnameOff, cuOff, filetabOff, pctabOff, pclnOff (all uptr)
 *   functab at pclnOff: nfunc+1 pairs of (entry, funcoff): u32 u32 (1.18+) or uptr uptr (1.16)
 *   _func   at pclnOff+funcoff: entry (u32 1.18+, uptr 1.16), nameOff i32, args i32, deferreturn u32,
 *           pcsp u32 (an offset into pctab) …
 *   pcvalue table: pairs of uvarint (zig-zag value delta; 0 ends the table after the first pair) and
 *           uvarint pc delta in units of minLC.
 */
import { GokilnError, guard } from '../../errors.js';
import type { GoPclntab } from '../../formats/go/types.js';
import type { Reader } from '../../formats/source.js';

/**
 * Code length per function, in the order of `pcln.funcs`, or null when the table cannot be matched to
 * the function list (then callers fall back to entry→next entry and say so).
 */
export function functionCodeSizes(table: Reader, pcln: GoPclntab): number[] | null {
  if (pcln.version === '1.2') return null;
  try {
    return guard('pcsp tables', () => decode(table, pcln));
  } catch (e) {
    if (e instanceof GokilnError) return null;
    throw e;
  }
}

function decode(r: Reader, pcln: GoPclntab): number[] | null {
  const ptr = r.u8(7);
  if (ptr !== 4 && ptr !== 8) return null;
  const quantum = r.u8(6) || 1;
  const nfunc = r.uptr(8, ptr);
  const hasTextStart = pcln.version !== '1.16';
  const word = (i: number) => r.uptr(8 + i * ptr, ptr);
  const base = hasTextStart ? 3 : 2; // index of funcnameOff
  const pctabOff = word(base + 3);
  const pclnOff = word(base + 4);
  if (nfunc !== pcln.funcs.length) return null;
  const wide = !hasTextStart; // 1.16 functab entries are pointer-sized
  const ftStride = wide ? 2 * ptr : 8;
  const sizes = new Array<number>(nfunc);
  let firstEntry = 0;
  for (let i = 0; i < nfunc; i++) {
    const at = pclnOff + i * ftStride;
    const entry = wide ? r.uptr(at, ptr) : r.u32(at);
    const funcoff = wide ? r.uptr(at + ptr, ptr) : r.u32(at + 4);
    if (i === 0) firstEntry = entry;
    // the reader's entries must line up with the table's, or we are not reading the same list
    const f = pcln.funcs[i]!;
    if (entry - firstEntry !== f.entry - pcln.funcs[0]!.entry) return null;
    const fn = pclnOff + funcoff;
    const pcsp = r.u32(fn + (wide ? ptr : 4) + 12);
    // no pcsp table: a linker marker (go:textfipsstart), not code; its range is fill
    sizes[i] = pcsp === 0 ? 0 : tableSpan(r, pctabOff + pcsp, quantum);
  }
  return sizes;
}

/** Sum of pc deltas of one pcvalue table: the length of code it describes. */
function tableSpan(r: Reader, at: number, quantum: number): number {
  const cursor = { b: r.bytes, p: at };
  let pc = 0;
  for (let first = true; ; first = false) {
    const v = uvarint(cursor);
    if (v === 0 && !first) return pc;
    pc += uvarint(cursor) * quantum;
  }
}

/** The uvarint at the cursor, which moves past it (one cursor per table, not an object per number). */
function uvarint(c: { b: Uint8Array; p: number }): number {
  let v = 0;
  for (let mul = 1, start = c.p; ; mul *= 128) {
    if (c.p >= c.b.length || c.p >= start + 10) throw new GokilnError('E_CORRUPT', `bad varint in pc table at ${start}`);
    const x = c.b[c.p++]!;
    v += (x & 0x7f) * mul;
    if (x < 0x80) return v;
  }
}
