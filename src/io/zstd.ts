/**
 * zstd decompression, the one place gokiln does it: image layers
 * (`application/vnd.oci.image.layer.v1.tar+zstd`) and `.deb` members (`data.tar.zst`). Node's zlib has zstd
 * from 22.15 and 23.8 (docs/knowledge.md, "Node lines") and is used where present (native, fastest); on older
 * lines (Node 20) the maintained pure-JS decoder `fzstd` does the same work, streaming, so no Node line
 * gokiln runs on meets a zstd input it cannot read. Damaged input is E_CORRUPT, never a TypeError. (fzstd does
 * not verify a frame's optional content checksum; layers and .debs are digest-checked over their compressed
 * bytes before or while they are read, which covers it.)
 */
import * as zlib from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { Decompress, decompress as fzstdDecompress } from 'fzstd';
import { GokilnError } from '../errors.js';

type ZstdZlib = {
  createZstdDecompress?: (options?: object) => Transform;
  zstdDecompressSync?: (data: Uint8Array) => Buffer;
};
const native = zlib as ZstdZlib;

/** True when this Node's own zlib decompresses zstd (otherwise the `fzstd` fallback is used). */
export function hasZstd(): boolean {
  return typeof native.createZstdDecompress === 'function';
}

function corrupt(what: string, e: unknown): GokilnError {
  return new GokilnError('E_CORRUPT', `${what}: not valid zstd data (${e instanceof Error ? e.message : String(e)})`);
}

/** The fallback stream: fzstd's chunked decoder behind a Transform, so a layer is never held whole. */
class FzstdTransform extends Transform {
  private readonly decoder: Decompress;
  constructor(private readonly what: string) {
    super();
    this.decoder = new Decompress((chunk) => {
      this.push(Buffer.from(chunk));
    });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      done();
    } catch (e) {
      done(corrupt(this.what, e));
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      done();
    } catch (e) {
      done(corrupt(this.what, e));
    }
  }
}

/**
 * A stream that decompresses zstd, for piping a layer through (never the whole layer in memory).
 * `what` names the input in errors, e.g. the layer's digest; `fallback` forces the pure-JS decoder (tests
 * run it on every line, not only on Node 20).
 */
export function zstdDecompressor(what: string, options: { fallback?: boolean } = {}): Transform {
  return hasZstd() && !options.fallback ? native.createZstdDecompress!() : new FzstdTransform(what);
}

/** Whole-buffer zstd decompression, for inputs already in memory (a `.deb` member). */
export function zstdDecompressSync(data: Uint8Array, what: string): Buffer {
  try {
    return native.zstdDecompressSync ? native.zstdDecompressSync(data) : Buffer.from(fzstdDecompress(data));
  } catch (e) {
    throw corrupt(what, e);
  }
}
