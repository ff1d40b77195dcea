import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_IN_WORKER_MIN_BYTES, readsInWorker } from './drift-shared.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-reads-in-worker-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('where steward drift reads its data', () => {
  it('reads a small local file in process', async () => {
    const small = join(dir, 'small.csv');
    await writeFile(small, 'a,b\n1,2\n');
    expect(await readsInWorker(small)).toBe(false);
  });

  it('reads a big local file, a directory, remote data and a missing file on a worker thread', async () => {
    const big = join(dir, 'big.csv');
    await writeFile(big, '');
    await truncate(big, READ_IN_WORKER_MIN_BYTES); // sparse: the size is what counts
    for (const location of [
      big,
      dir,
      's3://bucket/window/',
      'https://example.com/x.csv',
      join(dir, 'absent.csv'),
    ]) {
      expect(await readsInWorker(location), location).toBe(true);
    }
  });
});
