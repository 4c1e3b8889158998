/** Human output of `gokiln size` and `gokiln size OLD NEW`. */
import type { Colors } from './style.js';
import type { SizeDelta, SizeDiff, SizeReport } from '../analysis/size/types.js';

export type SizeBy = 'package' | 'module' | 'section';

export function formatBytes(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a < 1024) return `${sign}${a} B`;
  if (a < 1024 * 1024) return `${sign}${(a / 1024).toFixed(1)} KiB`;
  return `${sign}${(a / 1024 / 1024).toFixed(2)} MiB`;
}

function pct(n: number, total: number): string {
  return total > 0 ? `${((n / total) * 100).toFixed(1)}%` : '-';
}

function table(rows: string[][], right: Set<number>): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

export function sizeText(r: SizeReport, opts: { by: SizeBy; top: number }, c: Colors): string {
  const out: string[] = [];
  const go = r.goVersion ? `, ${r.goVersion}` : r.pclntab ? `, Go (pclntab ${r.pclntab})` : '';
  out.push(
    `${c.bold(r.file)}  ${r.format} ${r.os}/${r.arch}${go}, ${formatBytes(r.fileSize)} (${r.fileSize} bytes)${r.symbols ? '' : r.pclntab ? ', stripped' : ''}`,
  );
  out.push('');
  if (opts.by === 'section' || r.packages.length === 0) out.push(...sectionTable(r, c));
  else if (opts.by === 'module') {
    out.push(c.bold(`Modules (top ${Math.min(opts.top, r.modules.length)} of ${r.modules.length})`));
    const rows = [['size', '%', 'code', 'pkgs', 'module', 'version']];
    const shown = r.modules.slice(0, opts.top);
    for (const m of shown)
      rows.push([formatBytes(m.size), pct(m.size, r.fileSize), formatBytes(m.text), String(m.packages), m.path, m.version]);
    const sum = shown.reduce((t, m) => t + m.size, 0);
    out.push(...table(tail(rows, r, sum, r.modules.length - shown.length, 4), new Set([0, 1, 2, 3])));
  } else {
    out.push(c.bold(`Packages (top ${Math.min(opts.top, r.packages.length)} of ${r.packages.length})`));
    const rows = [['size', '%', 'code', 'pclntab', 'data', 'package', 'module']];
    const shown = r.packages.slice(0, opts.top);
    for (const p of shown) {
      rows.push([
        formatBytes(p.size),
        pct(p.size, r.fileSize),
        formatBytes(p.text),
        formatBytes(p.pclntab),
        formatBytes(p.data),
        p.name,
        p.module === p.name ? '' : p.module,
      ]);
    }
    const sum = shown.reduce((t, p) => t + p.size, 0);
    out.push(...table(tail(rows, r, sum, r.packages.length - shown.length, 5), new Set([0, 1, 2, 3, 4])));
  }
  if (opts.by !== 'section' && r.packages.length > 0) {
    out.push('');
    out.push(...sectionTable(r, c));
  }
  if (r.unattributed > 0) {
    out.push('');
    out.push(c.bold('Unattributed, by section'));
    out.push(
      ...table(
        r.unattributedBreakdown.slice(0, 12).map((u) => [formatBytes(u.size), pct(u.size, r.fileSize), u.section, whatIs(u.section)]),
        new Set([0, 1]),
      ),
    );
  }
  for (const n of r.notes) out.push(`${c.yellow('note')}: ${n.message}`);
  return out.join('\n') + '\n';
}

/**
 * The closing rows every listing ends with, so the size column adds up to the file by eye: the rows not
 * shown, the unattributed bytes, the file total. `label` is the column that holds names.
 */
function tail(rows: string[][], r: SizeReport, shownSum: number, others: number, label: number): string[][] {
  const width = rows[0]!.length;
  const row = (size: number, name: string) => {
    const cells = new Array<string>(width).fill('');
    cells[0] = formatBytes(size);
    cells[1] = pct(size, r.fileSize);
    cells[label] = name;
    return cells;
  };
  const rest = r.fileSize - r.unattributed - shownSum;
  return [
    ...rows,
    ...(others > 0 ? [row(rest, `(${others} more)`)] : []),
    row(r.unattributed, '(unattributed)'),
    row(r.fileSize, '(file total)'),
  ];
}

