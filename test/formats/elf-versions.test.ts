/** Version comparison and the glibc helpers, with `sort -V` as the independent ordering. */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { compareVersions, glibcProvided, highestGlibc } from '../../src/formats/elf/index.js';
import { haveTool, runTool } from '../truth/tools.js';

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
