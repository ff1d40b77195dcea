/**
 * The one exit-code table of every `steward` command (docs/cli.md), so a CI step, a shell script or a
 * Job's podFailurePolicy can tell a verdict from bad input from a failure without knowing the command.
 */
export const ExitCode = {
  /** Done; a check found nothing wrong (no drift, compatible, every prediction conforms). */
  ok: 0,
  /** A check found what it looks for: drift, a breaking contract change, non-conforming predictions. */
  problemFound: 1,
  /** Bad usage or bad input: unknown command, option or value; a missing, unreadable or malformed file. */
  usage: 2,
  /** Too little data to judge (drift check below its minimum sample size). */
  inconclusive: 3,
  /** The data's schema changed: a feature vanished, emptied or changed type (drift check). */
  schemaDrift: 4,
  /** The command could not finish for another reason: the operator could not start, an unexpected error. */
  failure: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** A mistake in the command line: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bad input (a file that is missing, unreadable or malformed): printed as is, exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * What a command's module exports as `command`. Commands return their exit code instead of calling
 * process.exit, so tests run them in-process and the operator never exits by accident.
 */
export interface CommandModule {
  /** One line, `steward <name> ...`, printed under a usage error. */
  usage: string;
  run: (args: readonly string[], io: Io) => Promise<number>;
  /** Library errors that mean bad input (exit 2, message only), besides UsageError and InputError. */
  inputErrors?: readonly ErrorClass[];
}

/**
 * One row of the command table. `load` imports the command's module only when it runs, so
 * `steward version` never loads the Kubernetes client and `steward drift` never loads the contracts.
 */
export interface CommandEntry {
  /** One word, or a group and a subcommand: 'contract diff'. */
  name: string;
  summary: string;
  load: () => Promise<{ command: CommandModule }>;
}
