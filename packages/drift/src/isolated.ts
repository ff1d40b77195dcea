import { Worker } from 'node:worker_threads';
import type { Dataset } from './check/check.ts';
import type { WorkerReply, WorkerRequest } from './isolated-worker.ts';
import type { ProfileOptions } from './profile/profile.ts';
import { profileFromJson } from './profile/serialize.ts';
import { DataError } from './read/errors.ts';
import type { ReadOptions } from './read/table.ts';

/**
 * Young-generation cap of the reading thread. A streaming pass allocates short-lived strings at a
 * high rate and V8 otherwise grows the young generation with the machine's memory; capped, a 1 GB
 * CSV profiled with ~20 MB less peak RSS at the same speed (docs/benchmarks.md).
 */
export const READER_YOUNG_GENERATION_MB = 16;

/**
 * profileData on a worker thread whose young generation is capped, so the caller's heap settings
 * do not decide the memory of a long read, and a long read never blocks the caller's event loop. The profile comes back in its JSON form and the samples
 * as transferred buffers (no copy).
 */
export async function profileDataIsolated(
  location: string,
  options: ProfileOptions & ReadOptions = {},
): Promise<Dataset> {
  const { onProgress, ...rest } = options;
  const request: WorkerRequest = { location, options: rest };
  const worker = new Worker(new URL('./isolated-worker.ts', import.meta.url), {
    workerData: request,
    resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB },
  });
  try {
    return await new Promise<Dataset>((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'progress') onProgress?.(reply.read, reply.total);
        else if (reply.kind === 'error')
          reject(
            reply.data
              ? new DataError(reply.message, { unreachable: reply.unreachable })
              : new Error(reply.message),
          );
        else {
          const profile = profileFromJson(reply.profile);
          const samples = reply.samples?.map(
            ([name, buffer, length]) => [name, new Float64Array(buffer, 0, length)] as const,
          );
          resolve(samples ? { profile, samples: new Map(samples) } : { profile });
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`profile worker exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}
