import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type ContractDocument, ContractInputError, parseContractDocument } from '@steward/contracts';
import { ExitCode } from '../command.ts';

/** `steward contract ...` exit codes: 1 is the verdict (breaking, invalid rows), 2 bad usage or input. */
export const ContractExit = { ...ExitCode, incompatible: 1 } as const;

export const OUTPUT_FORMATS = ['human', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A usage or input problem: printed as is, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function describeFsError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EISDIR') return `${path}: is a directory, not a file`;
  if (code === 'EACCES') return `${path}: permission denied`;
  return `${path}: cannot read: ${(error as Error).message}`;
}

export async function readContract(path: string): Promise<ContractDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(describeFsError(path, error));
  }
  return parseContractDocument(text, path);
}

type ParseArgsConfig = NonNullable<Parameters<typeof parseArgs>[0]>;

/** node:util parseArgs, with its exceptions turned into UsageErrors that carry the usage line. */
export function parseOptions<T extends ParseArgsConfig['options']>(
  args: readonly string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

export function outputFormatOf(value: unknown, usage: string): OutputFormat {
  const format = value ?? 'human';
  if (OUTPUT_FORMATS.some((f) => f === format)) return format as OutputFormat;
  throw new UsageError(
    `--output must be one of ${OUTPUT_FORMATS.join(', ')}, got '${String(format)}'\n${usage}`,
  );
}

/** Runs a subcommand body, turning bad usage and bad input into a message and exit code 2. */
export async function guarded(io: { stderr: (line: string) => void }, body: () => Promise<number>) {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ContractInputError) {
      io.stderr(`steward contract: ${error.message}`);
      return ContractExit.usage;
    }
    throw error;
  }
}
