/** The shape of a lint rule: its documentation (id, default severity, title, explanation, fix) and a check over the model. */
import type { DockerfileModel } from './model.js';
import type { LintKnowledge } from './knowledge-port.js';
import type { LintConfig } from './config.js';
import type { RawFinding, RuleDoc } from './types.js';

export interface RuleContext {
  model: DockerfileModel;
  config: LintConfig;
  knowledge: LintKnowledge;
  /** the day of the run, `YYYY-MM-DD` (rules about end of support compare with it) */
  today: string;
}

export interface Rule extends RuleDoc {
  check(ctx: RuleContext): RawFinding[];
}
