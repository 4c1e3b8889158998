/**
 * Shared helpers for the Go-reader tests: opening fixtures as BinaryImages and reading the independent
 * truths (`go version -m`, `go tool nm`). The parsers of those tools' output are tested here too.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { BinaryImage } from '../../src/formats/binary.js';
import { parseBinary } from '../../src/formats/open.js';
import { FileSource } from '../../src/io/file-source.js';

export function openImages(path: string): BinaryImage[] {
  return parseBinary(FileSource.open(path));
}

export function openImage(path: string): BinaryImage {
  const imgs = openImages(path);
  assert.equal(imgs.length, 1, `${path}: expected one image`);
  return imgs[0] as BinaryImage;
}

/** Runs a tool; when it is missing, fails under CI and returns null (the caller skips) elsewhere. */
export function tool(cmd: string, args: string[], allowFail = false): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; status?: number };
    if (err.code === 'ENOENT') {
      if (process.env.CI === 'true') throw new Error(`${cmd} is required in CI but missing`);
      return null;
    }
    if (allowFail) return err.stdout ?? '';
    throw e;
  }
}

export interface GoVersionM {
  goVersion: string;
  path: string | null;
  mod: string[] | null;
  deps: Array<{ cols: string[]; replace: string[] | null }>;
  /** raw `build` lines: the text after `build\t`, still quoted as Go wrote it */
  build: string[];
}

/** Parses `go version -m FILE` text: first line `FILE: goX`, then tab-indented modinfo lines. */
export function parseGoVersionM(text: string): GoVersionM {
  const lines = text.split('\n');
  const first = lines.shift() ?? '';
  const m = /: (\S+)$/.exec(first);
  assert.ok(m, `unexpected first line ${first}`);
  const out: GoVersionM = { goVersion: m[1] as string, path: null, mod: null, deps: [], build: [] };
  let last: { replace: string[] | null } | null = null;
  const modHolder = { replace: null as string[] | null };
  for (const line of lines) {
    if (!line.startsWith('\t')) continue;
    const [kind, ...cols] = line.slice(1).split('\t');
    if (kind === 'path') out.path = cols.join('\t');
    else if (kind === 'mod') {
      out.mod = cols;
      last = modHolder;
    } else if (kind === 'dep') {
      const d = { cols, replace: null as string[] | null };
      out.deps.push(d);
      last = d;
    } else if (kind === '=>') {
      if (last) last.replace = cols;
    } else if (kind === 'build') out.build.push(cols.join('\t'));
  }
  return out;
}

export interface NmSymbol {
  addr: number;
  size: number;
  type: string;
  name: string;
}

/** Parses `go tool nm -size -sort address` lines: `addr size type name` (name may hold spaces). */
export function parseGoNm(text: string): NmSymbol[] {
  const out: NmSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([0-9a-f]+)\s+(\d+)\s+(\S)\s+(.+)$/.exec(line);
    if (m) out.push({ addr: parseInt(m[1] as string, 16), size: Number(m[2]), type: m[3] as string, name: m[4] as string });
  }
  return out;
}

// The parser tests run once, when this file is the test being run (other test files import the helpers).
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

isMain && test('parseGoVersionM reads the go version -m layout, with a replacement attached to its dep', () => {
  const sample = [
    '/x/app: go1.27.3',
    '\tpath\texample.com/app',
    '\tmod\texample.com/app\t(devel)\t',
    '\tdep\texample.com/a\tv1.0.0\th1:abc=',
    '\t=>\t../a\t(devel)\t',
    '\tbuild\t-ldflags="-s -w"',
    '',
  ].join('\n');
  const p = parseGoVersionM(sample);
  assert.equal(p.goVersion, 'go1.27.3');
  assert.equal(p.path, 'example.com/app');
  assert.deepEqual(p.mod, ['example.com/app', '(devel)', '']);
  assert.deepEqual(p.deps, [{ cols: ['example.com/a', 'v1.0.0', 'h1:abc='], replace: ['../a', '(devel)', ''] }]);
  assert.deepEqual(p.build, ['-ldflags="-s -w"']);
});

isMain && test('parseGoNm reads address, size, type and names with spaces', () => {
  const s = parseGoNm('  401000        128 T main.main\n  402000 0 t go:struct { a int }.f\n');
  assert.deepEqual(s, [
    { addr: 0x401000, size: 128, type: 'T', name: 'main.main' },
    { addr: 0x402000, size: 0, type: 't', name: 'go:struct { a int }.f' },
  ]);
});
