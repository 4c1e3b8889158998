import type { Command } from 'commander';
import { GokilnError } from '../errors.js';

// Placeholder until the init command lands; it refuses to run rather than pretend.
export function registerInit(program: Command, _setExit: (code: number) => void): void {
  program.command('init').description('(not implemented yet)').allowUnknownOption().action(() => {
    throw new GokilnError('E_UNSUPPORTED', 'init is not implemented yet');
  });
}
