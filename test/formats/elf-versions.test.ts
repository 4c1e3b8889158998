/**
 * Version comparison and the glibc helpers, with `sort -V` as the independent ordering; and the version
 * tables themselves at their edges (chains longer than their count, chains without one, a definition with
 * vd_cnt 0), against readelf -V and glibc's loader (docs/knowledge.md).
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BufferSource } from '../../src/formats/source.js';
import { compareVersions, glibcProvided, highestGlibc, parseElf } from '../../src/formats/elf/index.js';
import { haveTool, runTool } from '../truth/tools.js';
import { buildElf, strtab, verdefTable, verneedTable, writeTemp } from './tiny-elf.js';
import { parseVerneed } from '../../src/formats/elf/versions.js';
import { readelfText, readelfVersionDefs, readelfVersionNeeds } from '../truth/readelf.js';

const EM_X86_64 = 62;
const parse = (b: Uint8Array) => parseElf(new BufferSource(b));

const VERSIONS = ['2.4', '2.34', '2.2.5', '2.3.2', '2.17', '2.3', '2.36', '2.3.4', '2.10', '2.9', '2.28', '2.41', '2.2'];

describe('glibc versions', () => {
  test('compareVersions orders like sort -V (2.34 after 2.4)', (t) => {
    if (!haveTool(t, 'sort')) return;
    const expected = runTool('sh', ['-c', `printf '%s\\n' ${VERSIONS.join(' ')} | sort -V`])
      .trim()
      .split('\n');
    assert.deepEqual([...VERSIONS].sort(compareVersions), expected);
    assert.ok(compareVersions('2.34', '2.4') > 0);
    assert.equal(compareVersions('2.3', '2.3.0'), 0);
  });

  test('highestGlibc looks at GLIBC_x.y of every library and ignores GLIBC_PRIVATE and others', (t) => {
    if (!haveTool(t, 'sort')) return;
    const needs = [
      { file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.4', 'GLIBC_PRIVATE', 'GLIBC_2.17'] },
      { file: 'libm.so.6', versions: ['GLIBC_2.29'] },
      { file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.30', 'CXXABI_1.3'] },
    ];
    const top = runTool('sh', ['-c', "printf '%s\\n' 2.2.5 2.4 2.17 2.29 | sort -V | tail -n 1"]).trim();
    assert.equal(highestGlibc(needs), top);
    assert.equal(highestGlibc([{ file: 'libc.musl-x86_64.so.1', versions: [] }]), null);
    assert.equal(highestGlibc([]), null);
  });

  test('glibcProvided is the highest GLIBC_ definition', () => {
    assert.equal(glibcProvided(['GLIBC_2.2.5', 'GLIBC_2.36', 'GLIBC_2.4', 'GLIBC_PRIVATE']), '2.36');
    assert.equal(glibcProvided(['ZLIB_1.2.9']), null);
  });
});

/** A file with .dynstr and a version section (need or def) linked to it, sh_info = `count`. */
function versioned(kind: 'need' | 'def', count: number) {
  const str = strtab(['libc.so.6', 'libm.so.6', 'GLIBC_2.2.5', 'GLIBC_2.29', 'GLIBC_2.34', 'libx.so.1', 'X_1', 'X_2']);
  const o = (s: string) => str.offsets.get(s)!;
  const data =
    kind === 'need'
      ? verneedTable(true, [
          { file: o('libc.so.6'), versions: [o('GLIBC_2.2.5')] },
          { file: o('libm.so.6'), versions: [o('GLIBC_2.29'), o('GLIBC_2.34')] },
        ])
      : verdefTable(true, [o('libx.so.1'), o('X_1'), o('X_2')]);
  return buildElf({
    bits: 64,
    little: true,
    machine: EM_X86_64,
    type: 3,
    sections: [
      { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
      {
        name: kind === 'need' ? '.gnu.version_r' : '.gnu.version_d',
        type: kind === 'need' ? 0x6ffffffe : 0x6ffffffd,
        flags: 2,
        data,
        link: '.dynstr',
        info: count,
        align: 4,
      },
    ],
  }).bytes;
}

describe('ELF version chains longer than their count (sh_info), as readelf -V reads them', () => {
  test('.gnu.version_r: two chained records, sh_info 1: only the first is read', (t) => {
    const all = parse(versioned('need', 2)).elf;
    assert.deepEqual(all.versionNeeds, [
      { file: 'libc.so.6', versions: ['GLIBC_2.2.5'] },
      { file: 'libm.so.6', versions: ['GLIBC_2.29', 'GLIBC_2.34'] },
    ]);
    const bytes = versioned('need', 1);
    const one = parse(bytes).elf;
    assert.deepEqual(one.versionNeeds, [{ file: 'libc.so.6', versions: ['GLIBC_2.2.5'] }]);
    assert.deepEqual(one.problems, []);
    if (!haveTool(t, 'readelf')) return;
    assert.deepEqual(one.versionNeeds, readelfVersionNeeds(readelfText(writeTemp('verneed-count1', bytes), ['-V', '-W'])));
  });
  test('.gnu.version_d: base and two versions chained, sh_info 2: the base and the first version are read', (t) => {
    assert.deepEqual(parse(versioned('def', 3)).elf.versionDefs, ['X_1', 'X_2']);
    const bytes = versioned('def', 2);
    const img = parse(bytes);
    assert.deepEqual(img.elf.versionDefs, ['X_1']);
    if (!haveTool(t, 'readelf')) return;
    // (readelfVersionDefs leaves out the base entry, the soname, as the reader does)
    assert.deepEqual(img.elf.versionDefs, readelfVersionDefs(readelfText(writeTemp('verdef-count2', bytes), ['-V', '-W'])));
  });
});

describe('ELF version chains without a count: walked to vn_next/vd_next 0, as glibc walks them (docs/knowledge.md)', () => {
  /** `n` records of `size` bytes, each chained to the next (`next` bytes on), names at offset `name`. */
  const chain = (kind: 'need' | 'def', n: number, lastNext: number) => {
    const str = strtab(['libc.so.6', 'V_1']);
    const size = kind === 'need' ? 16 : 20;
    const area = new Uint8Array(n * size + (kind === 'def' ? 8 * n : 0));
    const v = new DataView(area.buffer);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      v.setUint16(o, 1, true);
      if (kind === 'need') {
        v.setUint32(o + 4, str.offsets.get('libc.so.6')!, true); // vn_file; vn_cnt 0, no auxiliaries
        v.setUint32(o + 12, i === n - 1 ? lastNext : size, true);
      } else {
        v.setUint16(o + 6, 1, true); // vd_cnt
        v.setUint32(o + 12, n * size + 8 * i - o, true); // vd_aux: this record's Elf_Verdaux after the records
        v.setUint32(o + 16, i === n - 1 ? lastNext : size, true);
        v.setUint32(n * size + 8 * i, str.offsets.get('V_1')!, true);
      }
    }
    return buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        {
          name: kind === 'need' ? '.gnu.version_r' : '.gnu.version_d',
          type: kind === 'need' ? 0x6ffffffe : 0x6ffffffd,
          flags: 2,
          data: area,
          link: '.dynstr',
          info: 0,
          align: 4,
        },
      ],
    }).bytes;
  };
  test(".gnu.version_r, sh_info 0: a chain ending in vn_next 0 is read whole; one still going at its area's end is E_CORRUPT", () => {
    const ok = parse(chain('need', 2, 0)).elf;
    assert.deepEqual(ok.versionNeeds, [
      { file: 'libc.so.6', versions: [] },
      { file: 'libc.so.6', versions: [] },
    ]);
    assert.deepEqual(ok.problems, []);
    const bad = parse(chain('need', 2, 16)).elf;
    assert.deepEqual(bad.versionNeeds, []);
    assert.deepEqual(
      bad.problems.map((p) => [p.code, p.message]),
      [['E_CORRUPT', 'version needs: version-need chain does not end within its 32-byte area']],
    );
  });
  test('.gnu.version_d, sh_info 0: the same for definitions', () => {
    const ok = parse(chain('def', 2, 0)).elf;
    assert.deepEqual(ok.versionDefs, ['V_1', 'V_1']);
    assert.deepEqual(ok.problems, []);
    const bad = parse(chain('def', 2, 20)).elf;
    assert.deepEqual(bad.versionDefs, []);
    assert.deepEqual(
      bad.problems.map((p) => p.code),
      ['E_CORRUPT'],
    );
    assert.match(bad.problems[0]!.message, /version-definition chain does not end within its 56-byte area/);
  });
  test('.gnu.version_d: a definition with vd_cnt 0 still has its name, as readelf -V prints it', (t) => {
    const str = strtab(['libx.so.1', 'X_1', 'X_2']);
    const o = (s: string) => str.offsets.get(s)!;
    const vd = verdefTable(true, [o('libx.so.1'), o('X_1'), o('X_2')]);
    new DataView(vd.buffer).setUint16(28 + 6, 0, true); // vd_cnt of the second record (X_1)
    const bytes = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        { name: '.gnu.version_d', type: 0x6ffffffd, flags: 2, data: vd, link: '.dynstr', info: 3, align: 4 },
      ],
    }).bytes;
    const img = parse(bytes);
    assert.deepEqual(img.elf.versionDefs, ['X_1', 'X_2']);
    if (!haveTool(t, 'readelf')) return;
    const out = readelfText(writeTemp('verdef-cnt0', bytes), ['-V', '-W']);
    assert.match(out, /Cnt: 0\s+Name: X_1/);
    assert.deepEqual(img.elf.versionDefs, readelfVersionDefs(out));
  });
});

