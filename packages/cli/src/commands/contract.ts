import type { Command, Io } from '../command.ts';
import { DIFF_USAGE, runDiff } from './contract-diff.ts';
import { ContractExit, guarded } from './contract-io.ts';
import { runValidate, VALIDATE_USAGE } from './contract-validate.ts';

const SUBCOMMANDS = new Map<string, (args: readonly string[], io: Io) => Promise<number>>([
  ['diff', runDiff],
  ['validate', runValidate],
]);

const USAGE = [DIFF_USAGE, VALIDATE_USAGE.replace('usage:', '      ')].join('\n');

export const contractCommand: Command = {
  name: 'contract',
  summary: 'diff output contract versions; validate predictions against a contract',
  run: async ([subcommand, ...args], io) => {
    if (subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
      io.stdout(USAGE);
      return ContractExit.ok;
    }
    const run = subcommand === undefined ? undefined : SUBCOMMANDS.get(subcommand);
    if (run === undefined) {
      const what = subcommand === undefined ? 'missing subcommand' : `unknown subcommand '${subcommand}'`;
      io.stderr(`steward contract: ${what}\n${USAGE}`);
      return ContractExit.usage;
    }
    return guarded(io, () => run(args, io));
  },
};
