#!/usr/bin/env node
/** The `gokiln` command: parses the verb and hands over to one file per command. */
import { Command, CommanderError } from 'commander';
import { isGokilnError } from '../errors.js';
import { EXIT } from './output.js';
import { registerInspect } from './inspect.js';
import { registerSize } from './size.js';
import { registerLint } from './lint.js';
import { registerDoctor } from './doctor.js';
import { registerPlan } from './plan.js';
import { registerInit } from './init.js';
import { VERSION } from '../version.js';

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
  registerInspect(program, setExit);
  registerSize(program, setExit);
  registerLint(program, setExit);
  registerDoctor(program, setExit);
  registerPlan(program, setExit);
  registerInit(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      return EXIT.INPUT;
    }
    if (isGokilnError(e)) {
      process.stderr.write(`gokiln: ${e.code}: ${e.message}\n`);
      return e.code === 'E_USAGE' ? EXIT.INPUT : EXIT.INPUT;
    }
    process.stderr.write(`gokiln: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.INTERNAL;
  }
  return exit.code;
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
