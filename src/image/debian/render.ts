/** The package set as text (what `gokiln plan` shows) and as JSON (schemas/debian-packages.schema.json). */
import { BASE_PACKAGES, type DebianPackageSet, type Reason } from './resolve.js';

const BASE_NAMES = BASE_PACKAGES.map((p) => p.name).join(', ');

export function reasonText(r: Reason): string {
  switch (r.kind) {
    case 'interpreter':
      return `loader ${r.path} of ${r.neededBy}`;
    case 'soname':
      return `${r.soname} needed by ${r.neededBy}`;
    case 'base':
      return `the distroless set (${BASE_NAMES}): ${r.provides}`;
    case 'requested':
      return 'requested with --packages';
    case 'locked':
      return 'in the lockfile';
  }
}

export function debianPackagesText(set: DebianPackageSet): string {
  const lines = [`Debian ${set.suite}/${set.arch}: ${set.packages.length} packages`];
  const width = Math.max(...set.packages.map((p) => `${p.name} ${p.version}`.length), 0);
  for (const p of set.packages) {
    const head = `${p.name} ${p.version}`.padEnd(width);
    const [first, ...rest] = p.reasons.map(reasonText);
    lines.push(`  ${head}  ${first ?? ''}`);
    for (const r of rest) lines.push(`  ${' '.repeat(width)}  ${r}`);
  }
  if (set.glibc.required) lines.push(`glibc: the binaries need ${set.glibc.required}, libc6 provides ${set.glibc.provided ?? 'none'}`);
  if (set.omittedDepends.length) {
    lines.push('not installed (Depends that provide no needed file):');
    for (const o of set.omittedDepends) lines.push(`  ${o.package} → ${o.dependency}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Plain data in a fixed key order, for `--json`. */
export function debianPackagesJson(set: DebianPackageSet): object {
  return {
    suite: set.suite,
    arch: set.arch,
    glibc: set.glibc,
    packages: set.packages.map((p) => ({
      name: p.name,
      version: p.version,
      architecture: p.architecture,
      url: p.url,
      sha256: p.sha256,
      size: p.size,
      reasons: p.reasons,
    })),
    omittedDepends: set.omittedDepends,
  };
}
