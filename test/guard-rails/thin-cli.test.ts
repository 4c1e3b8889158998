/**
 * The CLI stays thin (issue 11, point 4): a command file parses flags, calls the library and prints through
 * report/. Read from the sources: every library name a file under src/cli imports is one src/index.ts
 * exports (so whatever the CLI does, a library user can do); the CLI reads and writes no files itself (no
 * node:fs, node:child_process); each file stays small; and no module outside src/cli prints.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = 'src';
const CLI = join(SRC, 'cli');
/** Lines a file in src/cli may have: a command is its flags, one library call and its printing. */
const MAX_LINES = 130;
/** What a command may import besides the library's public names: its helpers, reporters, errors and the version. */
const FREE = [/^\.\/[\w-]+\.js$/, /^\.\.\/report\//, /^\.\.\/errors\.js$/, /^\.\.\/version\.js$/];
/** Node modules a command needs to parse flags and print (bin.ts: the compile cache's directory). */
const NODE_OK = new Set(['node:path', 'node:os', 'node:module']);

interface Import {
  names: string[];
  from: string;
}

/** The static and dynamic imports of a TypeScript source, with the names taken (aliases resolved to the original). */
function importsOf(text: string): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(/^import\s+(?:type\s+)?([\s\S]*?)\s+from\s+'([^']+)';/gm)) {
    const clause = m[1]!;
    const braces = /\{([\s\S]*)\}/.exec(clause);
    const names = braces
      ? braces[1]!
          .split(',')
          .map(
            (n) =>
              n
                .trim()
                .replace(/^type\s+/, '')
                .split(/\s+as\s+/)[0]!,
          )
          .filter(Boolean)
      : [clause.replace(/^\*\s+as\s+/, '').trim()];
    out.push({ names, from: m[2]! });
  }
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push({ names: ['*'], from: m[1]! });
  return out;
}

/** Every name src/index.ts exports (values and types). */
function indexExports(): Set<string> {
  const text = readFileSync(join(SRC, 'index.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([\s\S]*?)\}\s+from\s+'[^']+';/gm)) {
    for (const part of m[1]!.split(',')) {
      const n = part.trim().replace(/^type\s+/, '');
      if (n) names.add(n.split(/\s+as\s+/).pop()!);
      if (n) names.add(n.split(/\s+as\s+/)[0]!);
    }
  }
  for (const m of text.matchAll(/^export\s+\*\s+as\s+(\w+)/gm)) names.add(m[1]!);
  return names;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the CLI is thin', () => {
  const cliFiles = tsFiles(CLI);
  const exported = indexExports();

  test('the parsers find what they should (a check of the check)', () => {
    assert.ok(cliFiles.length >= 10, cliFiles.join(' '));
    for (const n of [
      'lintPaths',
      'initProject',
      'diffInit',
      'planProject',
      'inspectBinaries',
      'sizeBinaries',
      'runDoctor',
      'verifyImage',
      'buildImage',
      'knowledge',
      'LintRun',
    ])
      assert.ok(exported.has(n), n);
    const parsed = importsOf(
      "import { a, type B, c as d } from '../x/y.js';\nimport type { E } from 'm';\nconst z = await import('./w.js');\n",
    );
    assert.deepEqual(parsed, [
      { names: ['a', 'B', 'c'], from: '../x/y.js' },
      { names: ['E'], from: 'm' },
      { names: ['*'], from: './w.js' },
    ]);
  });

  test('every library name a command imports is exported by src/index.ts', () => {
    const outside: string[] = [];
    for (const file of cliFiles) {
      for (const imp of importsOf(readFileSync(file, 'utf8'))) {
        if (!imp.from.startsWith('.') || FREE.some((re) => re.test(imp.from))) continue;
        for (const n of imp.names) if (!exported.has(n)) outside.push(`${relative(SRC, file)}: ${n} from ${imp.from}`);
      }
    }
    assert.deepEqual(outside, [], 'move the logic into a library function exported from src/index.ts (src/tasks/ for a command)');
  });

  test('commands read and write no files and run no programs themselves', () => {
    const found: string[] = [];
    for (const file of cliFiles)
      for (const imp of importsOf(readFileSync(file, 'utf8')))
        if (imp.from.startsWith('node:') && !NODE_OK.has(imp.from)) found.push(`${relative(SRC, file)}: ${imp.from}`);
    assert.deepEqual(found, []);
  });

  test(`each file under src/cli has at most ${MAX_LINES} lines`, () => {
    const long = cliFiles
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length - 1] as const)
      .filter(([, n]) => n > MAX_LINES);
    assert.deepEqual(long, []);
  });

  test('no module outside src/cli prints: library functions return results or throw', () => {
    const printing = tsFiles(SRC)
      .filter((f) => !f.startsWith(CLI + '/'))
      .filter((f) => /\bprocess\.(stdout|stderr)\b|\bconsole\.\w+\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    assert.deepEqual(printing, []);
  });
});
