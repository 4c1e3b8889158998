import type { Command } from 'commander';
import { GokilnError } from '../errors.js';

// Placeholder until the size command lands; it refuses to run rather than pretend.
export function registerSize(program: Command, _setExit: (code: number) => void): void {
  program.command('size').description('(not implemented yet)').allowUnknownOption().action(() => {
    throw new GokilnError('E_UNSUPPORTED', 'size is not implemented yet');
  });
}
