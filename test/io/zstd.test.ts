/**
 * zstd on every line: where Node's zlib has it (22.15+), a stream made by the zstd command decompresses
 * to the bytes it was made from; where it has not (Node 20), a typed E_UNSUPPORTED naming the Node version,
 * never a TypeError. The CI runs this file on Node 20, 22, 24 and 26, so both branches run there.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { GokilnError } from '../../src/errors.js';
import { hasZstd, zstdDecompressor } from '../../src/io/zstd.js';
import { missingTools } from '../truth/tools.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const expected = major > 23 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);

test(`zstd on Node ${process.versions.node}: ${expected ? 'decompresses' : 'a typed error'}`, async (t) => {
  assert.equal(hasZstd(), expected, 'feature detection agrees with the release notes');
  assert.equal(hasZstd(), typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function');
  if (!expected) {
    assert.throws(
      () => zstdDecompressor('sha256:abc'),
      (e: unknown) => {
        assert.ok(e instanceof GokilnError);
        assert.equal(e.code, 'E_UNSUPPORTED');
        assert.match(
          e.message,
          new RegExp(
            `^sha256:abc is zstd-compressed, which needs Node 22\\.15 or newer \\(this is Node ${process.versions.node.replaceAll('.', '\\.')}\\)`,
          ),
        );
        return true;
      },
    );
    return;
  }
  if (missingTools(['zstd']).length) {
    if (process.env.CI === 'true') assert.fail('zstd missing');
    return t.skip('zstd missing');
  }
  // 3 MB, half random and half repeated: several frames' worth of blocks, made by the reference tool
  const input = Buffer.concat([randomBytes(1536 * 1024), Buffer.alloc(1536 * 1024, 'gokiln ')]);
  const made = spawnSync('zstd', ['-q', '-c', '-3'], { input, maxBuffer: 16 * 1024 * 1024 });
  assert.equal(made.status, 0, String(made.stderr));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from([made.stdout.subarray(0, 1000), made.stdout.subarray(1000)]),
    zstdDecompressor('layer'),
    async (src: AsyncIterable<Buffer>) => {
      for await (const chunk of src) out.push(chunk);
    },
  );
  assert.ok(Buffer.concat(out).equals(input));
  // damaged input is an error on the stream, not a crash
  const bad = Buffer.from(made.stdout);
  bad.fill(0xff, 100, 200);
  await assert.rejects(
    pipeline(Readable.from([bad]), zstdDecompressor('layer'), async (src: AsyncIterable<Buffer>) => {
      for await (const _ of src) void _;
    }),
  );
});
