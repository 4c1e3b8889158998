/**
 * A few wanted symbol names, matched as bytes where a string table stores them. Looking up
 * `runtime.pclntab` or a libc marker this way tests one byte for most of a table's tens of thousands of
 * symbols, where reading the table decodes every name.
 */
import { Buffer } from 'node:buffer';

export class WantedNames {
  private readonly byFirst = new Map<number, Array<{ name: string; bytes: Uint8Array }>>();
  constructor(names: readonly string[]) {
    for (const name of new Set(names)) {
      const bytes = Buffer.from(name, 'utf8');
      if (bytes.length === 0) continue;
      const list = this.byFirst.get(bytes[0]!) ?? [];
      list.push({ name, bytes });
      this.byFirst.set(bytes[0]!, list);
    }
  }

  /** The wanted name stored at `off` in `table`, ended by a NUL or by `end` (a fixed-width field), or null. */
  at(table: Uint8Array, off: number, end = table.length): string | null {
    if (off < 0 || off >= end) return null;
    const list = this.byFirst.get(table[off]!);
    if (!list) return null;
    for (const { name, bytes } of list) {
      const stop = off + bytes.length;
      if (stop > end || (stop < end && table[stop] !== 0)) continue;
      let k = 1;
      while (k < bytes.length && table[off + k] === bytes[k]) k++;
      if (k === bytes.length) return name;
    }
    return null;
  }
}
