/** Human output: `file:line:col severity RULE message`, then the one-line fix, then a count. */
import type { Finding, Severity } from '../dockerfile/types.js';
import { createColors, type Colors } from './style.js';

/** The colours lint's output uses (any `Colors` will do). */
export type Paint = Pick<Colors, 'red' | 'yellow' | 'cyan' | 'dim' | 'bold'>;

const plain: Paint = createColors(false);

/** `unreadable`: paths given that gave nothing to lint (unreadable, or a directory without a Dockerfile; each has a GK000 finding). */
export function lintTty(findings: Finding[], filesLinted: number, paint: Paint = plain, unreadable = 0): string {
  const sev = (s: Severity) => (s === 'error' ? paint.red('error  ') : s === 'warning' ? paint.yellow('warning') : paint.cyan('info   '));
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${paint.bold(`${f.file}:${f.line}:${f.column}`)} ${sev(f.severity)} ${f.rule} ${f.message}`);
    lines.push(paint.dim(`    fix: ${f.fix}`));
  }
  const n = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const files = `${filesLinted} Dockerfile${filesLinted === 1 ? '' : 's'}${unreadable ? ` (${unreadable} path${unreadable === 1 ? '' : 's'} not linted)` : ''}`;
  lines.push(findings.length ? `${files}: ${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} info` : `${files}: no findings`);
  return lines.join('\n') + '\n';
}
