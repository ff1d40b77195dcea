export {
  type CommandEntry,
  type CommandModule,
  ExitCode,
  InputError,
  type Io,
  UsageError,
} from './command.ts';
export { OUTPUT_FORMATS, type OutputFormat } from './output.ts';
export { run } from './run.ts';
