/** The data a lint run produces: findings with stable rule ids, severities and positions; wording of the fix lives with the rule. */

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** One finding, as `--format json` prints it (positions are 1-based). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
}

/** What a rule's check returns: where, what, and optionally a severity other than the rule's default. */
export interface RawFinding {
  /** 0-based line, as dockerfile-ast counts */
  line: number;
  /** 0-based column */
  column?: number;
  message: string;
  severity?: Severity;
  /** a fix more specific than the rule's generic one */
  fix?: string;
}

export interface RuleDoc {
  id: string;
  severity: Severity;
  title: string;
  /** why this matters, in a few sentences */
  explanation: string;
  /** the generic fix, one line */
  fix: string;
}
