#!/usr/bin/env node
// Bundles the compiled CLI (dist/src, from tsc) into dist/bin: an entry for the command and one for the
// inspect worker thread, with each command's code in chunks loaded on demand (inspect never compiles the
// YAML and Dockerfile parsers). A bundled start-up reads a few files instead of some seventy modules and
// their dependencies: about a fifth off `gokiln inspect FILE`. The library (dist/src) stays as tsc wrote it.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names carry content hashes: clear out the last build's
rmSync('dist/bin', { recursive: true, force: true });

const result = await build({
  entryPoints: { gokiln: 'dist/src/cli/bin.js', 'inspect-worker': 'dist/src/analysis/inspect-worker.js' },
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
  // xmlbuilder2: an optional plug-in of @cyclonedx/cyclonedx-library's XML serializer, which gokiln does not
  // use (it writes CycloneDX JSON); the library require()s it only when XML is asked for, inside a try
  external: ['@napi-rs/lzma', 'xmlbuilder2'],
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
});
// which files went into the bundle: test/guard-rails/dependencies.test.ts holds package.json's runtime
// dependencies to the packages found here and in the library (dist/src); kept out of dist/bin, which ships
writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));
