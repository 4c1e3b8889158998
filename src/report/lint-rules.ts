/** `gokiln lint --list-rules`: the rule catalogue as aligned text, or as JSON (id, severity, title, explanation, fix). */
import type { RuleDoc } from '../dockerfile/types.js';
import { toJson } from './style.js';

export function lintRulesText(rules: readonly RuleDoc[]): string {
  return rules.map((r) => `${r.id}  ${r.severity.padEnd(7)}  ${r.title}`).join('\n') + '\n';
}

export function lintRulesJson(rules: readonly RuleDoc[]): string {
  return toJson(rules.map((r) => ({ id: r.id, severity: r.severity, title: r.title, explanation: r.explanation, fix: r.fix })));
}
