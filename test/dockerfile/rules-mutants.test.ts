/**
 * Mutants `npm run mutate` found alive in src/dockerfile/rules, killed here (issue #20):
 *  - GK021 counts only a cache mount (`type=cache`) as keeping the package cache out of the layer: a bind
 *    mount at the same target does not;
 *  - GK022 judges a stage's base image once: a stage built FROM another stage is not reported again.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { lintDockerfile } from '../../src/dockerfile/lint.js';

const TODAY = '2026-11-26';
const findings = (df: string, rule: string) => lintDockerfile(df, { file: 'Dockerfile', today: TODAY }).filter((f) => f.rule === rule);

test('GK021: a cache mount at /var/cache/apk keeps the cache out; a bind mount there does not', () => {
  assert.deepEqual(
    findings('FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk add ca-certificates', 'GK021').map((f) => f.line),
    [],
  );
  assert.deepEqual(
    findings('FROM alpine:3.22\nRUN --mount=type=bind,target=/var/cache/apk apk add ca-certificates', 'GK021').map((f) => f.line),
    [2],
  );
});

test('GK022: an out-of-support base is reported on its FROM only, not again on stages built from it', () => {
  const f = findings('FROM debian:bullseye-slim AS base\nRUN true\nFROM base AS app\nRUN true\nFROM base', 'GK022');
  assert.deepEqual(
    f.map((x) => x.line),
    [1],
  );
});
