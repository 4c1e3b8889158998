#!/usr/bin/env node
// Bundles the compiled CLI (dist/src, from tsc) into dist/bin: one file for the command and one for the
// inspect worker thread. A bundled start-up reads and compiles one file instead of some seventy modules
// and their dependencies, about a fifth of `gokiln inspect FILE`'s time. The library (dist/src) stays as tsc
// wrote it.
import { build } from 'esbuild';

await build({
  entryPoints: { gokiln: 'dist/src/cli/main.js', 'inspect-worker': 'dist/src/analysis/inspect-worker.js' },
  outdir: 'dist/bin',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (commander, dockerfile-ast…) call require(): give the ES module one
  banner: { js: "import { createRequire as __gokilnRequire } from 'node:module'; const require = __gokilnRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
