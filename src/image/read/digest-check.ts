/** A pass-through stream that hashes what flows and fails with E_DIGEST at the end when the bytes are not the ones named. */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { GokilnError } from '../../errors.js';

export function digestCheck(expected: string, what: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb) {
      const got = `sha256:${hash.digest('hex')}`;
      cb(got === expected ? null : new GokilnError('E_DIGEST', `${what}: content is ${got}, but the image names it ${expected}`));
    },
  });
}
