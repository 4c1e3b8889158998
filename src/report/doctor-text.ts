/** The doctor report in words, for a terminal. */
import type { DoctorReport } from '../doctor/doctor.js';
import type { Colors } from './style.js';

export function doctorText(r: DoctorReport, c: Pick<Colors, 'bold' | 'green' | 'yellow' | 'red' | 'dim'>): string {
  const L: string[] = [];
  const mark = { ok: c.green('ok  '), warn: c.yellow('warn'), fail: c.red('FAIL') } as const;
  for (const ch of r.checks) {
    L.push(`${mark[ch.status]} ${ch.id.padEnd(14)} ${ch.message}`);
    if (ch.fix) L.push(c.dim(`     fix: ${ch.fix}`));
  }
  L.push('');
  L.push(`${r.summary.ok} ok, ${r.summary.warn} warning(s), ${r.summary.fail} failure(s)` + c.dim(`  (${r.os}, ${r.shell})`));
  return L.join('\n') + '\n';
}
