/**
 * Every runtime `-r` accepts is listed by `--list-runtimes`, every listed spelling resolves to the runtime
 * it is listed under, and every spelling the README promises resolves. The list is generated from the
 * knowledge tables, and so is what this test checks it against: no hand-written list of names.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KNOWN_RUNTIMES, RUNTIMES, runtimeListing } from '../../src/knowledge/runtimes.js';
import { findRuntime } from '../../src/knowledge/image-model.js';
import { DISTROLESS_DEFAULT_DEBIAN, DISTROLESS_IMAGES } from '../../src/knowledge/distroless.js';

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** `a{b,c}d` → abd, acd; `x:1|2` → x:1, x:2 (the README's two shorthands). */
export function expand(token: string): string[] {
  const brace = /\{([^{}]*)\}/.exec(token);
  if (brace)
    return brace[1]!.split(',').flatMap((alt) => expand(token.slice(0, brace.index) + alt + token.slice(brace.index + brace[0].length)));
  const colon = token.indexOf(':');
  if (token.includes('|') && colon > 0)
    return token
      .slice(colon + 1)
      .split('|')
      .map((t) => token.slice(0, colon + 1) + t);
  return [token];
}

/** The README's runtime paragraph: from "Runtimes judged by default" to the sentence on architectures. */
function readmeSpellings(): string[] {
  const start = README.indexOf('Runtimes judged by default');
  const end = README.indexOf('A verdict is for the runtime', start);
  assert.ok(start > 0 && end > start, 'README runtime paragraph');
  const tokens = [...README.slice(start, end).matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  // prefixes and the command itself are not runtime names
  return tokens.filter((t) => !t.endsWith('/') && !t.startsWith('gokiln ') && !t.startsWith('-') && !t.endsWith('.json')).flatMap(expand);
}

describe('runtime spellings', () => {
  test('the listing holds every accepted runtime, the default set marked, each spelling resolving to its runtime', () => {
    const list = runtimeListing();
    assert.deepEqual(
      list.map((r) => r.name),
      KNOWN_RUNTIMES.map((r) => r.name),
    );
    assert.deepEqual(
      list.filter((r) => r.default).map((r) => r.name),
      RUNTIMES.map((r) => r.name),
    );
    for (const r of list) {
      assert.equal(r.spellings[0], r.name);
      for (const s of r.spellings) {
        const got = findRuntime(s);
        assert.ok(got, `${s} is listed but not accepted`);
        assert.ok(got.name === r.name || got.name.startsWith(r.name + ':'), `${s} → ${got.name}, listed under ${r.name}`);
        assert.equal(
          findRuntime(`gcr.io/${s}`)?.name ?? findRuntime(`docker.io/library/${s}`)?.name,
          got.name,
          `${s} with a registry prefix`,
        );
      }
      for (const a of KNOWN_RUNTIMES.find((k) => k.name === r.name)!.aliases) assert.equal(findRuntime(a)?.name, r.name, a);
    }
  });

  test('ubuntu:18.04 and ubuntu:26.04 are accepted and listed (they were accepted but missing from the list)', () => {
    const names = runtimeListing().map((r) => r.name);
    for (const n of ['ubuntu:18.04', 'ubuntu:26.04']) {
      assert.equal(findRuntime(n)?.name, n);
      assert.ok(names.includes(n), n);
    }
  });

  test('the unsuffixed distroless names are the default release, with their tags', () => {
    const d = DISTROLESS_DEFAULT_DEBIAN.debian;
    for (const flavour of new Set(DISTROLESS_IMAGES.map((i) => i.flavour))) {
      assert.equal(findRuntime(`distroless/${flavour}`)?.name, `distroless/${flavour}-debian${d}`);
      assert.equal(findRuntime(`gcr.io/distroless/${flavour}:nonroot`)?.name, `distroless/${flavour}-debian${d}:nonroot`);
      assert.equal(findRuntime(`gcr.io/distroless/${flavour}:nonroot`)?.defaultUser.uid, 65532);
      assert.equal(findRuntime(`gcr.io/distroless/${flavour}:debug-nonroot-arm64`)?.shell, '/busybox/sh');
    }
    assert.equal(findRuntime('gcr.io/distroless/static:nonroot')?.name, 'distroless/static-debian13:nonroot');
    assert.equal(findRuntime('distroless/static-debian11'), null, 'debian11 images are gone');
    assert.equal(findRuntime('distroless/java'), null);
  });

  test('every spelling the README promises is accepted, and every runtime accepted is named in the README', () => {
    const promised = readmeSpellings();
    assert.ok(promised.length > 30, `parsed ${promised.length} spellings`);
    for (const s of promised) assert.ok(findRuntime(s), `README promises ${s}`);
    const named = new Set(promised.map((s) => findRuntime(s)!.name.replace(/:(nonroot|debug|debug-nonroot)$/, '')));
    // the README gives ranges (`alpine:3.18` … `alpine:3.24`): a runtime inside a range counts as named
    const ranges = [...README.matchAll(/`alpine:(\d+)\.(\d+)`\s+…\s+`alpine:(\d+)\.(\d+)`/g)].map(
      (m) => [Number(m[2]), Number(m[4])] as const,
    );
    for (const rt of KNOWN_RUNTIMES) {
      const minor = /^alpine:3\.(\d+)$/.exec(rt.name)?.[1];
      const inRange = minor !== undefined && ranges.some(([a, b]) => Number(minor) >= a && Number(minor) <= b);
      assert.ok(named.has(rt.name) || inRange, `${rt.name} is accepted but the README does not name it`);
    }
  });
});
