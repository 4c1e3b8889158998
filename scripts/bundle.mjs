#!/usr/bin/env node
// Bundles the compiled CLI (dist/src, from tsc) into dist/bin: an entry for the command and one for the
// inspect worker thread, with each command's code in chunks loaded on demand (inspect never compiles the
// YAML and Dockerfile parsers). A bundled start-up reads a few files instead of some seventy modules and
// their dependencies: about a fifth off `gokiln inspect FILE`. The library (dist/src) stays as tsc wrote it.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names carry content hashes: clear out the last build's
rmSync('dist/bin', { recursive: true, force: true });

await build({
  entryPoints: { gokiln: 'dist/src/cli/main.js', 'inspect-worker': 'dist/src/analysis/inspect-worker.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (commander, dockerfile-ast…) call require(): give the ES module one
  banner: { js: "import { createRequire as __gokilnRequire } from 'node:module'; const require = __gokilnRequire(import.meta.url);" },
  // a native addon (a .node file per platform, chosen at run time) cannot be bundled: the Debian base's
  // xz reader loads it from node_modules, where npm installed it as a dependency
  external: ['@napi-rs/lzma'],
  logLevel: 'warning',
  legalComments: 'none',
});
