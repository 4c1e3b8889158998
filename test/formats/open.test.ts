/**
 * Format detection and parseBinary over every fixture, compared with `file`; the bad-input fixtures
 * against the error code their recipe expects; hand-made non-binaries (Java class, zip, gzip, wasm, ar,
 * tar, scripts) against how `file` names them.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FIXTURES, FIXTURE_NAMES, fixture, fixturesOfKind } from '../fixtures/index.js';
import { GokilnError } from '../../src/errors.js';
import { BufferSource } from '../../src/formats/source.js';
import { detectFormat, describeNonBinary, parseBinary } from '../../src/formats/open.js';
import { writeTemp } from './macho-pe-truth.js';
import { haveTool } from '../truth/tools.js';
import { fileBrief } from '../truth/file.js';

function formatFromFile(desc: string): string | null {
  if (desc.startsWith('ELF ')) return 'elf';
  if (desc.startsWith('Mach-O universal binary')) return 'macho-fat';
  if (desc.startsWith('Mach-O ')) return 'macho';
  if (/^PE32\+? executable/.test(desc)) return 'pe';
  return null;
}

const FILE_ARCH: [RegExp, string][] = [
  [/x86-64|x86_64/, 'amd64'],
  [/ARM aarch64|arm64|Aarch64/, 'arm64'],
  [/Intel 80386|i386/, '386'],
];

describe('detectFormat and parseBinary on every built binary fixture', () => {
  const names = [...fixturesOfKind('go'), ...fixturesOfKind('derived'), ...fixturesOfKind('npm')];
  test(`${names.length} fixtures: format and architecture as file(1) says`, (t) => {
    if (!haveTool(t, 'file')) return;
    let checked = 0;
    for (const name of names) {
      const path = fixture(name);
      const bytes = readFileSync(path);
      const desc = fileBrief(path);
      const want = formatFromFile(desc);
      assert.ok(want, `${name}: file says ${desc}`);
      assert.equal(detectFormat(bytes.subarray(0, 512)), want, name);
      const imgs = parseBinary(new BufferSource(bytes));
      assert.equal(imgs.length, want === 'macho-fat' ? 2 : 1, name);
      for (const img of imgs) {
        assert.equal(img.format, want === 'macho-fat' ? 'macho' : want, name);
        if (want !== 'macho-fat') {
          const arch = FILE_ARCH.find(([re]) => re.test(desc))?.[1];
          assert.equal(img.arch, arch, `${name}: ${desc}`);
          assert.equal(img.fileSize, statSync(path).size);
        }
      }
      checked++;
    }
    assert.equal(checked, names.length);
  });
});

describe('bad-input fixtures raise the code their recipe names', () => {
  for (const name of FIXTURE_NAMES) {
    const r = FIXTURES[name];
    if (r.kind !== 'bad' || !['E_EMPTY', 'E_NOT_BINARY', 'E_TRUNCATED', 'E_CORRUPT'].includes(r.expectedErrorCode)) continue;
    test(`${name} → ${r.expectedErrorCode}`, () => {
      const bytes = readFileSync(fixture(name));
      assert.throws(
        () => parseBinary(new BufferSource(bytes)),
        (e: unknown) => e instanceof GokilnError && e.code === r.expectedErrorCode,
      );
    });
  }
  test('script and text are named as such', () => {
    const msg = (n: string) => {
      try {
        parseBinary(new BufferSource(readFileSync(fixture(n))));
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    assert.match(msg('script'), /script for \/bin\/sh/);
    assert.match(msg('text'), /text file/);
  });
});

function ar(): Uint8Array {
  // "!<arch>\n" then one member header (60 bytes) and its 2-byte body
  const hdr = 'hello.o/'.padEnd(16) + '0'.padEnd(12) + '0'.padEnd(6) + '0'.padEnd(6) + '644'.padEnd(8) + '2'.padEnd(10) + '`\n';
  return Buffer.from('!<arch>\n' + hdr + 'hi', 'latin1');
}

function tar(): Uint8Array {
  const b = Buffer.alloc(1024);
  b.write('hello.txt', 0, 'latin1');
  b.write('0000644\0', 100, 'latin1');
  b.write('0000000\0', 108, 'latin1');
  b.write('0000000\0', 116, 'latin1');
  b.write('00000000000\0', 124, 'latin1');
  b.write('00000000000\0', 136, 'latin1');
  b.write('        ', 148, 'latin1');
  b.write('0', 156, 'latin1');
  b.write('ustar\x0000', 257, 'latin1');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i]!;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return b;
}

const NON_BINARIES: { name: string; bytes: () => Uint8Array; mine: RegExp; file: RegExp }[] = [
  {
    name: 'java',
    bytes: () => Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 10, ...new Array(32).fill(0)]),
    mine: /Java class/,
    file: /compiled Java class data/,
  },
  { name: 'zip', bytes: () => Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]), mine: /zip archive/, file: /Zip archive/ },
  { name: 'gzip', bytes: () => gzipSync(Buffer.from('hello')), mine: /gzip/, file: /gzip compressed/ },
  { name: 'wasm', bytes: () => Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), mine: /WebAssembly/, file: /WebAssembly/ },
  { name: 'ar', bytes: ar, mine: /ar archive/, file: /ar archive/ },
  { name: 'tar', bytes: tar, mine: /tar archive/, file: /tar archive/ },
  {
    name: 'python',
    bytes: () => Buffer.from('#!/usr/bin/env python3\nprint(1)\n'),
    mine: /script for \/usr\/bin\/env python3/,
    file: /[Pp]ython script/,
  },
  // the 512-byte head ends inside a three-byte character
  { name: 'utf8-text', bytes: () => Buffer.from('Grüße aus Köln\n' + 'a'.repeat(492) + '世界\n'), mine: /text file/, file: /UTF-8 text/ },
  {
    name: 'random',
    bytes: () => Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x80, 0x81, 0x00, 0x07]),
    mine: /unknown format \(starts 00 01 02/,
    file: /^data/,
  },
];

describe('non-binaries: E_NOT_BINARY naming what the file is', () => {
  for (const nb of NON_BINARIES) {
    test(nb.name, (t) => {
      const bytes = nb.bytes();
      assert.equal(detectFormat(bytes), null);
      assert.throws(
        () => parseBinary(new BufferSource(bytes)),
        (e: unknown) => e instanceof GokilnError && e.code === 'E_NOT_BINARY' && nb.mine.test(e.message),
      );
      assert.match(describeNonBinary(bytes), nb.mine);
      if (!haveTool(t, 'file')) return;
      assert.match(fileBrief(writeTemp(`nb-${nb.name}`, bytes)), nb.file);
    });
  }

  test('an empty source is E_EMPTY', () => {
    assert.throws(
      () => parseBinary(new BufferSource(new Uint8Array(0))),
      (e: unknown) => e instanceof GokilnError && e.code === 'E_EMPTY',
    );
  });

  test('detectFormat needs no more than the first 8 bytes', () => {
    for (const name of ['static', 'darwin-arm64', 'darwin-universal', 'windows-amd64']) {
      const head = readFileSync(fixture(name)).subarray(0, 8);
      assert.notEqual(detectFormat(head), null, name);
    }
    assert.equal(detectFormat(new Uint8Array(0)), null);
    assert.equal(detectFormat(Uint8Array.of(0x7f, 0x45)), null);
  });
});
