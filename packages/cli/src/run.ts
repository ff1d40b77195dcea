import { ExitCode, type Io } from './command.ts';
import { commands } from './commands/index.ts';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: steward <command> [options]\n\ncommands:\n${lines.join('\n')}`;
}

/** Runs the steward command line and returns the process exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr(usage());
    return ExitCode.usage;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(usage());
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name || (name === '--version' && c.name === 'version'));
  if (command === undefined) {
    io.stderr(`steward: unknown command '${name}'\n\n${usage()}`);
    return ExitCode.usage;
  }
  return command.run(args, io);
}
