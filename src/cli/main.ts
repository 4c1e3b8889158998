#!/usr/bin/env node
/** The `gokiln` command with every verb: each command's module loads on demand (see run.ts). */
import { main, type Register } from './run.js';

/**
 * Commands load on demand: start-up then costs only the command that runs (a `gokiln inspect` in a
 * loop over many files, or in CI, should not pay for the linter, the HTML treemap and the generators).
 * The package's bin goes further: each verb has a bundle of its own (scripts/bundle.mjs), and this table
 * serves help, unknown verbs and options given before the verb.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  inspect: async () => (await import('./inspect.js')).registerInspect,
  size: async () => (await import('./size.js')).registerSize,
  lint: async () => (await import('./lint.js')).registerLint,
  doctor: async () => (await import('./doctor.js')).registerDoctor,
  plan: async () => (await import('./plan.js')).registerPlan,
  init: async () => (await import('./init.js')).registerInit,
  verify: async () => (await import('./verify.js')).registerVerify,
  build: async () => (await import('./build.js')).registerBuild,
};

main(process.argv, COMMANDS).then((code) => {
  process.exitCode = code;
});
