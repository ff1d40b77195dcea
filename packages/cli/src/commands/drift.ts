import { ConfigError, DataError } from '@steward/drift';
import type { Command } from '../command.ts';
import { DRIFT_CHECK_USAGE, driftCheck } from './drift-check.ts';
import { DRIFT_PROFILE_USAGE, driftProfile } from './drift-profile.ts';
import { DriftExitCode } from './drift-shared.ts';

const USAGE = `usage: steward drift <profile|check> ...\n  ${DRIFT_PROFILE_USAGE}\n  ${DRIFT_CHECK_USAGE}\nexit codes: 0 no drift, 1 drift, 2 error, 3 inconclusive`;

const subcommands: Record<
  string,
  (args: readonly string[], io: Parameters<Command['run']>[1]) => Promise<number>
> = {
  profile: driftProfile,
  check: driftCheck,
};

export const driftCommand: Command = {
  name: 'drift',
  summary: 'profile data and check it for drift against a baseline',
  run: async (args, io) => {
    const [name, ...rest] = args;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      (name === undefined ? io.stderr : io.stdout)(USAGE);
      return name === undefined ? DriftExitCode.error : DriftExitCode.noDrift;
    }
    const sub = subcommands[name];
    if (sub === undefined) {
      io.stderr(`steward drift: unknown subcommand '${name}'\n${USAGE}`);
      return DriftExitCode.error;
    }
    try {
      return await sub(rest, io);
    } catch (error) {
      // Bad data, a bad config or bad options are the user's to fix: one clear line, exit 2.
      const known =
        error instanceof DataError ||
        error instanceof ConfigError ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      io.stderr(
        `steward drift ${name}: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`,
      );
      return DriftExitCode.error;
    }
  },
};
