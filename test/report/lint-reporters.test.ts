/* eslint-disable @typescript-eslint/no-explicit-any -- parsed SARIF/JSON is inspected field by field */
// Reporters: SARIF validated against the official SARIF 2.1.0 schema (oasis-tcs/sarif-spec), JSON against
// schemas/lint.schema.json, GitHub annotations parsed back, tty checked for file:line:col and fix lines.
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { sarifValidator } from '../harness/sarif.js';
import { lintSarif } from '../../src/report/lint-sarif.js';
import { lintJson } from '../../src/report/lint-json.js';
import { lintGithub } from '../../src/report/lint-github.js';
import { lintTty } from '../../src/report/lint-tty.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { RULES } from '../../src/dockerfile/registry.js';
import type { Finding } from '../../src/dockerfile/types.js';

const DF = ['FROM golang:1.27 AS build', 'RUN go build -a -o /app .', 'FROM scratch', 'COPY --from=build /app /app', 'CMD /app'].join('\n');
const findings: Finding[] = lintDockerfile(DF, { file: 'svc/Dockerfile', today: '2026-11-26' });

describe('lint reporters', () => {
  test('the sample has findings of all three severities', () => {
    assert.deepEqual(new Set(findings.map((f) => f.severity)), new Set(['error', 'warning', 'info']));
  });

  test('SARIF 2.1.0 validates against the official schema', () => {
    const validate = sarifValidator();
    const log: any = JSON.parse(lintSarif(findings, RULES, '0.1.0'));
    const ok = validate(log as unknown);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.results.length, findings.length);
    assert.equal(run.tool.driver.rules.length, RULES.length);
    for (const [i, r] of run.results.entries()) {
      assert.equal(r.ruleId, findings[i]!.rule);
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
      assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'svc/Dockerfile');
      assert.equal(r.locations[0].physicalLocation.region.startLine, findings[i]!.line);
      assert.equal(r.level, { error: 'error', warning: 'warning', info: 'note' }[findings[i]!.severity]);
    }
  });

  test('the schema check is not vacuous: a broken log fails it', () => {
    const validate = sarifValidator();
    const log: any = JSON.parse(lintSarif(findings, RULES, '0.1.0'));
    log.runs[0].results[0].level = 'fatal';
    assert.equal(validate(log as unknown), false);
  });

  test('SARIF with no findings and odd paths still validates', () => {
    const validate = sarifValidator();
    assert.ok(validate(JSON.parse(lintSarif([], RULES, '0.1.0'))));
    const odd: Finding = { ...findings[0]!, file: 'my dir/Dockerfile.prod' };
    const log: any = JSON.parse(lintSarif([odd, { ...odd, file: '-' }], RULES, '0.1.0'));
    assert.ok(validate(log as unknown), JSON.stringify(validate.errors));
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20dir/Dockerfile.prod');
  });

  test('JSON matches schemas/lint.schema.json and keeps the documented keys', () => {
    const schema = JSON.parse(readFileSync(join(process.cwd(), 'schemas/lint.schema.json'), 'utf8'));
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(schema);
    const rows: any = JSON.parse(lintJson(findings));
    assert.ok(validate(rows as unknown), JSON.stringify(validate.errors));
    assert.deepEqual(Object.keys(rows[0]), ['file', 'line', 'column', 'rule', 'severity', 'message', 'fix']);
    assert.deepEqual(rows, findings);
  });

  test('GitHub annotations: one per finding, escaped, notice for info', () => {
    const out = lintGithub([...findings, { ...findings[0]!, message: 'a: b, 100%\nnext', file: 'x,y:z' }]);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, findings.length + 1);
    for (const [i, f] of findings.entries()) {
      const cmd = { error: 'error', warning: 'warning', info: 'notice' }[f.severity];
      assert.ok(lines[i]!.startsWith(`::${cmd} file=svc/Dockerfile,line=${f.line},col=${f.column},title=${f.rule}::`), lines[i]);
    }
    const last = lines[lines.length - 1]!;
    assert.ok(last.includes('file=x%2Cy%3Az,'));
    assert.ok(last.includes('::a: b, 100%25%0Anext%0Afix: '));
  });

  test('tty: file:line:col, severity, rule, message, then the fix', () => {
    const out = lintTty(findings, 1);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, findings.length * 2 + 1);
    const f = findings[0]!;
    assert.equal(lines[0], `svc/Dockerfile:${f.line}:${f.column} ${f.severity.padEnd(7)} ${f.rule} ${f.message}`);
    assert.equal(lines[1], `    fix: ${f.fix}`);
    assert.match(lines[lines.length - 1]!, /^1 Dockerfile: \d+ error\(s\), \d+ warning\(s\), \d+ info$/);
    assert.equal(lintTty([], 3), '3 Dockerfiles: no findings\n');
    assert.match(lintTty([], 1, undefined, 2), /^1 Dockerfile \(2 paths not linted\): no findings\n$/);
  });
});
