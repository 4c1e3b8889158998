/**
 * definedSymbols (a few names, found without decoding a whole symbol table) against the full table and
 * against `go tool nm`: the same addresses and kinds, undefined symbols left out, nothing for a stripped file.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BufferSource } from '../../src/formats/source.js';
import { parseBinary } from '../../src/formats/open.js';
import { parseGoNm } from '../truth/go-nm.js';
import { missingTools } from '../truth/tools.js';
import { fixture, type FixtureName } from '../fixtures/index.js';

const CI = process.env.CI === 'true';
const ASKED = [
  'runtime.pclntab',
  'runtime.epclntab',
  'runtime.buildVersion',
  'runtime.main',
  'main.main',
  'runtime.text',
  '__init_libc',
  '__libc_setup_tls',
  'no.such.symbol',
  'runtime.mai',
  'go:buildid',
];

function image(name: FixtureName) {
  const [img] = parseBinary(new BufferSource(new Uint8Array(readFileSync(fixture(name)))));
  assert.ok(img);
  return img;
}

describe('definedSymbols', () => {
  if (CI && missingTools(['go']).length) throw new Error('missing tools in CI: go');

  for (const name of [
    'static',
    'musl-static',
    'glibc-static',
    'cgo-glibc',
    'pie',
    'sqlite',
    'windows-amd64',
    'darwin-arm64',
    'darwin-amd64',
  ] as const) {
    test(`${name}: the names asked for, as the full table and go tool nm have them`, () => {
      const fast = image(name).definedSymbols(ASKED);
      const full = image(name).symbols() ?? [];
      const expected = full.filter((s) => s.kind !== 'undef' && ASKED.includes(s.name));
      const key = (s: { name: string; addr: number; kind: string }) => `${s.name}@${s.addr.toString(16)}:${s.kind}`;
      // PE: kinds of data symbols are refined by the full read only (runtime.bss markers); names and addresses agree
      const isPe = name.includes('windows');
      assert.deepEqual(
        fast.map((s) => (isPe ? `${s.name}@${s.addr.toString(16)}` : key(s))).sort(),
        expected.map((s) => (isPe ? `${s.name}@${s.addr.toString(16)}` : key(s))).sort(),
      );
      assert.ok(
        fast.some((s) => s.name === 'runtime.main'),
        'runtime.main is found in every unstripped Go binary',
      );
      if (!isPe)
        for (const s of fast) assert.equal(s.size, expected.find((e) => e.name === s.name && e.addr === s.addr)?.size, `${s.name} size`);
      const nm = spawnSync('go', ['tool', 'nm', '-size', fixture(name)], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(nm.status, 0, nm.stderr);
      const byNm = new Map(
        parseGoNm(nm.stdout)
          .filter((s) => s.type !== 'U')
          .map((s) => [s.name, s.addr]),
      );
      // (go tool nm leaves a few linker-made names out on Mach-O, go:buildid among them)
      for (const s of fast) if (byNm.has(s.name)) assert.equal(s.addr, byNm.get(s.name), `${s.name} address equals go tool nm's`);
      assert.ok(fast.filter((s) => byNm.has(s.name)).length >= 3, 'most answers are checked against go tool nm');
      for (const n of ASKED)
        if (byNm.has(n) && !fast.some((s) => s.name === n)) assert.fail(`${n} is defined per go tool nm but not found`);
    });
  }

  test('a stripped binary has none, and a libc marker tells the static libc', () => {
    assert.deepEqual(image('static-stripped').definedSymbols(ASKED), []);
    assert.ok(
      image('musl-static')
        .definedSymbols(ASKED)
        .some((s) => s.name === '__init_libc'),
    );
    assert.ok(
      image('glibc-static')
        .definedSymbols(ASKED)
        .some((s) => s.name === '__libc_setup_tls'),
    );
  });
});
