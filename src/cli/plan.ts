import type { Command } from 'commander';
import { GokilnError } from '../errors.js';

// Placeholder until the plan command lands; it refuses to run rather than pretend.
export function registerPlan(program: Command, _setExit: (code: number) => void): void {
  program.command('plan').description('(not implemented yet)').allowUnknownOption().action(() => {
    throw new GokilnError('E_UNSUPPORTED', 'plan is not implemented yet');
  });
}
