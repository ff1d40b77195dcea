import {
  type CommandEntry,
  type CommandModule,
  ExitCode,
  InputError,
  type Io,
  UsageError,
} from './command.ts';
import { commands } from './commands/index.ts';

const HELP_FLAGS = new Set(['help', '--help', '-h']);

function listing(entries: readonly CommandEntry[]): string {
  const width = Math.max(...entries.map((c) => c.name.length));
  return entries.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
}

function usage(table: readonly CommandEntry[]): string {
  return `usage: steward <command> [options]  (steward <command> --help for its options)\n\ncommands:\n${listing(table)}\n\noutput: -o human|json|yaml; exit codes: docs/cli.md`;
}

function groupUsage(group: string, entries: readonly CommandEntry[]): string {
  return `usage: steward ${group} <subcommand> [options]\n\nsubcommands:\n${listing(entries)}`;
}

type Lookup = { entry: CommandEntry; args: readonly string[] } | { exit: number };

/** Finds the table row for argv: a one-word command, or a group and its subcommand. */
function lookup(argv: readonly string[], io: Io, table: readonly CommandEntry[]): Lookup {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(usage(table));
    return { exit: ExitCode.usage };
  }
  if (HELP_FLAGS.has(name)) {
    io.stdout(usage(table));
    return { exit: ExitCode.ok };
  }
  const word = name === '--version' ? 'version' : name;
  const entry = table.find((c) => c.name === word);
  if (entry !== undefined) return { entry, args: rest };
  const group = table.filter((c) => c.name.startsWith(`${word} `));
  if (group.length === 0) {
    io.stderr(`steward: unknown command '${name}'\n\n${usage(table)}`);
    return { exit: ExitCode.usage };
  }
  const [sub, ...args] = rest;
  if (sub !== undefined && HELP_FLAGS.has(sub)) {
    io.stdout(groupUsage(word, group));
    return { exit: ExitCode.ok };
  }
  const subEntry = group.find((c) => c.name === `${word} ${sub}`);
  if (subEntry !== undefined) return { entry: subEntry, args };
  const problem = sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`;
  io.stderr(`steward ${word}: ${problem}\n\n${groupUsage(word, group)}`);
  return { exit: ExitCode.usage };
}

function isInputError(module: CommandModule, error: unknown): boolean {
  return error instanceof InputError || (module.inputErrors ?? []).some((type) => error instanceof type);
}

/**
 * Runs the steward command line and returns the process exit code (the table in command.ts).
 * `table` is the command table; tests pass their own.
 */
export async function run(
  argv: readonly string[],
  io: Io,
  table: readonly CommandEntry[] = commands,
): Promise<number> {
  const found = lookup(argv, io, table);
  if ('exit' in found) return found.exit;
  const prefix = `steward ${found.entry.name}`;
  let module: CommandModule | undefined;
  try {
    module = (await found.entry.load()).command;
    return await module.run(found.args, io);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UsageError) {
      io.stderr(`${prefix}: ${message}\n${module?.usage ?? ''}`);
      return ExitCode.usage;
    }
    if (module !== undefined && isInputError(module, error)) {
      io.stderr(`${prefix}: ${message}`);
      return ExitCode.usage;
    }
    // Not the user's input: a bug or the environment. The stack is what a bug report needs.
    io.stderr(`${prefix}: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return ExitCode.failure;
  }
}
