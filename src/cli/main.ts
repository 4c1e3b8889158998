#!/usr/bin/env node
/** The `gokiln` command: parses the verb and hands over to one file per command. */
import { Command, CommanderError } from 'commander';
import { isGokilnError } from '../errors.js';
import { EXIT } from './output.js';
import { VERSION } from '../version.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Commands load on demand: start-up then costs only the command that runs (a `gokiln inspect` in a
 * loop over many files, or in CI, should not pay for the linter, the HTML treemap and the generators).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  inspect: async () => (await import('./inspect.js')).registerInspect,
  size: async () => (await import('./size.js')).registerSize,
  lint: async () => (await import('./lint.js')).registerLint,
  doctor: async () => (await import('./doctor.js')).registerDoctor,
  plan: async () => (await import('./plan.js')).registerPlan,
  init: async () => (await import('./init.js')).registerInit,
};

export async function main(argv: string[]): Promise<number> {
  const program = new Command('gokiln')
    .description('Go binaries and container images: inspect, size, lint, plan, build, verify')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  const exit = { code: EXIT.OK as number };
  const setExit = (c: number) => {
    exit.code = Math.max(exit.code, c);
  };
  try {
    const verb = argv[2];
    const names = verb !== undefined && Object.hasOwn(COMMANDS, verb) ? [verb] : Object.keys(COMMANDS);
    for (const name of names) (await COMMANDS[name]!())(program, setExit);
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      return EXIT.INPUT;
    }
    if (isGokilnError(e)) {
      process.stderr.write(`gokiln: ${e.code}: ${e.message}\n`);
      return EXIT.INPUT;
    }
    process.stderr.write(`gokiln: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.INTERNAL;
  }
  return exit.code;
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
