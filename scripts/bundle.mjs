#!/usr/bin/env node
// Bundles the compiled CLI (dist/src, from tsc) into dist/bin, the package's bin:
//   gokiln.js            the bin: prints the version, or runs the verb's bundle (src/cli/bin.ts)
//   <verb>-HASH.cjs      one CommonJS file per verb with everything it loads (inspect, size, …, build)
//   gokiln-HASH.cjs      every verb (src/cli/main.ts): help, unknown verbs, options before the verb
//   inspect-worker.js    the inspect worker thread
// A verb's file is run through runCachedScript (src/io/code-cache.ts), whose V8 code cache holds every
// function a run compiled: `gokiln inspect FILE` on Node 26, CPU beyond `node -e 0`, 36 → 20 ms against
// the ES module chunks this script wrote before (16 files, Node's compile cache; README "Node versions").
// One file per verb and not chunks: a chunk is an ES module (esbuild splits only those), and ES modules
// cannot be run with a code cache of one's own; each ES module file also costs a resolve, a read and a
// link. The library (dist/src) stays as tsc wrote it.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names carry content hashes: clear out the last build's
rmSync('dist/bin', { recursive: true, force: true });

/**
 * node:child_process at load time pulls in some forty of Node's internal modules (net, dgram, streams…).
 * commander requires it for a feature gokiln does not use (subcommands run as separate executables), and
 * gokiln's own modules import it at their top for work only some commands do (go, bwrap, credential
 * helpers): every importer gets a stand-in whose functions load the real module on their first call.
 * `verify` of a small image spent ~5 ms of its CPU loading it for nothing.
 */
const CHILD_PROCESS_FUNCTIONS = ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork'];
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: 'node:child_process', external: true }
        : { path: 'child_process', namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents:
        "let real; const load = () => (real ??= require('node:child_process'));\n" +
        CHILD_PROCESS_FUNCTIONS.map((f) => `export function ${f}(...args) { return load().${f}(...args); }`).join('\n'),
      loader: 'js',
    }));
  },
};

/** `import.meta.url` in a CommonJS bundle: the file's own URL (inspect's worker and the embedded base are found from it). */
const metaUrl = {
  define: { 'import.meta.url': '__gokilnImportMetaUrl' },
  // strict first: the code was ES modules (always strict), and a directive counts only before any statement
  banner: { js: '"use strict";\nvar __gokilnImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

const VERBS = ['inspect', 'size', 'lint', 'doctor', 'plan', 'init', 'verify', 'build'];

/**
 * A verb's entry: run.ts's frame with that one command, registered without a dynamic import (the verb's
 * code is in the same file). The exit code is set as main.ts sets it.
 */
const verbEntries = {
  name: 'verb-entries',
  setup(b) {
    b.onResolve({ filter: /^gokiln-verb:/ }, (args) => ({ path: args.path.slice('gokiln-verb:'.length), namespace: 'gokiln-verb' }));
    b.onLoad({ filter: /.*/, namespace: 'gokiln-verb' }, (args) => {
      const fn = `register${args.path[0].toUpperCase()}${args.path.slice(1)}`;
      return {
        contents: [
          "import { main } from './run.js';",
          `import { ${fn} } from './${args.path}.js';`,
          `main(process.argv, { ${args.path}: async () => ${fn} }).then((code) => { process.exitCode = code; });`,
        ].join('\n'),
        resolveDir: 'dist/src/cli',
        loader: 'js',
      };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // a native addon (a .node file per platform, chosen at run time) cannot be bundled: the Debian base's
  // xz reader loads it from node_modules, where npm installed it as a dependency
  // xmlbuilder2: an optional plug-in of @cyclonedx/cyclonedx-library's XML serializer, which gokiln does not
  // use (it writes CycloneDX JSON); the library require()s it only when XML is asked for, inside a try
  external: ['@napi-rs/lzma', 'xmlbuilder2'],
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
};

const verbs = await build({
  ...common,
  ...metaUrl,
  entryPoints: Object.fromEntries([...VERBS.map((v) => [v, `gokiln-verb:${v}`]), ['gokiln', 'dist/src/cli/main.js']]),
  outdir: 'dist/bin',
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // an external package's import() (the xz addon) as require(): a script run by vm has no module loader
  supported: { 'dynamic-import': false },
  plugins: [verbEntries, lazyChildProcess],
});
/** Verb → its bundle's file name, '*' → the one with every verb. */
const table = {};
for (const [file, out] of Object.entries(verbs.metafile.outputs)) {
  if (!out.entryPoint) continue;
  const name = out.entryPoint.startsWith('gokiln-verb:') ? out.entryPoint.slice('gokiln-verb:'.length) : '*';
  table[name] = file.replace(/^dist\/bin\//, '');
}

/** The bin's fallback for an unbundled run (main.ts as an ES module) is dead code here, where the table is set. */
const noFallback = {
  name: 'no-fallback',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) =>
      args.importer.endsWith('/cli/bin.js') ? { path: 'main.js', namespace: 'no-fallback' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-fallback' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// the bin (Node loads the package's bin by itself, so it cannot be a cached script) and the worker (a
// worker thread starts from a file), each one file; CommonJS too (dist/bin/package.json says so), as
// Node starts a CommonJS main without setting up an ES module graph
const esm = await build({
  ...common,
  entryPoints: { gokiln: 'dist/src/cli/bin.js', 'inspect-worker': 'dist/src/analysis/inspect-worker.js' },
  outdir: 'dist/bin',
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: {
    GOKILN_BUNDLES: JSON.stringify(JSON.stringify(table)),
    'import.meta.dirname': '__dirname',
    'import.meta.url': '__gokilnImportMetaUrl',
  },
  banner: metaUrl.banner,
  plugins: [noFallback, lazyChildProcess],
});
writeFileSync('dist/bin/package.json', '{ "type": "commonjs" }\n');
// which files went into the bundle: test/guard-rails/dependencies.test.ts holds package.json's runtime
// dependencies to the packages found here and in the library (dist/src); kept out of dist/bin, which ships
const inputs = { ...verbs.metafile.inputs, ...esm.metafile.inputs };
writeFileSync('dist/bundle-meta.json', JSON.stringify({ inputs, outputs: { ...verbs.metafile.outputs, ...esm.metafile.outputs } }));
