/**
 * Virtual address → file offset through the LOAD segments (what the version tables and the Go build info
 * are read through), on real files, at each segment's edges: its first byte, its last byte in the file and
 * the byte after. The segments come from `readelf -l -W`; a mutation run found nothing that checked the
 * first byte (`>=` read as `>`).
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readElfHeader } from '../../src/formats/elf/header.js';
import { readProgramHeaders, vaddrToOffset } from '../../src/formats/elf/segments.js';
import { FileSource } from '../../src/io/file-source.js';
import { fixture } from '../fixtures/index.js';
import { haveTool } from '../truth/tools.js';
import { readelfSegments, readelfText } from '../truth/readelf.js';

describe('vaddrToOffset at the edges of real LOAD segments (readelf -l)', () => {
  for (const name of ['static', 'cgo-glibc', 'musl-dynamic'] as const) {
    test(name, (t) => {
      if (!haveTool(t, 'readelf')) return;
      // fixture() fails the test with the fixture's build error when it is missing
      const path = fixture(name);
      const loads = readelfSegments(readelfText(path, ['-l', '-W'])).filter((g) => g.type === 'LOAD' && g.fileSize > 0);
      assert.ok(loads.length >= 2, 'a Go binary has text and data LOAD segments');
      const src = FileSource.open(path);
      try {
        const segments = readProgramHeaders(src, readElfHeader(src));
        /** readelf's answer: the LOAD segment whose file bytes hold the address, and what follows in it. */
        const truth = (addr: number) => {
          const g = loads.find((x) => addr >= x.vaddr && addr - x.vaddr < x.fileSize);
          return g ? { offset: g.offset + (addr - g.vaddr), avail: g.fileSize - (addr - g.vaddr) } : null;
        };
        for (const g of loads) {
          assert.deepEqual(
            vaddrToOffset(segments, g.vaddr),
            { offset: g.offset, avail: g.fileSize },
            `first byte of LOAD at 0x${g.vaddr.toString(16)}`,
          );
          assert.deepEqual(
            vaddrToOffset(segments, g.vaddr + g.fileSize - 1),
            { offset: g.offset + g.fileSize - 1, avail: 1 },
            'last byte in the file',
          );
          for (const addr of [g.vaddr - 1, g.vaddr + g.fileSize])
            assert.deepEqual(vaddrToOffset(segments, addr), truth(addr), `0x${addr.toString(16)}`);
        }
      } finally {
        src.close();
      }
    });
  }
});
