import { type Io, UsageError } from './command.ts';

/** kubectl's `-o json|yaml`, plus a human default; every command that prints a result takes these. */
export const OUTPUT_FORMATS = ['human', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function outputFormatOf(value: string | undefined): OutputFormat {
  const format = OUTPUT_FORMATS.find((f) => f === (value ?? 'human'));
  if (format === undefined) {
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}, got '${value}'`);
  }
  return format;
}

/**
 * Prints a command's result in the chosen format. json and yaml print the same document: the result
 * goes through JSON first, so both drop undefined fields and print NaN as null alike.
 */
export async function printResult<T>(
  io: Io,
  format: OutputFormat,
  result: T,
  human: (result: T) => string,
): Promise<void> {
  if (format === 'human') {
    io.stdout(human(result));
    return;
  }
  const json = JSON.stringify(result, null, 2);
  if (format === 'json') {
    io.stdout(json);
    return;
  }
  // Loaded here, not at start-up: only yaml output needs it.
  const { dump } = await import('js-yaml');
  io.stdout(dump(JSON.parse(json), { noRefs: true, lineWidth: -1 }).trimEnd());
}
