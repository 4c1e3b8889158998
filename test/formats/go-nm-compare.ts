/** gokiln's symbol table of a Go binary compared with `go tool nm -size` (test/truth/go-nm.ts). */
import { strict as assert } from 'node:assert';
import type { BinaryImage } from '../../src/formats/binary.js';
import { parseGoNm } from '../truth/go-nm.js';
import { runTool } from '../truth/tools.js';

interface ReaderSymbol {
  size: number;
  kind: string;
  section: number;
  addr: number;
}

/**
 * Every symbol `go tool nm -size -sort address` lists (undefined ones aside) is found by `find`, has the
 * kind `expectedKind` gives (when it gives one), and the same size, except that Go's nm measures to the
 * next symbol wherever it is and the reader stops at the section end. Returns how many were checked.
 */
export function assertSymbolsMatchGoNm(
  img: BinaryImage,
  path: string,
  find: (name: string, addr: number) => ReaderSymbol | undefined,
  expectedKind: (type: string, addr: number) => string | undefined,
): number {
  let checked = 0;
  for (const { addr, size, type, name } of parseGoNm(runTool('go', ['tool', 'nm', '-size', '-sort', 'address', path]))) {
    if (type === 'U') continue;
    const mine = find(name, addr);
    assert.ok(mine, `go tool nm lists ${name} at 0x${addr.toString(16)}; the reader does not`);
    const want = expectedKind(type, addr);
    if (want) assert.equal(mine.kind, want, name);
    if (mine.size !== size) {
      const sec = img.sections[mine.section]!;
      assert.equal(
        mine.addr + mine.size,
        sec.addr + sec.size,
        `${name}: size ${mine.size} vs nm ${size}, and not the section's last symbol`,
      );
    }
    checked++;
  }
  return checked;
}
