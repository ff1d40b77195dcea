import { readFile } from 'node:fs/promises';
import { type ContractDocument, ContractInputError, parseContractDocument } from '@steward/contracts';
import { InputError } from '../command.ts';

/** Library errors of `steward contract ...` that mean bad input (exit 2). */
export const CONTRACT_INPUT_ERRORS = [ContractInputError];

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
    throw new InputError(describeFsError(path, error));
  }
  return parseContractDocument(text, path);
}
