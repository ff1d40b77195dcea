import { parseArgs } from 'node:util';
import { type CommandModule, ExitCode, type Io, UsageError } from './command.ts';
import { type OutputFormat, outputFormatOf } from './output.ts';

type OptionsConfig = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** Options every command takes; `output` only where the command prints a result. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
const OUTPUT = { output: { type: 'string', short: 'o' } } as const;

type Parsed<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: O & typeof HELP & typeof OUTPUT;
    allowPositionals: true;
    allowNegative: true;
    strict: true;
  }>
>;

export interface CommandInput<O extends OptionsConfig> {
  values: Parsed<O>['values'];
  positionals: string[];
  output: OutputFormat;
}

export interface CommandDefinition<O extends OptionsConfig> {
  /** `steward <name> ...`: the synopsis, first line of the help and of every usage error. */
  usage: string;
  /** The rest of `--help`: what the command does, its options, its exit codes. */
  help: string;
  options: O;
  /** False for a command that prints no result (the operator logs): it then takes no `-o`. */
  printsResult?: false;
  inputErrors?: CommandModule['inputErrors'];
  run: (input: CommandInput<O>, io: Io) => Promise<number>;
}

/**
 * Builds a command module from its options and body: parses the flags strictly (node:util), answers
 * `-h/--help`, checks `-o/--output` against the shared vocabulary, and turns a flag the parser
 * rejects into a UsageError. The body sees typed values and the output format.
 */
export function defineCommand<O extends OptionsConfig>(definition: CommandDefinition<O>): CommandModule {
  const options = { ...definition.options, ...HELP, ...(definition.printsResult === false ? {} : OUTPUT) };
  return {
    usage: definition.usage,
    ...(definition.inputErrors ? { inputErrors: definition.inputErrors } : {}),
    run: async (args, io) => {
      let parsed: Parsed<O>;
      try {
        parsed = parseArgs({
          args: [...args],
          options,
          allowPositionals: true,
          allowNegative: true,
          strict: true,
        }) as Parsed<O>;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      // The generic values type cannot see the shared options; they are in every parse by construction.
      const shared = parsed.values as { help?: boolean; output?: string };
      if (shared.help === true) {
        io.stdout(`${definition.usage}\n\n${definition.help}`);
        return ExitCode.ok;
      }
      const output = outputFormatOf(shared.output);
      return definition.run({ values: parsed.values, positionals: parsed.positionals, output }, io);
    },
  };
}
