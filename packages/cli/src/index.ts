export { type Command, ExitCode, type Io } from './command.ts';
export { run } from './run.ts';
