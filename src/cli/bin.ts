#!/usr/bin/env node
/**
 * The package's bin: prints the version, or hands over to the verb's own bundle. scripts/bundle.mjs makes
 * one CommonJS file per verb (and one with every verb for help and anything unknown), and runs it through
 * runCachedScript, whose V8 code cache holds every function a run compiled: `gokiln inspect FILE` then
 * starts without parsing or compiling gokiln's code (see src/io/code-cache.ts for why not Node's own cache).
 * Unbundled (dist/src run directly) there is no table and main.ts is imported as an ES module.
 */
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { gokilnCacheDir } from '../io/cache-dir.js';
import { runCachedScript } from '../io/code-cache.js';
import { VERSION } from '../version.js';

/** Verb → bundle file in dist/bin ('*': every verb), as JSON; set by scripts/bundle.mjs (esbuild `define`). */
declare const GOKILN_BUNDLES: string | undefined;

/**
 * The code caches' directory: $XDG_CACHE_HOME/gokiln/code-cache, or ~/.cache/…; null when
 * NODE_DISABLE_COMPILE_CACHE is set, the variable with which Node turns its own cache off.
 */
function cacheDir(): string | null {
  if (process.env['NODE_DISABLE_COMPILE_CACHE']) return null;
  return gokilnCacheDir('code-cache');
}

/**
 * `module.enableCompileCache` (Node 22.1+) for what still loads as an ES module: the inspect worker
 * threads. Feature-detected: Node 20 has none. An unwritable directory makes Node report a failed status,
 * never throw; the try is for anything else, since a cache must never stop the command.
 */
function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable(gokilnCacheDir('node-compile-cache'));
  } catch {
    // no cache: slower, still correct
  }
}

// the version is a constant: printing it needs neither a cache nor the argument parser
const verb = process.argv[2];
const bundles = typeof GOKILN_BUNDLES === 'string' ? (JSON.parse(GOKILN_BUNDLES) as Record<string, string>) : undefined;
if (process.argv.length === 3 && (verb === '--version' || verb === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else if (bundles !== undefined) {
  const dir = cacheDir();
  if (dir !== null) enableCompileCache();
  const file = verb !== undefined && Object.hasOwn(bundles, verb) ? bundles[verb]! : bundles['*']!;
  runCachedScript(join(import.meta.dirname, file), dir);
} else {
  void import('./main.js');
}
