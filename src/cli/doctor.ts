import type { Command } from 'commander';
import { GokilnError } from '../errors.js';

// Placeholder until the doctor command lands; it refuses to run rather than pretend.
export function registerDoctor(program: Command, _setExit: (code: number) => void): void {
  program.command('doctor').description('(not implemented yet)').allowUnknownOption().action(() => {
    throw new GokilnError('E_UNSUPPORTED', 'doctor is not implemented yet');
  });
}
