/**
 * zstd on every line: Node's zlib where it has zstd (22.15+, 23.8+), the fzstd fallback elsewhere (Node 20).
 * Both decoders are run here on streams made by the reference `zstd` command, whole and split at odd
 * offsets, and both turn damaged input into a typed error. The CI runs this file on Node 20, 22, 24 and 26.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { GokilnError } from '../../src/errors.js';
import { hasZstd, zstdDecompressSync, zstdDecompressor } from '../../src/io/zstd.js';
import { missingTools } from '../truth/tools.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const nativeExpected = major > 23 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);

async function drain(chunks: Buffer[], fallback: boolean): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), zstdDecompressor('layer', { fallback }), async (src: AsyncIterable<Buffer>) => {
    for await (const chunk of src) out.push(chunk);
  });
  return Buffer.concat(out);
}

test(`feature detection on Node ${process.versions.node} agrees with the release notes`, () => {
  assert.equal(hasZstd(), nativeExpected);
  assert.equal(hasZstd(), typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function');
});

test('both decoders (native where present, fzstd always) give back what the zstd command compressed', async (t) => {
  if (missingTools(['zstd']).length) {
    if (process.env.CI === 'true') assert.fail('zstd missing');
    return t.skip('zstd missing');
  }
  // 3 MB, half random and half repeated: several frames' worth of blocks, made by the reference tool
  const input = Buffer.concat([randomBytes(1536 * 1024), Buffer.alloc(1536 * 1024, 'gokiln ')]);
  const made = spawnSync('zstd', ['-q', '-c', '-3'], { input, maxBuffer: 16 * 1024 * 1024 });
  assert.equal(made.status, 0, String(made.stderr));
  const z = made.stdout;
  const split = [z.subarray(0, 1000), z.subarray(1000, 77_777), z.subarray(77_777)];
  for (const fallback of hasZstd() ? [false, true] : [true]) {
    assert.ok((await drain([z], fallback)).equals(input), `fallback=${fallback}, one chunk`);
    assert.ok((await drain(split, fallback)).equals(input), `fallback=${fallback}, split at odd offsets`);
    // a damaged frame header is an error on the stream, not a crash (fzstd does not check the frame's content
    // checksum; gokiln checks every layer's digest over the compressed bytes, which catches the rest)
    const bad = Buffer.from(z);
    bad.fill(0xff, 4, 12);
    await assert.rejects(drain([bad], fallback));
  }
  assert.ok(zstdDecompressSync(z, 'member').equals(input), 'whole-buffer path');
  // a frame cut short is a typed error, naming the input, on the fallback too
  await assert.rejects(
    drain([z.subarray(0, 5000)], true),
    (e: unknown) => e instanceof GokilnError && e.code === 'E_CORRUPT' && /^layer: /.test(e.message),
  );
  assert.throws(
    () => zstdDecompressSync(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]), 'data.tar.zst'),
    (e: unknown) => e instanceof GokilnError && e.code === 'E_CORRUPT' && /^data\.tar\.zst: /.test(e.message),
  );
});
