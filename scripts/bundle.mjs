#!/usr/bin/env node
// Bundles the compiled CLI (dist/src, from tsc) into dist/bin: an entry for the command and one for the
// inspect worker thread, with each command's code in chunks loaded on demand (inspect never compiles the
// YAML and Dockerfile parsers). A bundled start-up reads a few files instead of some seventy modules and
// their dependencies: about a fifth off `gokiln inspect FILE`. The library (dist/src) stays as tsc wrote it.
// One file without splitting was tried: `inspect` then cost 105 ms CPU against 61 split (Node 26, with the
// compile cache), as every command's code is read and checked against the cache.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names carry content hashes: clear out the last build's
rmSync('dist/bin', { recursive: true, force: true });

/**
 * commander requires node:child_process at load time, for a feature gokiln does not use (subcommands run
 * as separate executables). Loading it pulls in some forty of Node's internal modules (net, dgram,
 * streams…) on every start: commander gets a stand-in that loads the real module on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

/**
 * An ES module import of a Node built-in (`import { readFileSync } from 'node:fs'`) builds the module's
 * ES facade, which reads every export: for node:fs that runs its lazy getters and loads fs/promises,
 * its streams and readline (thirteen internal modules) that gokiln's start-up never uses. Taken with
 * process.getBuiltinModule (Node 20.16+), the built-in is the plain object, its exports read when used.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' && args.namespace === 'file' ? { path: args.path, namespace: 'builtin-require' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

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
  plugins: [lazyChildProcess, builtinsByRequire],
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
});
// which files went into the bundle: test/guard-rails/dependencies.test.ts holds package.json's runtime
// dependencies to the packages found here and in the library (dist/src); kept out of dist/bin, which ships
writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));
