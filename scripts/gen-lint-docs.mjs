#!/usr/bin/env node
// Writes docs/lint.md and docs/rules/GKnnn.md from the rule registry. Usage: node scripts/gen-lint-docs.mjs [DIST]
// (DIST defaults to ./dist, the tsc output directory). test/dockerfile/docs.test.ts fails when they are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? 'dist');
const { allDocs } = await import(pathToFileURL(`${dist}/src/dockerfile/docs.js`).href);
for (const [path, text] of allDocs()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
console.log(`wrote ${allDocs().size} files`);
