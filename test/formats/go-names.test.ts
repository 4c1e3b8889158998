/**
 * The name table read alone (inspect's fast path) against the full pclntab decode, which is itself
 * checked against `go tool nm` and debug/gosym: same function count, every function name found, the
 * same packages (plus packages present only through inlined calls), and no false hits.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { BufferSource } from '../../src/formats/source.js';
import { parseBinary } from '../../src/formats/open.js';
import { readPclntab } from '../../src/formats/go/pclntab.js';
import { namesFromList, readGoNameTable } from '../../src/formats/go/names.js';
import { identifyGo } from '../../src/formats/go/identity.js';
import { packagesOf } from '../../src/formats/go/symbols.js';
import { fixture } from '../fixtures/index.js';

function image(name: string) {
  const [img] = parseBinary(new BufferSource(new Uint8Array(readFileSync(fixture(name)))));
  assert.ok(img);
  return img;
}

describe('Go name table', () => {
  for (const name of [
    'static',
    'static-stripped',
    'cgo-glibc',
    'buf',
    'lefthook-linux-x64',
    'darwin-arm64',
    'esbuild-go116',
    'esbuild-go119',
    'esbuild-go120',
  ]) {
    test(`${name}: agrees with the full function table`, () => {
      const img = image(name);
      const table = readGoNameTable(img);
      const pcln = readPclntab(img);
      assert.ok(table && pcln);
      assert.equal(table.count, pcln.funcs.length);
      assert.equal(table.magic, pcln.magic);
      assert.equal(table.version, pcln.version);
      for (let i = 0; i < pcln.funcs.length; i += 7) assert.ok(table.has(pcln.funcs[i]!.name), pcln.funcs[i]!.name);
      const full = packagesOf(pcln);
      const fast = new Set(table.packages());
      for (const p of full) assert.ok(fast.has(p), `package ${p} missing from the name table's packages`);
      assert.equal(table.has('main.noSuchFunctionAnywhere'), false);
      assert.equal(table.has('runtime.mai'), false, 'a prefix of a name is not a name');
      assert.ok(table.hasPrefix('runtime.mai'));
      assert.equal(table.hasPrefix('untime.main'), false, 'only at the start of a name');
    });
  }

  for (const name of ['windows-amd64', 'lefthook-windows-x64']) {
    test(`${name}: PE has no pclntab section; the name table is found through the located header`, () => {
      const img = image(name);
      assert.ok(!img.sections.some((s) => s.name === '.gopclntab'));
      const table = readGoNameTable(img);
      const pcln = readPclntab(img);
      assert.ok(table && pcln);
      assert.equal(table.count, pcln.funcs.length);
      for (let i = 0; i < pcln.funcs.length; i += 7) assert.ok(table.has(pcln.funcs[i]!.name), pcln.funcs[i]!.name);
      for (const p of packagesOf(pcln)) assert.ok(table.packages().includes(p), p);
    });
  }

  test("the 1.2 layout (Go 1.15) keeps names beside the records: gathered, they equal the full decode's", () => {
    const img = image('esbuild-go115');
    const table = readGoNameTable(img);
    const pcln = readPclntab(img);
    assert.ok(table && pcln);
    assert.equal(table.version, '1.2');
    assert.equal(table.magic, pcln.magic);
    assert.equal(table.count, pcln.funcs.length);
    for (const f of pcln.funcs) assert.ok(table.has(f.name), f.name);
    assert.deepEqual(table.packages(), packagesOf(pcln));
    assert.equal(table.has('main.noSuchFunctionAnywhere'), false);
    const id = identifyGo(img, { pclntab: 'names' });
    assert.equal(id.pclntab, null, 'no full decode');
    assert.equal(id.names?.count, pcln.funcs.length);
    assert.ok(id.names?.has('main.main'));
  });

  test('present() answers many questions in one pass exactly as has() and hasPrefix() answer each', () => {
    for (const name of ['static', 'cgo-glibc', 'buf']) {
      const table = readGoNameTable(image(name));
      assert.ok(table);
      const funcs = (readPclntab(image(name))?.funcs ?? []).map((f) => f.name);
      assert.ok(funcs.length > 1000);
      // present and absent names, the first name of the table, prefixes of names, and look-alikes
      const asked = {
        names: [
          funcs[0]!,
          funcs[funcs.length - 1]!,
          'runtime.main',
          'runtime.mai',
          'time.LoadLocation',
          'crypto/x509.loadSystemRoots',
          'main.noSuch',
          'main.ünicode',
          '',
        ],
        prefixes: [
          'runtime.',
          'untime.',
          funcs[0]!.slice(0, 3),
          'net.(*Resolver).goLookup',
          'os/user.',
          'net/http/pprof.',
          'plugin.',
          'expvar.',
          'main.',
          'zzz',
        ],
      };
      const got = table.present(asked);
      for (const n of asked.names) assert.equal(got.names.has(n), table.has(n), `${name}: name ${n}`);
      for (const p of asked.prefixes) assert.equal(got.prefixes.has(p), table.hasPrefix(p), `${name}: prefix ${p}`);
      assert.ok(got.names.has('runtime.main') && got.prefixes.has('runtime.'), `${name}: sanity`);
    }
    // non-ASCII identifiers are matched by their UTF-8 bytes
    const q = namesFromList(['main.grüße', 'main.x', 'pkg.ü']);
    assert.deepEqual(q.present({ names: ['main.grüße', 'main.grü'], prefixes: ['pkg.ü', 'pkg.u'] }), {
      names: new Set(['main.grüße']),
      prefixes: new Set(['pkg.ü']),
    });
  });

  test('namesFromList answers the same questions on a plain list', () => {
    const q = namesFromList(['crypto/x509.loadSystemRoots', 'time.LoadLocation', 'gopkg.in/yaml.v3.(*decoder).unmarshal']);
    assert.equal(q.count, 3);
    assert.ok(q.has('time.LoadLocation'));
    assert.ok(q.has('crypto/x509.loadSystemRoots'));
    assert.ok(!q.has('time.Load'));
    assert.ok(q.hasPrefix('gopkg.in/yaml.v3.'));
    assert.deepEqual(q.packages(), ['crypto/x509', 'gopkg.in/yaml.v3', 'time']);
  });
});