function sectionTable(r: SizeReport, c: Colors): string[] {
  const out = [c.bold('Sections')];
  const rows = [['file', 'memory', 'attributed', 'section']];
  const inFile = r.sections.filter((s) => s.fileSize > 0).sort((a, b) => b.fileSize - a.fileSize);
  for (const s of inFile)
    rows.push([
      formatBytes(s.fileSize),
      formatBytes(s.memSize),
      pct(s.attributed, s.fileSize),
      s.segment ? `${s.segment},${s.name}` : s.name,
    ]);
  out.push(...table(rows, new Set([0, 1, 2])));
  const bss = r.sections.filter((s) => s.bss);
  if (bss.length) {
    out.push(c.dim(`  memory only (no file bytes): ${bss.map((s) => `${s.name} ${formatBytes(s.memSize)}`).join(', ')}`));
  }
  return out;
}

export function sizeDiffText(d: SizeDiff, opts: { by: SizeBy; top: number }, c: Colors): string {
  const out: string[] = [];
  const sign = (n: number) => (n > 0 ? c.red(`+${formatBytes(n)}`) : n < 0 ? c.green(formatBytes(n)) : '0 B');
  out.push(
    `${c.bold(d.old.file)} → ${c.bold(d.new.file)}: ${formatBytes(d.total.old)} → ${formatBytes(d.total.new)} (${sign(d.total.delta)})`,
  );
  for (const n of d.notes) out.push(`  ${c.yellow('note')}  ${n.message} ${c.dim(`[${n.code}]`)}`);
  const list = (title: string, rows: SizeDelta[]) => {
    const changed = rows.filter((x) => x.delta !== 0);
    out.push('');
    out.push(c.bold(`${title} (${changed.length} changed, top ${Math.min(opts.top, changed.length)} by absolute change)`));
    if (changed.length === 0) {
      out.push('  no change');
      return;
    }
    const t = [['change', 'old', 'new', 'name']];
    for (const x of changed.slice(0, opts.top))
      t.push([x.delta > 0 ? `+${formatBytes(x.delta)}` : formatBytes(x.delta), formatBytes(x.old), formatBytes(x.new), x.name]);
    out.push(...table(t, new Set([0, 1, 2])));
  };
  if (opts.by === 'package') list('Packages', d.packages);
  if (opts.by === 'package' || opts.by === 'module') list('Modules', d.modules);
  list('Sections', d.sections);
  out.push('');
  out.push(
    `  unattributed ${formatBytes(d.unattributed.old)} → ${formatBytes(d.unattributed.new)} (${sign(d.unattributed.delta)}); total ${sign(d.total.delta)}`,
  );
  return out.join('\n') + '\n';
}

/** What the unattributed part of a well-known section holds, so the row explains itself. */
function whatIs(section: string): string {
  const name = section.replace(/^__/, '.').replace(/^\.z?debug_/, '.debug_');
  if (name.startsWith('.debug_')) return 'DWARF debug info (removed by -ldflags=-w)';
  switch (name) {
    case '.gopclntab':
      return 'pclntab header, file and compilation-unit tables, findfunctab';
    case '.go.type':
    case '.typelink':
      return 'type descriptors';
    case '.go.func':
      return 'function metadata';
    case '.rodata':
    case '.rdata':
      return 'strings, type data, constants (by symbol only when not stripped)';
    case '.data':
    case '.noptrdata':
      return 'initialised variables (by symbol only when not stripped)';
    case '.symtab':
    case '.strtab':
      return 'symbol table (removed by -ldflags=-s)';
    case '[__LINKEDIT]':
      return 'symbol and string tables, signature';
    case '[__TEXT]':
      return 'Mach-O header, load commands, padding';
    default:
      return '';
  }
}
