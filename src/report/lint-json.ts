/** `gokiln lint --format json`: an array of findings, keys in the documented order (schemas/lint.schema.json). */
import { toJson } from './style.js';
import type { Finding } from '../dockerfile/types.js';

export function lintJson(findings: Finding[]): string {
  const rows = findings.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    fix: f.fix,
  }));
  return toJson(rows);
}
