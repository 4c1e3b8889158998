/**
 * init → buildah → podman for the pure-Go examples on distroless (static): hello-service, multi-cmd's two
 * binaries, vendored (with and without --offline), //go:embed and a replace inside the project
 * (cases in init-cases.ts).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { caseTests } from './init-cases.js';
import { RUN_CHECK } from '../harness/expected-runs.js';

caseTests('static', 'pure-Go examples on distroless/static, built by buildah and run by podman');

test('the Alpine paradigm is not built by an engine: no Alpine package is reachable here, so test/generate replays its Dockerfile text with the same checks', (t) => {
  // the replay and the engine read their expected lines from one table (harness/expected-runs.ts)
  for (const name of ['hello-service', 'sqlite-cgo', 'png-cgo', 'vendored', 'worker', 'api']) assert.ok(RUN_CHECK[name], name);
  t.diagnostic('alpine: text replay only (test/generate/dockerfile.test.ts), no engine build');
});
