/** The plan in words, for a terminal. */
import type { Plan } from '../project/plan.js';
import type { Colors } from './style.js';

export function planText(plan: Plan, c: Pick<Colors, 'bold' | 'green' | 'yellow' | 'dim'>): string {
  const L: string[] = [];
  L.push(c.bold(`${plan.module ?? plan.dir}`) + c.dim(`  (go ${plan.go.mod ?? '?'}${plan.go.toolchain ? `, toolchain ${plan.go.toolchain}` : ''}; read with ${plan.scan.method})`));
  L.push('');
  L.push(c.bold('Binaries'));
  for (const b of plan.binaries) L.push(`  ${b.binary}  ${c.dim(b.dir)}`);
  if (!plan.binaries.length) L.push('  (none)');
  L.push(c.bold('cgo') + `  ${plan.cgo.required ? 'required' : 'not used'}`);
  for (const d of plan.cgo.deps) L.push(`  ${d.pkg}${d.note ? c.dim(` — ${d.note}`) : ''}`);
  for (const o of plan.cgo.own) L.push(`  ${o.pkg}: import "C" in ${o.files.join(', ')}`);
  if (plan.libraries.length || plan.unknownLibraries.length) {
    L.push(c.bold('C libraries'));
    for (const l of plan.libraries) {
      L.push(`  ${l.name} (${l.refs.join(', ')})`);
      L.push(`    Debian build ${l.debian.build.join(' ') || '-'}, runtime ${l.debian.runtime.join(' ') || '-'}`);
      L.push(`    Alpine build ${l.alpine.build.join(' ') || '-'}, runtime ${l.alpine.runtime.join(' ') || '-'}`);
    }
    for (const u of plan.unknownLibraries) L.push(c.yellow(`  ${u}: no package mapping`));
  }
  L.push(c.bold('Runtime needs'));
  for (const e of plan.evidence) L.push(`  - ${e}`);
  if (!plan.evidence.length) L.push('  nothing beyond the binary');
  if (plan.vendor.present) L.push(`${c.bold('vendor/')}  ${plan.vendor.consistent ? c.green('consistent with go.mod') : c.yellow(`inconsistent (${plan.vendor.problems.length})`)}`);
  L.push('');
  L.push(c.bold(`Recommended: ${plan.recommended.paradigm}`) + `  → ${plan.runtimes[plan.recommended.paradigm]}`);
  for (const r of plan.recommended.reasons) L.push(`  - ${r.message}`);
  L.push(c.bold('Alternatives'));
  for (const a of plan.alternatives) {
    L.push(`  ${a.paradigm}${a.viable ? '' : c.yellow(' (not viable)')}  → ${plan.runtimes[a.paradigm]}`);
    L.push(`    size: ${a.tradeoffs.size}; attack surface: ${a.tradeoffs.attackSurface}`);
    L.push(`    debugging: ${a.tradeoffs.debuggability}; build: ${a.tradeoffs.buildTime}`);
    for (const cv of a.caveats) L.push(c.dim(`    ! ${cv}`));
  }
  for (const w of plan.warnings) L.push(c.yellow(`warning: ${w.message}`));
  L.push('');
  L.push(c.dim(`next: gokiln init ${plan.dir === '.' ? '' : plan.dir + ' '}--paradigm ${plan.recommended.paradigm}`));
  return L.join('\n') + '\n';
}
