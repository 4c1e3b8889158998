/**
 * Independent truth for the Mach-O and PE reader tests: Go's own debug/macho and debug/pe (through
 * test/go-tools/binfacts, built on first use), `file`, `objdump`, and Go cross builds for targets the
 * fixture set lacks (windows/386, windows/arm64). Tools are run and checked with test/truth/tools.ts.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTool } from '../truth/tools.js';
import { scratchDir } from '../harness/scratch.js';

let tmp: string | null = null;
export function tempDir(): string {
  tmp ??= scratchDir('gokiln-mpe-');
  return tmp;
}

export function writeTemp(name: string, bytes: Uint8Array): string {
  const p = join(tempDir(), name);
  writeFileSync(p, bytes);
  return p;
}

export interface BfMachoSection {
  name: string;
  seg: string;
  addr: number;
  size: number;
  offset: number;
  flags: number;
}
export interface BfMachoSegment {
  name: string;
  addr: number;
  memsz: number;
  offset: number;
  filesz: number;
  initprot: number;
}
export interface BfMacho {
  cpu: number;
  subcpu: number;
  type: number;
  sections: BfMachoSection[];
  segments: BfMachoSegment[];
  libs: string[];
  rpaths: string[];
  hasSymtab: boolean;
  /** nlocalsym, nextdefsym, nundefsym */
  dysymtab: number[] | null;
  /** non-stab nlist entries; Go strips the leading '_' of names that contain a '.' */
  symbols: { name: string; type: number; sect: number; value: number }[];
  entryoff: number | null;
  threadPc: number | null;
  uuid: string;
  dylinker: string;
  platform: number | null;
  minos: number | null;
}
export interface BfPe {
  machine: number;
  characteristics: number;
  pe32plus: boolean;
  imageBase: number;
  entryRva: number;
  subsystem: number;
  sections: { name: string; va: number; vsize: number; size: number; offset: number; characteristics: number }[];
  libs: string[];
  symbols: { name: string; value: number; section: number; class: number }[];
}
export interface Binfacts {
  kind: 'macho' | 'fat' | 'pe';
  macho?: BfMacho;
  fat?: { cpu: number; offset: number; size: number; macho: BfMacho }[];
  pe?: BfPe;
}

let binfactsExe: string | null = null;
/** What Go's debug/macho or debug/pe read from `path` (test/go-tools/binfacts). */
export function binfacts(path: string): Binfacts {
  if (!binfactsExe) {
    const exe = join(tempDir(), 'binfacts');
    runTool('go', ['build', '-o', exe, '.'], { cwd: resolve('test/go-tools/binfacts'), env: { CGO_ENABLED: '0', GOFLAGS: '' } });
    binfactsExe = exe;
  }
  return JSON.parse(runTool(binfactsExe, [path])) as Binfacts;
}

const crossBuilt = new Map<string, string>();
/** test/go/hello cross-built for a target the fixture set does not provide. */
export function crossBuild(goos: string, goarch: string, ldflags = ''): string {
  const key = `${goos}-${goarch}${ldflags ? '-s' : ''}`;
  const hit = crossBuilt.get(key);
  if (hit) return hit;
  const out = join(tempDir(), `hello-${key}`);
  runTool('go', ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', out, '.'], {
    cwd: resolve('test/go/hello'),
    env: { CGO_ENABLED: '0', GOOS: goos, GOARCH: goarch, GOFLAGS: '' },
  });
  crossBuilt.set(key, out);
  return out;
}
