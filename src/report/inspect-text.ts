/** Human text for `gokiln inspect`: the verdict first, then the facts behind it, short. */
import type { InspectOk, InspectResult, RuntimeVerdict } from '../analysis/types.js';
import type { Colors } from './style.js';

export interface TextOptions {
  colors: Colors;
  verbose: boolean;
}

/** Text for the files that could be read; errors go to stderr as `errorLine` (cli/output). */
export function inspectText(results: InspectResult[], o: TextOptions): string {
  return results.flatMap((r) => ('error' in r ? [] : [okText(r, o)])).join('\n');
}

/**
 * One phrase per warning code, independent of the runtime, so a warning shared by many runtimes is one
 * line. The per-runtime wording stays in the JSON.
 */
const WARNING_TEXT: Record<string, string> = {
  'no-ca-certs': 'no CA certificates: TLS clients fail with "x509: certificate signed by unknown authority"',
  'no-zoneinfo': 'no /usr/share/zoneinfo and time/tzdata not linked: time.LoadLocation fails with "unknown time zone …"',
  'os-user': 'os/user is linked but there is no /etc/passwd: user lookups fail',
  'compat-arch':
    'a 32-bit binary in the 64-bit image: runs where the kernel (386 on amd64) or the CPU (arm on arm64) supports it, else exec format error',
  'cpu-level':
    'built for a GOAMD64 level above v1: on older CPUs (and QEMU\'s default model) it exits with "This program can only be run on AMD64 processors with … microarchitecture support."',
  'runs-as-root': 'runs as root (uid 0) unless the Dockerfile sets USER',
  'no-shell': 'no shell: debug with a :debug variant or an ephemeral container',
  eol: 'past its end of support (or only with paid extended support)',
  'lts-only': 'past regular security support; Debian LTS updates continue',
};

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
      out.push(`  ${c.red('fails')} on ${names(group)}  ${c.dim(`[${reason}]`)}`);
      for (const line of (message ?? '').split('\n')) out.push(`        ${c.red(line)}`);
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
      const where = w.on.length === runs.length && runs.length > 1 ? `all ${runs.length} where it runs` : compact(w.on);
      out.push(`  ${c.yellow('warn')}  ${WARNING_TEXT[code] ?? w.message} ${c.dim(`[${code}]`)}: ${where}`);
    }
  }
  const needs = needsLine(r);
  if (needs) out.push(`  ${c.dim('needs')} ${needs}`);
  if (r.go) out.push(`  ${c.dim('go')}    ${goLine(r)}`);
  if (r.needed.length)
    out.push(`  ${c.dim('links')} ${r.needed.join(', ')}${r.glibcRequired ? ` (GLIBC_${r.glibcRequired} and older)` : ''}`);
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
  if (n.dns) items.push(`DNS (${RESOLVER[n.dnsResolver ?? 'null']})`);
  if (n.pprof) items.push('net/http/pprof handlers registered (exposure risk)');
  if (n.expvar) items.push('expvar handler registered (exposure risk)');
  if (n.plugin) items.push('plugin');
  return items.join(', ');
}

const RESOLVER: Record<string, string> = {
  go: "Go's resolver",
  cgo: "libc's resolver via cgo",
  both: "cgo or Go's resolver, chosen at run time",
  null: 'resolver unknown',
};

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
  out.push(
    `  ${c.dim('binary')} ${r.bits}-bit ${r.endian}-endian ${r.kind}, ${r.stripped ? 'stripped' : 'symbol table'}, ${r.dwarf ? 'DWARF' : 'no DWARF'}`,
  );
  if (r.rpath.length) out.push(`  ${c.dim('rpath')} ${r.rpath.join(':')}`);
  if (r.runpath.length) out.push(`  ${c.dim('runpath')} ${r.runpath.join(':')}`);
  for (const v of r.versionNeeds) out.push(`  ${c.dim('verneed')} ${v.file}: ${v.versions.join(' ')}`);
  if (r.buildId.gnu) out.push(`  ${c.dim('build-id')} ${r.buildId.gnu}`);
  if (r.go) {
    if (r.go.pclntab)
      out.push(
        `  ${c.dim('pclntab')} Go ${r.go.pclntab.version}+ layout (${r.go.pclntab.magic}) in ${r.go.pclntab.section}, ${r.go.pclntab.funcs} functions`,
      );
    for (const [k, v] of Object.entries(r.go.settings)) out.push(`  ${c.dim('build')} ${k}=${v}`);
    for (const d of r.go.deps) {
      out.push(
        `  ${c.dim('dep')}   ${d.path} ${d.version}${d.sum ? ` ${d.sum}` : ''}${d.replace ? ` => ${d.replace.path} ${d.replace.version}` : ''}`,
      );
    }
  }
  for (const v of r.runtimes) {
    out.push(
      `  ${c.dim('runtime')} ${v.name}: ${v.verdict}${v.message ? ` — ${v.message}` : ''}${v.warnings.length ? ` (${v.warnings.map((w) => w.code).join(', ')})` : ''}`,
    );
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
