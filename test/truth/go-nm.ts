/**
 * `go tool nm` as an independent truth for symbols: the Go toolchain's own reader of Go binaries
 * (ELF, Mach-O, PE), parsed into plain data.
 */
import { spawnSync } from 'node:child_process';

export interface NmSymbol {
  addr: number;
  size: number;
  type: string;
  name: string;
}

/** Parses `go tool nm -size` lines: `addr size type name` (name may hold spaces). */
export function parseGoNm(text: string): NmSymbol[] {
  const out: NmSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([0-9a-f]+)\s+(\d+)\s+(\S)\s+(.+)$/.exec(line);
    if (m) out.push({ addr: parseInt(m[1] as string, 16), size: Number(m[2]), type: m[3] as string, name: m[4] as string });
  }
  return out;
}

/** Function names (T/t symbols) with `go tool nm` (empty for a stripped binary or when nm fails). */
export function goFuncNames(path: string): string[] {
  const r = spawnSync('go', ['tool', 'nm', path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) return [];
  return (r.stdout ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && (f[1] === 'T' || f[1] === 't'))
    .map((f) => f.slice(2).join(' '));
}
