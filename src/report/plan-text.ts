/** The plan in words, for a terminal. */
import type { Plan } from '../project/plan.js';
import type { Colors } from './style.js';
import { reasonText, type PlannedDebianPackages } from '../image/debian/index.js';

export function planText(plan: Plan, c: Pick<Colors, 'bold' | 'green' | 'yellow' | 'dim'>, debian: PlannedDebianPackages[] = []): string {
  const L: string[] = [];
  L.push(
    c.bold(`${plan.module ?? plan.dir}`) +
      c.dim(`  (go ${plan.go.mod ?? '?'}${plan.go.toolchain ? `, toolchain ${plan.go.toolchain}` : ''}; read with ${plan.scan.method})`),
  );
  L.push('');
  L.push(c.bold('Binaries'));
  if (!plan.binaries.length) L.push('  (none)');
  else {
    const rows = [
      ['binary', 'dir', 'cgo', 'paradigm', 'runtime', 'version', 'ports'],
      ...plan.binaries.map((b) => [
        `${b.main ? '* ' : '  '}${b.binary}`,
        b.dir,
        b.cgo.required ? `yes (${[...b.cgo.own.map((o) => o.pkg), ...b.cgo.deps.map((d) => d.module)].join(', ')})` : 'no',
        b.selected ? b.paradigm : '-',
        b.selected ? b.runtimes[b.paradigm] : `left out: ${b.excluded ?? 'not chosen'}`,
        b.version?.symbol ?? '(Go build info)',
        b.serving.ports.map((p) => String(p.port)).join(',') || '-',
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    rows.forEach((r, i) => {
      const line = '  ' + r.map((cell, j) => (j === r.length - 1 ? cell : cell.padEnd(widths[j]!))).join('  ');
      L.push(i === 0 ? c.dim(line) : plan.binaries[i - 1]!.selected ? line : c.dim(line));
    });
    if (plan.mainBinary) L.push(c.dim(`  * main binary (${plan.mainBinary.why}): the last stage, built by a plain docker build`));
    for (const b of plan.binaries.filter((x) => x.selected)) {
      for (const r of b.reasons) L.push(c.dim(`  ${b.binary}: ${r.message}`));
      if (b.version) L.push(c.dim(`  ${b.binary}: version stamped into ${b.version.symbol} (${b.version.source})`));
      for (const p of b.serving.ports) L.push(c.dim(`  ${b.binary}: listens on ${p.port} (${p.source})`));
    }
  }
  L.push(c.bold('cgo') + `  ${plan.cgo.required ? 'required by a selected binary' : 'not used by the selected binaries'}`);
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
  if (debian.length) L.push(planDebianText(debian, c).trimEnd());
  if (plan.vendor.present)
    L.push(
      `${c.bold('vendor/')}  ${plan.vendor.consistent ? c.green('consistent with go.mod') : c.yellow(`inconsistent (${plan.vendor.problems.length})`)}`,
    );
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
  L.push(c.dim(`next: gokiln init${plan.dir === '.' ? '' : ' ' + plan.dir}`));
  return L.join('\n') + '\n';
}

const SOURCE_WORDS: Record<PlannedDebianPackages['source'], string> = {
  knowledge: "from gokiln's knowledge, not resolved against the suite",
  index: "resolved against the suite's signed indexes",
  lockfile: 'from the lockfile',
};

/** Each cgo binary's Debian packages (the ubuntu/debian paradigm), every package with its reasons. */
export function planDebianText(sets: PlannedDebianPackages[], c: Pick<Colors, 'bold' | 'dim' | 'yellow'>): string {
  if (!sets.length) return '';
  const L: string[] = [
    c.bold('Debian packages') +
      c.dim('  (gokiln build --paradigm ubuntu; init --paradigm ubuntu installs the same on debian:<suite>-slim)'),
  ];
  for (const s of sets) {
    L.push(
      `  ${s.binary}${s.recommended ? '' : c.dim(' (ubuntu is an alternative for it)')}: ${s.suite}/${s.arch}, ${s.packages.length} packages, ${SOURCE_WORDS[s.source]}`,
    );
    L.push(c.dim(`    needs ${[s.needs.interpreter, ...s.needs.sonames].join(', ')}`));
    const width = Math.max(...s.packages.map((p) => `${p.name}${p.version ? ` ${p.version}` : ''}`.length));
    for (const p of s.packages) {
      const head = `${p.name}${p.version ? ` ${p.version}` : ''}`.padEnd(width);
      p.reasons.forEach((r, i) => L.push(`    ${i === 0 ? head : ' '.repeat(width)}  ${reasonText(r)}`));
    }
    if (s.omittedDepends.length)
      L.push(
        c.dim(
          `    not installed (Depends that provide no needed file): ${s.omittedDepends.map((o) => `${o.package} → ${o.dependency}`).join(', ')}`,
        ),
      );
    for (const n of s.notes) L.push(c.yellow(`    note: ${n}`));
  }
  return L.join('\n') + '\n';
}
