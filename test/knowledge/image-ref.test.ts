/**
 * parseImageRef, the one split of a reference (issue #20: mutants alive in image-ref.ts): Docker Hub under
 * each of its host names, and a digest after an empty name. Kept in a file of its own so `npm run mutate`,
 * which runs the quickest test files first, reaches it for image-ref.ts.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseImageRef } from '../../src/knowledge/image-ref.js';

test('Docker Hub under any of its host names; a digest after an empty name is still the digest', () => {
  for (const host of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
    const r = parseImageRef(`${host}/library/golang:1.26`);
    assert.deepEqual([r.registry, r.repository, r.tag], [undefined, 'golang', '1.26'], host);
  }
  // FROM ${IMAGE}@sha256:… with IMAGE unset: '@' only ever separates the digest
  const d = `sha256:${'ab'.repeat(32)}`;
  assert.deepEqual(parseImageRef(`@${d}`), { raw: `@${d}`, repository: '', digest: d });
});
