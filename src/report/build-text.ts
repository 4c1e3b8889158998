/** What `gokiln build` prints: the image, where it went, its base, and per platform its manifest, binaries and size. */
import type { BuildResult } from '../build/build.js';
import type { Colors } from './style.js';

export function buildText(r: BuildResult, c: Colors): string {
  const lines = [`${c.green('✓')} ${c.bold(r.image)} ${r.digest}`];
  lines.push(`  ${r.output.kind === 'oci' ? 'OCI layout' : r.output.kind === 'archive' ? 'docker-archive' : 'pushed'}: ${r.output.path}`);
  lines.push(`  base: ${r.base.name} of ${r.base.date} (${r.base.description})`);
  lines.push(`  entrypoint: ${JSON.stringify(r.entrypoint)}, user 65532:65532, created ${r.created} (${r.timeSource})`);
  for (const p of r.platforms) {
    const bins = p.binaries.map((b) => `${b.path} ${(b.size / 1048576).toFixed(1)} MB`).join(', ');
    const size = p.layers.reduce((n, l) => n + l.size, 0);
    lines.push(
      `  ${p.platform}: ${p.manifest}  ${bins}; ${(size / 1048576).toFixed(1)} MB compressed${p.appLayer === 'from-cache' ? ' (app layer from the layer cache)' : ''}; base ${p.baseDigest}`,
    );
  }
  if (r.sbom) lines.push(`  SBOM (${r.sbom.format === 'spdx' ? 'SPDX 2.3' : 'CycloneDX 1.5'}): tag ${r.sbom.tag}`);
  if (r.debian) {
    const d = r.debian;
    lines.push(
      `  Debian ${d.suite}/${d.arch} packages (${d.from === 'lockfile' ? `from the lockfile ${d.lockfile}` : `resolved from ${d.mirror}${d.lockfile ? `, locked in ${d.lockfile}` : ''}`}), one base layer:`,
    );
    const width = Math.max(...d.packages.map((p) => `${p.name} ${p.version}`.length));
    for (const p of d.packages) lines.push(`    ${`${p.name} ${p.version}`.padEnd(width)}  ${p.reasons.join('; ')}`);
    for (const n of d.notes ?? []) lines.push(`    note: ${n}`);
    if (d.glibc.required) lines.push(`    glibc: the binaries need ${d.glibc.required}, libc6 provides ${d.glibc.provided ?? 'none'}`);
  }
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
