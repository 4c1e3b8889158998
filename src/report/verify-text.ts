/** `gokiln verify` as text: the verdict first, then each check (failures with the message and the fix), then the run. */
import type { Colors } from './style.js';
import type { VerifyResult } from '../verify/types.js';

export function verifyText(r: VerifyResult, c: Colors): string {
  const out: string[] = [];
  const verdict = r.verdict === 'runs' ? c.green('runs') : c.red('fails');
  out.push(`${r.image} (${r.platform}): ${r.binary ?? '(no command)'} ${verdict}`);
  for (const ch of r.checks) {
    const mark = ch.ok ? c.green('ok  ') : ch.severity === 'error' ? c.red('FAIL') : c.yellow('warn');
    const [first, ...more] = ch.message.split('\n');
    out.push(`  ${mark} ${ch.id}: ${first}`);
    for (const m of more) out.push(`         ${m}`);
    if (!ch.ok && ch.fix) out.push(`         fix: ${ch.fix}`);
  }
  if (r.run) {
    const code = r.run.timedOut
      ? `killed at the ${r.run.timeoutSeconds} s timeout (still running: counted as started)`
      : `exit code ${r.run.exitCode}`;
    out.push(
      `run (${r.run.runner}): ${code}; the static verdict ${r.run.predicted ? c.green('predicted it') : c.red('did NOT predict it')}`,
    );
    if (r.run.stdout.trim())
      out.push(
        ...r.run.stdout
          .trimEnd()
          .split('\n')
          .slice(0, 20)
          .map((l) => `  stdout: ${l}`),
      );
    if (r.run.stderr.trim())
      out.push(
        ...r.run.stderr
          .trimEnd()
          .split('\n')
          .slice(0, 20)
          .map((l) => `  stderr: ${l}`),
      );
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n') + '\n';
}
