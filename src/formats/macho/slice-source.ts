import { GokilnError } from '../../errors.js';
import { checkRange, type ByteSource } from '../source.js';

/**
 * A window onto `size` bytes of another source starting at `offset`: one architecture of a universal
 * binary. Offsets read through it are relative to the window, so a slice parses like a whole file.
 */
export class SliceSource implements ByteSource {
  constructor(
    readonly parent: ByteSource,
    readonly offset: number,
    readonly size: number,
  ) {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0) {
      throw new GokilnError('E_CORRUPT', `invalid slice at offset ${offset} size ${size}`, { offset });
    }
    if (offset + size > parent.size) {
      throw new GokilnError('E_TRUNCATED', `slice ${offset}..${offset + size} runs past the end of the ${parent.size}-byte file`, {
        offset,
      });
    }
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length);
    return this.parent.read(this.offset + offset, length);
  }
}
