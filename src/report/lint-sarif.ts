/**
 * SARIF 2.1.0 for `gokiln lint --format sarif`: one run, the rule catalogue in tool.driver.rules, one
 * result per finding with a relative artifact URI (what GitHub code scanning accepts as is).
 */
import { toJson } from './style.js';
import type { Finding, RuleDoc, Severity } from '../dockerfile/types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function lintSarif(findings: Finding[], rules: readonly RuleDoc[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gokiln',
            semanticVersion: version,
            informationUri: 'https://www.npmjs.com/package/gokiln',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.title
                .replace(/[^A-Za-z0-9]+/g, ' ')
                .trim()
                .split(' ')
                .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: r.title },
              fullDescription: { text: r.explanation },
              help: { text: `${r.explanation}\n\nFix: ${r.fix}`, markdown: `${r.explanation}\n\n**Fix:** ${r.fix}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => {
          const result: Record<string, unknown> = {
            ruleId: f.rule,
            level: LEVEL[f.severity],
            message: { text: `${f.message}. Fix: ${f.fix}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: toUri(f.file) },
                  region: { startLine: f.line, startColumn: f.column },
                },
              },
            ],
          };
          const i = index.get(f.rule);
          if (i !== undefined) result.ruleIndex = i;
          return result;
        }),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return toJson(log);
}

/** Relative paths with forward slashes, each segment percent-encoded; `-` (stdin) becomes `stdin`. */
function toUri(file: string): string {
  if (file === '-') return 'stdin';
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * A SARIF log for a lint that could not run (a bad flag or config): one run with no results whose
 * invocation failed, carrying the error, so a CI step that uploads the file gets a valid log that says why
 * instead of an empty file.
 */
export function lintSarifError(code: string, message: string, version: string): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'gokiln', semanticVersion: version, informationUri: 'https://www.npmjs.com/package/gokiln', rules: [] } },
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: 'error', message: { text: message }, descriptor: { id: code } }],
          },
        ],
        results: [],
      },
    ],
  };
  return toJson(log);
}
