/**
 * Knowledge provenance (issue #11, point 6): the review day is one constant, not a literal repeated in every
 * record, and every source that points into the repository resolves there (a file, a heading of it).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWLEDGE_CHECKED, SRC } from '../../src/knowledge/provenance.js';
import { RUNTIMES } from '../../src/knowledge/runtimes.js';
import { DISTROLESS_IMAGES, DISTROLESS_RETIRED_IMAGES } from '../../src/knowledge/distroless.js';

const DIR = 'src/knowledge';

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

test('no day is written out again and again in src/knowledge: records share KNOWLEDGE_CHECKED or carry their own', () => {
  const counts = new Map<string, number>();
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(DIR, f), 'utf8').matchAll(/checked: '(\d{4}-\d{2}-\d{2})'/g))
      counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  for (const [day, n] of counts) assert.ok(n <= 3, `checked: '${day}' is written ${n} times: use KNOWLEDGE_CHECKED or one constant`);
  assert.match(KNOWLEDGE_CHECKED, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(RUNTIMES.length > 0);
});

test('sources that point into the repository resolve: files exist, anchors are headings', () => {
  const sources = Object.values(SRC) as string[];
  assert.ok(!sources.some((s) => /shared\/facts\.md/.test(s)), 'no source cites the team fact sheet outside the repository');
  let seen = 0;
  for (const s of sources) {
    for (const m of s.matchAll(/\b((?:docs|src|schemas)\/[\w./-]+?)(?:#([\w-]+))?(?=[\s),;]|$)/g)) {
      seen++;
      const [, file, hash] = m;
      assert.ok(existsSync(file!), `${file} (cited in ${JSON.stringify(s)}) exists`);
      if (hash) {
        const headings = readFileSync(file!, 'utf8')
          .split('\n')
          .filter((l) => /^#{1,6} /.test(l))
          .map((l) => anchor(l.replace(/^#+ /, '')));
        assert.ok(headings.includes(hash), `#${hash} is a heading of ${file}: ${headings.join(', ')}`);
      }
    }
  }
  assert.ok(seen >= 2, 'the fact-sheet sources point at docs/knowledge.md');
});

test("distroless: the Debian 11 records carry the day docs/knowledge.md says their facts were checked, the published images the review's", () => {
  // the distroless.ts row of the knowledge table ends with the Debian 11 sentence and its own "Checked" day
  const row = readFileSync('docs/knowledge.md', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('| `distroless.ts` |'));
  assert.ok(row, 'docs/knowledge.md has a distroless.ts row');
  const debian11 = row.slice(row.indexOf('Debian 11 images'));
  const day = /Checked (\d{4}-\d{2}-\d{2})/.exec(debian11)?.[1];
  assert.ok(day, row);
  assert.ok(DISTROLESS_RETIRED_IMAGES.length > 0);
  for (const img of DISTROLESS_RETIRED_IMAGES) assert.equal(img.checked, day, `${img.flavour}-debian${img.debian}`);
  for (const img of DISTROLESS_IMAGES) assert.equal(img.checked, KNOWLEDGE_CHECKED, `${img.flavour}-debian${img.debian}`);
  assert.notEqual(day, KNOWLEDGE_CHECKED, 'the retired images were checked on a day of their own');
});