describe('a version table whose count fills its area exactly', () => {
  test('.gnu.version_d with the base and one version (56 bytes, room for 2 records of 20), sh_info 2: read, as readelf -V reads it', (t) => {
    const str = strtab(['libx.so.1', 'X_1']);
    const vd = verdefTable(true, [str.offsets.get('libx.so.1')!, str.offsets.get('X_1')!]);
    assert.equal(vd.length, 56);
    const bytes = buildElf({
      bits: 64,
      little: true,
      machine: EM_X86_64,
      type: 3,
      sections: [
        { name: '.dynstr', type: 3, flags: 2, data: str.bytes },
        { name: '.gnu.version_d', type: 0x6ffffffd, flags: 2, data: vd, link: '.dynstr', info: 2, align: 4 },
      ],
    }).bytes;
    const img = parse(bytes);
    assert.deepEqual(img.elf.problems, []);
    assert.deepEqual(img.elf.versionDefs, ['X_1']);
    if (!haveTool(t, 'readelf')) return;
    assert.deepEqual(img.elf.versionDefs, readelfVersionDefs(readelfText(writeTemp('verdef-exact', bytes), ['-V', '-W'])));
  });
});

test('a version-need whose auxiliary chain claims more entries than 16-byte records fit in its area is E_CORRUPT, even when the entries overlap to stay inside it', () => {
  // 64 bytes hold 4 records: one Elf_Verneed (vn_cnt 5, vn_aux 16) and five Elf_Vernaux that overlap
  // (vna_next 8), each naming GLIBC_2.2.5; only overlapping entries fit five in, which no linker writes
  const names = Buffer.from('\0libc.so.6\0GLIBC_2.2.5\0', 'latin1');
  const area = Buffer.alloc(64);
  area.writeUInt16LE(1, 0); // vn_version
  area.writeUInt16LE(5, 2); // vn_cnt
  area.writeUInt32LE(1, 4); // vn_file: libc.so.6
  area.writeUInt32LE(16, 8); // vn_aux
  area.writeUInt32LE(0, 12); // vn_next: the only one
  for (let j = 0; j < 5; j++) {
    area.writeUInt32LE(11, 24 + 8 * j); // vna_name of entry j (at 16 + 8j + 8): GLIBC_2.2.5
    area.writeUInt32LE(8, 28 + 8 * j); // its vna_next
  }
  assert.throws(
    () => parseVerneed(new Uint8Array(area), true, 1, new Uint8Array(names)),
    (e: { code?: string; message?: string }) =>
      e.code === 'E_CORRUPT' && /auxiliary chain is longer than its section/.test(e.message ?? ''),
  );
  // four entries (as many as records fit) are read
  area.writeUInt16LE(4, 2);
  assert.deepEqual(parseVerneed(new Uint8Array(area), true, 1, new Uint8Array(names)), [
    { file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.2.5', 'GLIBC_2.2.5', 'GLIBC_2.2.5'] },
  ]);
});
