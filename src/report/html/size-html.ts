/**
 * `gokiln size --html`: one self-contained page (inline data, style and script; nothing fetched) with a
 * treemap module → package → symbol, a search box and the section table.
 */
import type { SizeDetail, SizeReport } from '../../analysis/size/types.js';
import { formatBytes } from '../size-text.js';
import { TREEMAP_SCRIPT } from './treemap-script.js';

export interface TreeNode {
  name: string;
  kind: 'module' | 'package' | 'symbol' | 'other' | 'unattributed';
  size: number;
  detail?: string;
  children?: TreeNode[];
}

/** The treemap's data: every file byte appears once, unattributed bytes as their own top-level box. */
export function sizeTree(r: SizeReport, d: SizeDetail): TreeNode[] {
  const byModule = new Map<string, TreeNode>();
  for (const p of r.packages) {
    if (p.size <= 0) continue;
    let m = byModule.get(p.module);
    if (!m) {
      const version = r.modules.find((x) => x.path === p.module)?.version;
      m = { name: p.module, kind: 'module', size: 0, children: [], ...(version ? { detail: version } : {}) };
      byModule.set(p.module, m);
    }
    // shown symbols, then what the package holds beyond them, so the boxes add up to the package
    const syms = (d.symbols.get(p.name) ?? []).filter((s) => s.size > 0);
    const kids: TreeNode[] = syms.map((s) => ({
      name: s.name,
      kind: 'symbol',
      size: s.size,
      detail: s.kind === 'code' ? 'function (code range)' : 'data symbol',
    }));
    const shownCode = syms.filter((s) => s.kind === 'code').reduce((t, s) => t + s.size, 0);
    const shownData = syms.filter((s) => s.kind === 'data').reduce((t, s) => t + s.size, 0);
    const rest: Array<[string, number]> = [
      ['(other functions)', p.text + p.padding - shownCode],
      ['(pclntab)', p.pclntab],
      ['(other data)', p.data - shownData],
    ];
    for (const [name, size] of rest) if (size > 0) kids.push({ name, kind: 'other', size });
    m.size += p.size;
    m.children!.push({
      name: p.name,
      kind: 'package',
      size: p.size,
      detail: `code ${formatBytes(p.text)}, padding ${formatBytes(p.padding)}, pclntab ${formatBytes(p.pclntab)}, data ${formatBytes(p.data)}, ${p.functions} functions`,
      children: kids.sort((a, b) => b.size - a.size),
    });
  }
  const tree = [...byModule.values()];
  if (r.unattributed > 0) {
    tree.push({
      name: '(unattributed)',
      kind: 'unattributed',
      size: r.unattributed,
      children: r.unattributedBreakdown.map((u) => ({ name: u.section, kind: 'other' as const, size: u.size })),
    });
  }
  return tree.sort((a, b) => b.size - a.size);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element: no `</script>`, no `<!--`. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #f6f6f4; }
header { padding: 10px 16px; background: #22313f; color: #fff; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; }
header .meta { opacity: .8; }
#bar { padding: 8px 16px; display: flex; gap: 12px; align-items: center; }
#search { width: 320px; padding: 5px 8px; font: inherit; border: 1px solid #999; border-radius: 4px; }
#hits { padding: 0 16px; max-height: 130px; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; }
#treemap { position: relative; margin: 6px 16px; height: 68vh; min-height: 420px; background: #333; overflow: hidden; }
.cell { position: absolute; overflow: hidden; border: 1px solid rgba(0,0,0,.35); color: #fff; }
.cell.d2 { color: #111; }
.label { display: block; padding: 1px 3px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 11px; pointer-events: none; }
.d0 > .label { font-weight: 600; font-size: 12px; }
.searching .cell.d1[data-kind=package]:not(.hit), .searching .cell.d1[data-kind=package]:not(.hit) .cell { background: #6b6b6b !important; color: #ccc; }
.cell.hit { outline: 3px solid #ffd400; outline-offset: -3px; z-index: 2; }
#tip { position: fixed; display: none; pointer-events: none; background: #111; color: #fff; padding: 6px 9px; border-radius: 4px; max-width: 560px; z-index: 10; font-size: 12px; }
.tip-title { font-weight: 600; word-break: break-all; }
.tip-detail { opacity: .8; }
section { margin: 12px 16px 24px; }
table { border-collapse: collapse; background: #fff; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.notes { color: #8a4b00; }
`;

export function sizeHtml(r: SizeReport, d: SizeDetail): string {
  const payload = {
    file: r.file,
    fileSize: r.fileSize,
    tree: sizeTree(r, d),
    packages: r.packages.map((p) => ({ name: p.name, module: p.module, size: p.size })),
  };
  const secRows = r.sections
    .filter((s) => s.fileSize > 0 || s.memSize > 0)
    .map(
      (s) =>
        `<tr><td>${esc(s.segment ? `${s.segment},${s.name}` : s.name)}</td><td class="n">${s.fileSize}</td><td class="n">${s.memSize}</td><td class="n">${s.attributed}</td><td>${s.bss ? 'memory only' : ''}</td></tr>`,
    )
    .join('\n');
  const go = r.goVersion ?? (r.pclntab ? `Go (pclntab ${r.pclntab})` : 'not a Go binary');
  const notes = r.notes.map((n) => `<li>${esc(n.message)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gokiln size: ${esc(r.file)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(r.file)}</h1><span class="meta">${esc(`${r.format} ${r.os}/${r.arch}, ${go}, ${formatBytes(r.fileSize)} (${r.fileSize} bytes), ${r.packages.length} packages, ${r.modules.length} modules, unattributed ${formatBytes(r.unattributed)}`)}</span></header>
<div id="bar"><input id="search" type="search" placeholder="Search packages (e.g. net/http)" autocomplete="off" aria-label="Search packages"><span>Boxes: module › package › symbol. Hover for sizes.</span></div>
<div id="hits" aria-live="polite"></div>
<div id="treemap" role="img" aria-label="Treemap of the binary's size by module and package"></div>
<div id="tip"></div>
${notes ? `<section class="notes"><ul>${notes}</ul></section>` : ''}
<section><h2>Sections</h2>
<table id="sections"><thead><tr><th>section</th><th class="n">file bytes</th><th class="n">memory bytes</th><th class="n">attributed</th><th></th></tr></thead>
<tbody>
${secRows}
</tbody></table></section>
<script type="application/json" id="gk-data">${scriptJson(payload)}</script>
<script>${TREEMAP_SCRIPT}</script>
</body>
</html>
`;
}
