import type { Command } from 'commander';
import { GokilnError } from '../errors.js';

// Placeholder until the inspect command lands; it refuses to run rather than pretend.
export function registerInspect(program: Command, _setExit: (code: number) => void): void {
  program.command('inspect').description('(not implemented yet)').allowUnknownOption().action(() => {
    throw new GokilnError('E_UNSUPPORTED', 'inspect is not implemented yet');
  });
}
