#!/usr/bin/env node
/**
 * The package's bin: turns on Node's compile cache, then loads the command. ES module imports are all
 * loaded before a module's body runs, so the cache must be switched on here, in a module that imports
 * nothing of gokiln's, and the command loaded after it with a dynamic import.
 */
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../version.js';

/**
 * `module.enableCompileCache` (Node 22.1+) keeps V8's compiled code on disk, so a second run skips
 * parsing and compiling the bundle. Feature-detected: Node 20 has none and runs as before. An unwritable
 * cache directory makes Node report a failed status, never throw; the try is for anything else, since a
 * cache must never stop the command. NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node reads it itself).
 */
function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    const base = process.env['XDG_CACHE_HOME'] || join(process.env['HOME'] || homedir(), '.cache');
    enable(join(base, 'gokiln', 'node-compile-cache'));
  } catch {
    // no cache: slower, still correct
  }
}

// the version is a constant: printing it needs neither the cache nor the argument parser
const verb = process.argv[2];
if (process.argv.length === 3 && (verb === '--version' || verb === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  enableCompileCache();
  await import('./main.js');
}
