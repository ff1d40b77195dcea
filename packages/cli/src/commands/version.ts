import { readFileSync } from 'node:fs';
import { type Command, ExitCode } from '../command.ts';

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the steward version',
  run: async (_args, io) => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    io.stdout(pkg.version);
    return ExitCode.ok;
  },
};
