/**
 * The Job's results channel: one JSON document in the container's termination message, which the
 * operator reads from the Pod's status (no access to Steward resources needed). Also printed to stdout.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { TERMINATION_MESSAGE_MAX_BYTES, TERMINATION_MESSAGE_PATH } from '@steward/api';

/** The termination-message file when running in a Pod (the kubelet creates it), else none. */
export function defaultResultPath(): string | undefined {
  return existsSync(TERMINATION_MESSAGE_PATH) ? TERMINATION_MESSAGE_PATH : undefined;
}

export async function report(
  document: unknown,
  path: string | undefined,
  stdout: (text: string) => void,
): Promise<void> {
  const text = JSON.stringify(document);
  const bytes = Buffer.byteLength(text);
  if (bytes > TERMINATION_MESSAGE_MAX_BYTES) {
    // The kubelet would cut the document and the operator could not parse it: fail loudly instead.
    throw new Error(
      `the result is ${bytes} bytes, more than a termination message holds (${TERMINATION_MESSAGE_MAX_BYTES})`,
    );
  }
  stdout(`${text}\n`);
  if (path !== undefined) await writeFile(path, text);
}

/** A failure goes to the same place as plain text, so the operator can quote it in the run's message. */
export async function reportFailure(
  error: unknown,
  path: string | undefined,
  stderr: (text: string) => void,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  stderr(`${message}\n`);
  if (path !== undefined)
    await writeFile(path, message.slice(0, TERMINATION_MESSAGE_MAX_BYTES)).catch(() => undefined);
}
