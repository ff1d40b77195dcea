// The worker side of profileDataIsolated: reads, profiles, replies, exits.
import { parentPort, workerData } from 'node:worker_threads';
import { profileData } from './dataset.ts';
import type { ProfileOptions } from './profile/profile.ts';
import { type ProfileFile, profileToJson } from './profile/serialize.ts';
import { DataError } from './read/errors.ts';
import type { ReadOptions } from './read/table.ts';

export interface WorkerRequest {
  location: string;
  options: ProfileOptions & Omit<ReadOptions, 'onProgress'>;
}

export type WorkerReply =
  | { kind: 'progress'; read: number; total: number | undefined }
  | { kind: 'error'; data: boolean; unreachable: boolean; message: string }
  | { kind: 'done'; profile: ProfileFile; samples?: SampleColumn[] };

/** A column's finite values: its name, the buffer holding them and how many there are. */
export type SampleColumn = [name: string, buffer: ArrayBuffer, length: number];

/** Progress messages at most this often: the main thread only redraws a terminal line. */
const PROGRESS_INTERVAL_MS = 100;

if (parentPort) {
  const port = parentPort;
  const { location, options } = workerData as WorkerRequest;
  let last = 0;
  const onProgress = (read: number, total: number | undefined) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    port.postMessage({ kind: 'progress', read, total } satisfies WorkerReply);
  };
  try {
    const dataset = await profileData(location, { ...options, onProgress });
    // Each sample column owns its buffer: transfer it whole (no copy) with the column's length.
    const samples = dataset.samples
      ? [...dataset.samples].map(
          ([name, values]) => [name, values.buffer as ArrayBuffer, values.length] as SampleColumn,
        )
      : undefined;
    const reply: WorkerReply = {
      kind: 'done',
      profile: profileToJson(dataset.profile),
      ...(samples ? { samples } : {}),
    };
    port.postMessage(reply, samples?.map(([, buffer]) => buffer) ?? []);
  } catch (error) {
    const reply: WorkerReply = {
      kind: 'error',
      data: error instanceof DataError,
      unreachable: error instanceof DataError && error.unreachable,
      message: (error as Error).message,
    };
    port.postMessage(reply);
  }
}
