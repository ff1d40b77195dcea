import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileData } from './dataset.ts';
import { profileDataIsolated } from './isolated.ts';
import { profileToJson } from './profile/serialize.ts';
import { DataError } from './read/errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-drift-isolated-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('profiling on a worker thread', () => {
  it('gives the same profile and samples as profiling in place', async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) => `${Math.sin(i)},${i % 3 ? 'a' : 'b'},${i % 10 ? i : ''}`,
    );
    const path = join(dir, 'data.csv');
    await writeFile(path, `x,c,y\n${rows.join('\n')}\n`);
    const inPlace = await profileData(path, { keepSamples: true });
    const isolated = await profileDataIsolated(path, { keepSamples: true });
    expect(profileToJson(isolated.profile)).toEqual(profileToJson(inPlace.profile));
    expect(isolated.samples?.get('x')).toEqual(inPlace.samples?.get('x'));
    expect(isolated.samples?.get('y')?.length).toBe(2700);
  });

  it('reports bad data as a DataError, as in place', async () => {
    const error = await profileDataIsolated(join(dir, 'missing.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/missing\.csv: no such file or directory/);
  });
});
