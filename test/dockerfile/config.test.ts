import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { parseLintConfig, DEFAULT_CONFIG } from '../../src/dockerfile/config.js';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { isGokilnError } from '../../src/errors.js';

const schema = JSON.parse(readFileSync(join(process.cwd(), 'schemas/gokiln-config.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false }).compile(schema);

const GOOD = `# yaml-language-server: $schema=./schemas/gokiln-config.schema.json
lint:
  ignore: [GK013]
  severity:
    GK003: error
    GK021: off
  trustedRegistries: [docker.io, gcr.io]
  allowedDrift:
    alpineMinor: 1
  failureThreshold: warning
`;

const BAD: [string, number][] = [
  ['lint:\n  ignore: [DL3008]\n', 2],
  ['lint:\n  severity:\n    GK003: fatal\n', 3],
  ['lint:\n  allowedDrift:\n    alpineMinor: -1\n', 3],
  ['lint:\n  allowedDrift:\n    debian: 1\n', 3],
  ['lint:\n  colour: red\n', 2],
  ['lint: [1, 2]\n', 1],
  ['lint:\n  ignore: [GK001\n', 3], // the parser notices at the end of input
];

describe('.gokiln.yaml', () => {
  test('a full config is read, and the JSON Schema accepts it', () => {
    const cfg = parseLintConfig(GOOD);
    assert.deepEqual(cfg, {
      ignore: ['GK013'],
      severity: { GK003: 'error', GK021: 'off' },
      trustedRegistries: ['docker.io', 'gcr.io'],
      allowedDrift: { alpineMinor: 1 },
      failureThreshold: 'warning',
    });
    assert.ok(validate(parseYaml(GOOD) as unknown), JSON.stringify(validate.errors));
  });
  test('empty files and files without a lint section give the defaults', () => {
    assert.deepEqual(parseLintConfig(''), DEFAULT_CONFIG);
    assert.deepEqual(parseLintConfig('plan:\n  paradigm: static\n'), DEFAULT_CONFIG);
  });
  for (const [text, line] of BAD) {
    test(`rejected with its line, by the reader and the schema: ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseLintConfig(text, 'cfg.yaml'),
        (e: unknown) => isGokilnError(e) && e.code === 'E_PARSE' && e.details.line === line && e.message.startsWith(`cfg.yaml:${line}:`),
      );
      let doc: unknown;
      try {
        doc = parseYaml(text);
      } catch {
        return; // YAML syntax errors never reach the schema
      }
      assert.equal(validate(doc), false);
    });
  }
  test('config changes what lint reports', () => {
    const df =
      'FROM golang:1.27-alpine3.23 AS b\nRUN go build -o /app .\nFROM alpine:3.24\nRUN apk add curl\nCOPY --from=b /app /app\nUSER 1';
    const base = lintDockerfile(df, { file: 'D', today: '2026-11-26' });
    assert.ok(base.some((f) => f.rule === 'GK001'));
    assert.ok(base.some((f) => f.rule === 'GK021'));
    assert.ok(base.some((f) => f.rule === 'GK013'));
    assert.ok(base.some((f) => f.rule === 'GK003' && f.severity === 'info'));
    const cfg = parseLintConfig(GOOD);
    const got = lintDockerfile(df, { file: 'D', today: '2026-11-26', config: cfg });
    assert.ok(!got.some((f) => f.rule === 'GK001'), 'drift of 1 allowed');
    assert.ok(!got.some((f) => f.rule === 'GK021'), 'off');
    assert.ok(!got.some((f) => f.rule === 'GK013'), 'ignored');
    assert.ok(!got.some((f) => f.rule === 'GK003'), 'trusted registry: no digest info');
  });
  test('severity override applies', () => {
    const got = lintDockerfile('FROM alpine\nUSER 1', {
      file: 'D',
      today: '2026-11-26',
      config: { ...DEFAULT_CONFIG, severity: { GK003: 'error' } },
    });
    assert.deepEqual(
      got.filter((f) => f.rule === 'GK003').map((f) => f.severity),
      ['error'],
    );
  });
});

describe('pragmas', () => {
  const df = (pragma: string) =>
    `${pragma}\nFROM golang:1.27\n# gokiln ignore=GK004\nRUN go mod download && \\\n    go build -a -o /app .\nRUN go build -a -o /b .`;
  test('ignore= on the line before silences that instruction only, all its lines', () => {
    const got = lintDockerfile(df(''), { file: 'D', today: '2026-11-26' });
    assert.deepEqual(
      got.filter((f) => f.rule === 'GK004').map((f) => f.line),
      [6],
    );
  });
  test('ignore-file= silences the whole file; other rules still report', () => {
    const got = lintDockerfile(df('# gokiln ignore-file=GK004,GK013'), { file: 'D', today: '2026-11-26' });
    assert.deepEqual(
      got.filter((f) => f.rule === 'GK004' || f.rule === 'GK013'),
      [],
    );
    assert.ok(got.some((f) => f.rule === 'GK003'));
  });
});
