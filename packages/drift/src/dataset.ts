import { readFile } from 'node:fs/promises';
import type { Dataset } from './check/check.ts';
import { ProfileBuilder, type ProfileOptions } from './profile/profile.ts';
import { profileFromJson } from './profile/serialize.ts';
import { DataError } from './read/errors.ts';
import { type ReadOptions, readTable } from './read/table.ts';

/** Reads every row behind `location` in one streaming pass into a profile (and samples, if asked). */
export async function profileData(
  location: string,
  options: ProfileOptions & ReadOptions = {},
): Promise<Dataset> {
  const builder = new ProfileBuilder(options);
  for await (const chunk of readTable(location, options)) builder.add(chunk);
  return options.keepSamples
    ? { profile: builder.profile, samples: builder.samples() }
    : { profile: builder.profile };
}

/** A `.json` file is a saved profile (`steward drift profile`); anything else is data. */
export function isProfileLocation(location: string): boolean {
  return /\.json$/i.test(location);
}

export async function readProfileFile(path: string): Promise<Dataset> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DataError(
      `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      { unreachable: true },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(`${path}: invalid JSON (${(error as Error).message})`);
  }
  try {
    return { profile: profileFromJson(json) };
  } catch (error) {
    throw new DataError(`${path}: ${(error as Error).message}`);
  }
}

/**
 * Opens one side of a check: a saved profile as is, data with its raw values for exact methods.
 * `isolated` reads on a worker thread with a capped young generation (see profileDataIsolated).
 */
export async function openDataset(
  location: string,
  options: ProfileOptions & ReadOptions & { isolated?: boolean } = {},
): Promise<Dataset> {
  if (isProfileLocation(location)) return readProfileFile(location);
  const { isolated, ...rest } = options;
  if (isolated) {
    const { profileDataIsolated } = await import('./isolated.ts');
    return profileDataIsolated(location, { ...rest, keepSamples: true });
  }
  return profileData(location, { ...rest, keepSamples: true });
}
