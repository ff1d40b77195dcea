import { readFile } from 'node:fs/promises';
import { ExitCode, UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';

export const command = defineCommand({
  usage: 'usage: steward version [-o human|json|yaml]',
  help: 'Prints the version of steward (the @steward/cli package).\n\nexit codes: 0',
  options: {},
  run: async ({ positionals, output }, io) => {
    if (positionals.length > 0) throw new UsageError(`takes no arguments, got '${positionals[0]}'`);
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    await printResult(io, output, { version: pkg.version }, (result) => result.version);
    return ExitCode.ok;
  },
});
