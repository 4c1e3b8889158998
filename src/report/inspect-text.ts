/** Human text for `gokiln inspect`: the verdict first, then the facts behind it, short. */
import type { InspectOk, InspectResult, RuntimeVerdict } from '../analysis/types.js';
import type { Colors } from '../cli/output.js';

export interface TextOptions {
  colors: Colors;
  verbose: boolean;
}

export function inspectText(results: InspectResult[], o: TextOptions): string {
  return results.map((r) => ('error' in r ? errorText(r.file, r.error, o) : okText(r, o))).join('\n');
}

function errorText(file: string, err: { code: string; message: string }, { colors: c }: TextOptions): string {
  return `${c.red('error')} ${c.bold(file)}: ${err.message} ${c.dim(`(${err.code})`)}\n`;
}

function okText(r: InspectOk, o: TextOptions): string {
  const c = o.colors;
  const out: string[] = [];
  const fails = r.runtimes.filter((v) => v.verdict === 'fails');
  const runs = r.runtimes.filter((v) => v.verdict === 'runs');
  const mark = r.runtimes.length === 0 ? c.dim('•') : fails.length === 0 ? c.green('✓') : runs.length === 0 ? c.red('✗') : c.yellow('!');
  out.push(`${mark} ${c.bold(r.file)}  ${summaryLine(r)}`);
  if (r.runtimes.length) {
    if (runs.length) out.push(`  ${c.green('runs')}  on ${names(runs)}`);
    for (const [key, group] of groupBy(fails, (v) => `${v.reason}\u0000${v.message ?? ''}`)) {
      const [reason, message] = key.split('\u0000');
      out.push(`  ${c.red('fails')} on ${names(group)}`);
      out.push(`        ${c.red(message ?? '')}  ${c.dim(`[${reason}]`)}`);
    }
    const warnings = new Map<string, { message: string; on: string[] }>();
    for (const v of runs) {
      for (const w of v.warnings) {
        const entry = warnings.get(w.code) ?? { message: w.message, on: [] };
        entry.on.push(v.name);
        warnings.set(w.code, entry);
      }
    }
    for (const [code, w] of warnings) {
      out.push(`  ${c.yellow('warn')}  ${w.message} ${c.dim(`[${code}]`)} on ${compact(w.on)}`);
    }
  }
  const needs = needsLine(r);
  if (needs) out.push(`  ${c.dim('needs')} ${needs}`);
  if (r.go) out.push(`  ${c.dim('go')}    ${goLine(r)}`);
  if (r.needed.length) out.push(`  ${c.dim('links')} ${r.needed.join(', ')}${r.glibcRequired ? ` (GLIBC_${r.glibcRequired} and older)` : ''}`);
  for (const n of r.notes) out.push(`  ${c.yellow('note')}  ${n.message} ${c.dim(`[${n.code}]`)}`);
  if (o.verbose) out.push(...verboseLines(r, o));
  if (r.slices && r.slices.length > 1) {
    out.push(`  ${c.dim('universal binary:')} ${r.slices.map((s) => `${s.os}/${s.arch}`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}

function summaryLine(r: InspectOk): string {
  const parts: string[] = [`${r.format.toUpperCase()} ${r.os}/${r.arch}`];
  const kind = r.kind === 'executable' ? '' : ` ${r.kind}`;
  if (r.linking === 'dynamic') {
    parts.push(`dynamic${kind}, ${r.libc}${r.interpreter ? ` (${r.interpreter})` : ''}`);
  } else {
    parts.push(`${r.linking}${kind}${r.libc !== 'none' ? `, ${r.libc} linked in` : ''}`);
  }
  if (r.glibcRequired) parts.push(`needs GLIBC_${r.glibcRequired}`);
  if (r.go) {
    parts.push(`Go ${r.go.version ?? 'version unknown'}${r.go.cgo ? ', cgo' : r.go.cgo === false ? ', no cgo' : ''}`);
  } else {
    parts.push('not Go');
  }
  parts.push(r.stripped ? 'stripped' : 'symbols');
  return parts.join(' · ');
}

function needsLine(r: InspectOk): string {
  const n = r.needs;
  const items: string[] = [];
  if (n.caCerts) items.push('CA certificates (TLS)');
  if (n.tzdata) items.push(n.tzdataEmbedded ? 'time zones (embedded time/tzdata)' : 'zoneinfo (time zones)');
  else if (n.tzdataEmbedded) items.push('time/tzdata embedded');
  if (n.osUser) items.push('os/user (/etc/passwd)');
  if (n.dns) items.push(`DNS (${n.dnsResolver ?? '?'} resolver)`);
  if (n.pprof) items.push('net/http/pprof handlers registered (exposure risk)');
  if (n.expvar) items.push('expvar handler registered (exposure risk)');
  if (n.plugin) items.push('plugin');
  return items.join(', ');
}

function goLine(r: InspectOk): string {
  const g = r.go!;
  const parts: string[] = [g.version ?? 'unknown version'];
  if (g.main) {
    const derived = g.main.derivedFrom && g.main.derivedFrom !== 'buildinfo' ? ` (derived from ${g.main.derivedFrom})` : '';
    parts.push(`${g.main.path} ${g.main.version}${derived}`);
  } else if (g.path) parts.push(g.path);
  if (g.deps.length) parts.push(`${g.deps.length} deps`);
  const s = g.settings;
  const flags = ['-buildmode', '-trimpath', '-tags', 'GOAMD64', 'GOARM64', 'vcs.revision']
    .filter((k) => s[k] !== undefined)
    .map((k) => `${k}=${k === 'vcs.revision' ? (s[k] ?? '').slice(0, 12) : s[k]}`);
  if (flags.length) parts.push(flags.join(' '));
  if (!g.evidence.includes('buildinfo')) parts.push(`no build info (found by ${g.evidence.join(', ')})`);
  return parts.join(' · ');
}

function verboseLines(r: InspectOk, { colors: c }: TextOptions): string[] {
  const out: string[] = [];
  out.push(`  ${c.dim('binary')} ${r.bits}-bit ${r.endian}-endian ${r.kind}, ${r.stripped ? 'stripped' : 'symbol table'}, ${r.dwarf ? 'DWARF' : 'no DWARF'}`);
  if (r.rpath.length) out.push(`  ${c.dim('rpath')} ${r.rpath.join(':')}`);
  if (r.runpath.length) out.push(`  ${c.dim('runpath')} ${r.runpath.join(':')}`);
  for (const v of r.versionNeeds) out.push(`  ${c.dim('verneed')} ${v.file}: ${v.versions.join(' ')}`);
  if (r.buildId.gnu) out.push(`  ${c.dim('build-id')} ${r.buildId.gnu}`);
  if (r.go) {
    if (r.go.pclntab) out.push(`  ${c.dim('pclntab')} Go ${r.go.pclntab.version}+ layout (${r.go.pclntab.magic}) in ${r.go.pclntab.section}, ${r.go.pclntab.funcs} functions`);
    for (const [k, v] of Object.entries(r.go.settings)) out.push(`  ${c.dim('build')} ${k}=${v}`);
    for (const d of r.go.deps) {
      out.push(`  ${c.dim('dep')}   ${d.path} ${d.version}${d.sum ? ` ${d.sum}` : ''}${d.replace ? ` => ${d.replace.path} ${d.replace.version}` : ''}`);
    }
  }
  for (const v of r.runtimes) {
    out.push(`  ${c.dim('runtime')} ${v.name}: ${v.verdict}${v.message ? ` — ${v.message}` : ''}${v.warnings.length ? ` (${v.warnings.map((w) => w.code).join(', ')})` : ''}`);
  }
  return out;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

function names(vs: RuntimeVerdict[]): string {
  return compact(vs.map((v) => v.name));
}

/** alpine:3.18, alpine:3.19, … alpine:3.24 → alpine:3.18–3.24, so a line stays readable. */
export function compact(list: string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < list.length) {
    const m = /^(alpine:3\.)(\d+)$/.exec(list[i]!);
    if (m) {
      let j = i;
      while (j + 1 < list.length && list[j + 1] === `${m[1]}${Number(/\d+$/.exec(list[j]!)![0]) + 1}`) j++;
      if (j > i + 1) {
        out.push(`${list[i]}–3.${/\d+$/.exec(list[j]!)![0]}`);
        i = j + 1;
        continue;
      }
    }
    out.push(list[i]!);
    i++;
  }
  return out.join(', ');
}
