/** Exit codes shared by every subcommand, so scripts can tell a usage error from a verdict. */
export const ExitCode = { ok: 0, usage: 2 } as const;

export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/**
 * One `steward <name> ...` subcommand. Commands return their exit code instead of calling
 * process.exit, so tests run them in-process and the operator never exits by accident.
 */
export interface Command {
  name: string;
  summary: string;
  run: (args: readonly string[], io: Io) => Promise<number>;
}
