import type { Command } from 'commander';
import { GokilnError } from '../errors.js';

// Placeholder until the lint command lands; it refuses to run rather than pretend.
export function registerLint(program: Command, _setExit: (code: number) => void): void {
  program.command('lint').description('(not implemented yet)').allowUnknownOption().action(() => {
    throw new GokilnError('E_UNSUPPORTED', 'lint is not implemented yet');
  });
}
