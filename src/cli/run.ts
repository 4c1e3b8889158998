/** The `gokiln` command's frame: parses the verb, hands over to the command, maps failures to exit codes. */
import { Command, CommanderError } from 'commander';
import type { ErrorCode } from '../errors.js';
import { EXIT, asFailure, errorLine, failureDocument, machineFormat, printFailure } from './output.js';
import { VERSION } from '../version.js';

/** Adds one command (its flags and action) to the program; setExit raises the exit code. */
export type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Parses argv and runs the command it names. `commands` are the verbs this entry knows, each loaded when
 * needed: main.ts passes all of them, a verb's own bundle only its own (scripts/bundle.mjs).
 */
export async function main(argv: string[], commands: Record<string, () => Promise<Register>>): Promise<number> {
  const program = new Command('gokiln')
    .description(
      'Go binaries and container images: inspect and size binaries, lint Dockerfiles, check the toolchain, plan and write Dockerfiles',
    )
    .version(VERSION)
    .exitOverride()
    // commander's own "error: …" line and usage dump give way to the one error line every command prints
    .configureOutput({ outputError: () => undefined });
  const exit = { code: EXIT.OK as number };
  const setExit = (c: number) => {
    exit.code = Math.max(exit.code, c);
  };
  // `gokiln inspect … | head` closes the pipe early: stop quietly, as a Unix filter does, not with a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(exit.code);
    throw e;
  });
  const format = machineFormat(argv.slice(2));
  /** A run that failed before a command could report: a JSON or SARIF reader still gets a document saying why. */
  const failed = async (code: ErrorCode, message: string): Promise<number> => {
    process.stdout.write(await failureDocument({ code, message }, format));
    return EXIT.INPUT;
  };
  const verb = argv[2];
  try {
    // the version needs no command; help and anything unknown list them all
    const names =
      verb === '--version' || verb === '-V' ? [] : verb !== undefined && Object.hasOwn(commands, verb) ? [verb] : Object.keys(commands);
    for (const name of names) (await commands[name]!())(program, setExit);
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // asked for help or the version: done; `gokiln` alone (help shown because no command was given): usage error
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.OK : failed('E_USAGE', 'no command given');
      const message = e.message.replace(/^error: /, '');
      const helpFor = verb !== undefined && Object.hasOwn(commands, verb) ? ` ${verb}` : '';
      process.stderr.write(errorLine('E_USAGE', `${message} (see gokiln${helpFor} --help)`));
      return failed('E_USAGE', message);
    }
    // bad input that no command reported (an option's parser refused it), and a file-system error no library
    // call typed: the one failure path, never an internal error with a stack trace
    const failure = asFailure(e);
    if (failure !== null) {
      await printFailure(failure, format);
      return EXIT.INPUT;
    }
    process.stderr.write(`gokiln: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.INTERNAL;
  }
  return exit.code;
}
