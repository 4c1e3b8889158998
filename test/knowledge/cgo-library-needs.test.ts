/**
 * The `needs` of each C library in knowledge/cgo-libraries.ts against the truth: binutils' readelf of the
 * library's shared objects as this bookworm host installs them (the source NEEDS_PROVENANCE names). Only
 * libraries installed here can be checked; the test says how many were and fails when none was.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { C_LIBRARIES } from '../../src/knowledge/cgo-libraries.js';
import { GLIBC_LOADERS, LIBC6_SONAMES } from '../../src/knowledge/libc.js';
import { needTool } from '../project/helpers.js';

const DIR = '/usr/lib/x86_64-linux-gnu';

test("each C library's needs are what its installed shared objects link beyond libc6 (readelf -d)", (t) => {
  if (!needTool('readelf')) return t.skip('readelf not installed');
  if (process.arch !== 'x64') return t.skip('the knowledge was read on amd64');
  const libc = new Set<string>([...LIBC6_SONAMES, GLIBC_LOADERS.amd64.slice(GLIBC_LOADERS.amd64.lastIndexOf('/') + 1)]);
  let checked = 0;
  for (const lib of C_LIBRARIES) {
    const files = lib.sonames.map((s) => `${DIR}/${s}`).filter(existsSync);
    if (!lib.needs || files.length === 0) continue;
    const truth = new Set<string>();
    for (const f of files) {
      const dyn = execFileSync('readelf', ['-dW', f], { encoding: 'utf8' });
      for (const m of dyn.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g))
        if (!libc.has(m[1]!) && !lib.sonames.includes(m[1]!)) truth.add(m[1]!);
    }
    assert.deepEqual([...lib.needs].sort(), [...truth].sort(), lib.name);
    checked++;
  }
  t.diagnostic(`${checked} of ${C_LIBRARIES.length} libraries installed here and checked`);
  assert.ok(checked >= 3, 'libpng, zlib and SQLite at least are installed for the cgo fixtures');
});
