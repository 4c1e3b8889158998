/**
 * Runtime dependencies are exactly what the shipped code imports (issue #11, point 7): the packages
 * esbuild put into the bundled CLI (dist/bundle-meta.json, written by scripts/bundle.mjs) and the bare
 * imports of the library as tsc wrote it (dist/src, which `files` ships and `exports` points at).
 * Everything else (test and build tools, types) is a devDependency.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Kept although nothing imports it yet, with the reason; remove an entry once the code that needs it lands. */
const PENDING: Record<string, string> = {};

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name` */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.js'))
    .map((d) => join(d.parentPath, d.name));
}

test('package.json dependencies = the packages the bundle and the library import (+ pending, with a reason)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const meta = JSON.parse(readFileSync('dist/bundle-meta.json', 'utf8')) as {
    inputs: Record<string, { imports: Array<{ path: string; original?: string; external?: boolean }> }>;
  };
  // packages gokiln's own modules import; the packages those pull in are theirs to declare
  const bundled = new Set<string>();
  for (const [input, { imports }] of Object.entries(meta.inputs)) {
    if (input.includes('node_modules/')) continue;
    for (const i of imports) {
      const spec = i.original ?? i.path;
      if (!spec.startsWith('.') && !spec.startsWith('node:') && !builtinModules.includes(spec)) bundled.add(packageOf(spec));
    }
  }
  assert.ok(bundled.has('commander'), `the bundle's inputs name their packages: ${[...bundled].join(' ')}`);

  const library = new Set<string>();
  for (const file of jsFiles('dist/src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^import\s[^'"]*?from\s*|^export\s[^'"]*?from\s*|^import\s*|\bimport\(\s*)['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      library.add(packageOf(spec));
    }
  }
  const imported = new Set([...bundled, ...library]);
  const declared = Object.keys(pkg.dependencies).sort();
  const expected = [...new Set([...imported, ...Object.keys(PENDING)])].sort();
  assert.deepEqual(declared, expected, 'runtime dependencies');
  for (const name of Object.keys(PENDING)) assert.ok(!imported.has(name), `${name} is imported now: take it off PENDING`);
  for (const name of declared) assert.equal(pkg.devDependencies[name], undefined, `${name} is both a dependency and a devDependency`);
  assert.equal(pkg.dependencies['semver'], undefined);
});
