/**
 * zstd decompression for image layers (`application/vnd.oci.image.layer.v1.tar+zstd`). Node's zlib has
 * zstd from 22.15 and 23.8 (docs/knowledge.md, "Node lines"); on older lines (Node 20) gokiln says so with a
 * typed error instead of crashing on a missing function. gzip layers work on every line.
 */
import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { GokilnError } from '../errors.js';

type ZstdZlib = { createZstdDecompress?: (options?: object) => Transform };

/** True when this Node can decompress zstd itself. */
export function hasZstd(): boolean {
  return typeof (zlib as ZstdZlib).createZstdDecompress === 'function';
}

/**
 * A stream that decompresses zstd, for piping a layer through (never the whole layer in memory).
 * `what` names the input in the error, e.g. the layer's digest.
 */
export function zstdDecompressor(what: string): Transform {
  const create = (zlib as ZstdZlib).createZstdDecompress;
  if (typeof create !== 'function') {
    throw new GokilnError(
      'E_UNSUPPORTED',
      `${what} is zstd-compressed, which needs Node 22.15 or newer (this is Node ${process.versions.node}); run gokiln on a maintained Node line`,
    );
  }
  return create();
}
