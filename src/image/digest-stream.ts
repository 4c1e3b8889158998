/**
 * Pass-through streams that hash the bytes flowing by: one to learn a digest (a blob stored, a layer's diff
 * ID before compression), one to check it (every blob read from a registry, a layout or an archive fails
 * with E_DIGEST at its end when its bytes are not the ones named).
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { GokilnError } from '../errors.js';

export interface HashedBytes {
  digest: string;
  size: number;
}

/** A tap whose `result()`, once the stream has ended, is the sha256 digest and length of what flowed. */
export function hashingTap(): { tap: Transform; result: () => HashedBytes } {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return { tap, result: () => ({ digest: `sha256:${hash.digest('hex')}`, size }) };
}

/** Fails with E_DIGEST at the end when the bytes do not hash to `expected` (or are not `size` long, when given). */
export function digestCheck(expected: string, what: string, size: number | null = null): Transform {
  const { tap, result } = hashingTap();
  tap._flush = (done) => {
    const got = result();
    if (got.digest === expected && (size === null || got.size === size)) done();
    else
      done(
        new GokilnError(
          'E_DIGEST',
          `${what}: content has digest ${got.digest} (${got.size} bytes), expected ${expected}${size !== null ? ` (${size} bytes)` : ''}`,
        ),
      );
  };
  return tap;
}
