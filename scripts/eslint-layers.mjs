// The import-boundary rule `gokiln/layers`: code under src/ imports downward only,
//   cli → index.ts → report → tasks → (dockerfile | generate | doctor | verify | build) → analysis → image
//     → project → (gosrc | io) → (formats | knowledge) → errors
// tasks/ holds one library function per command (lintPaths, initProject…): the discovery, config and
// orchestration the CLI would otherwise do, above every folder it combines and below the reporters.
// A module may import its own folder and any folder in a lower layer, never its own layer's other folders
// nor anything above. src/index.ts (the library's entry) may import every layer but the CLI. A folder that
// is in no layer is reported, so a new one is placed on purpose (docs/architecture in the README).
import { dirname, join, relative, sep } from 'node:path';

/** Top first. Each entry is one layer: the folders (or files directly in src/) that share it. */
export const LAYERS = [
  ['cli'],
  ['index.ts'],
  ['report'],
  ['tasks'],
  ['dockerfile', 'generate', 'doctor', 'verify', 'build'],
  ['analysis'],
  ['image'],
  ['project'],
  ['gosrc', 'io'],
  ['formats', 'knowledge'],
  ['errors.ts', 'version.ts', 'compare-versions.ts'],
];

const RANK = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i])));

/** The folder under src/ a file belongs to ('report'), or its own name when it sits in src/ itself; null outside src/. */
export function unitOf(file, srcDir) {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..') || rel === '') return null;
  const first = rel.split(sep)[0];
  return first.replace(/\.js$/, '.ts');
}

/** Why `from` may not import `to` (units as unitOf gives them), or null when it may. */
export function violation(from, to) {
  if (from === to) return null;
  const a = RANK.get(from);
  const b = RANK.get(to);
  if (a === undefined) return `src/${from} is in no layer: add it to LAYERS in scripts/eslint-layers.mjs`;
  if (b === undefined) return `src/${to} is in no layer: add it to LAYERS in scripts/eslint-layers.mjs`;
  if (b > a) return null;
  const why = b === a ? 'a folder of the same layer' : 'a higher layer';
  return `src/${from} may not import src/${to} (${why}); imports run downward only: ${LAYERS.map((l) => l.join(' | ')).join(' → ')}`;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports under src/ run downward only, layer by layer' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const srcDir = join(context.cwd, 'src');
    const from = unitOf(file, srcDir);
    if (from === null) return {};
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = unitOf(join(dirname(file), source.value), srcDir);
      if (to === null) return;
      const message = violation(from, to);
      if (message) context.report({ node: source, message });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { meta: { name: 'gokiln' }, rules: { layers: rule } };
