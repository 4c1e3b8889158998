// Bad input never crashes the linter: random text, random instruction soup, truncations of real files.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { lintDockerfile } from '../../src/dockerfile/lint.js';

const corpus = readdirSync(join(process.cwd(), 'test/fixtures-lint/corpus')).map((d) =>
  readFileSync(join(process.cwd(), 'test/fixtures-lint/corpus', d, 'Dockerfile'), 'utf8'),
);

function noInternalErrors(text: string): void {
  const got = lintDockerfile(text, { file: 'F', today: '2026-11-26' });
  for (const f of got) {
    assert.ok(Number.isInteger(f.line) && f.line >= 1);
    assert.ok(!/internal error/.test(f.message), f.message);
  }
}

test('arbitrary strings', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => noInternalErrors(s)),
    { numRuns: 300 },
  );
});

test('instruction soup', () => {
  const word = fc.constantFrom(
    'FROM',
    'RUN',
    'COPY',
    'ARG',
    'ENV',
    'USER',
    'CMD',
    'ENTRYPOINT',
    'EXPOSE',
    'WORKDIR',
    'HEALTHCHECK',
    'SHELL',
    'ONBUILD',
    'ADD',
    'BOGUS',
    'golang:1.27',
    'scratch',
    '--from=0',
    '--from=9',
    'AS',
    'b',
    '${X}',
    '$',
    '{',
    '}',
    'go',
    'build',
    '-a',
    '-o',
    '/app',
    '&&',
    '\\\n',
    '<<EOF\n',
    '\nEOF',
    '"',
    "'",
    '[',
    ']',
    'CGO_ENABLED=1',
    '--platform=$BUILDPLATFORM',
    '--mount=type=cache,target=/go/pkg/mod',
    '\n',
  );
  fc.assert(
    fc.property(fc.array(word, { maxLength: 60 }), (ws) => noInternalErrors(ws.join(' '))),
    { numRuns: 400 },
  );
});

test('every prefix of every corpus Dockerfile', () => {
  for (const text of corpus) for (let n = 0; n < text.length; n += 7) noInternalErrors(text.slice(0, n));
});

test('binary input is one GK000 finding on line 1', () => {
  const got = lintDockerfile('\u007fELF\u0002\u0001\u0001\u0000\u0000garbage', { file: 'bin', today: '2026-11-26' });
  assert.deepEqual(
    got.map((f) => [f.rule, f.line, f.severity]),
    [['GK000', 1, 'error']],
  );
});
