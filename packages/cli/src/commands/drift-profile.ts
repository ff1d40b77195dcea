import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { profileDataIsolated, profileToJson } from '@steward/drift';
import type { Io } from '../command.ts';
import { terminalProgress } from './drift-progress.ts';
import { DriftExitCode, loadConfig, parseFormat } from './drift-shared.ts';

export const DRIFT_PROFILE_USAGE =
  'usage: steward drift profile DATA [-o profile.json] [--config MONITOR.yaml] [--format csv|jsonl|parquet]';

/** `steward drift profile DATA -o profile.json`: one streaming pass into a mergeable baseline profile. */
export async function driftProfile(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      config: { type: 'string' },
      format: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    io.stderr(
      `steward drift profile: expected one DATA location, got ${positionals.length}\n${DRIFT_PROFILE_USAGE}`,
    );
    return DriftExitCode.error;
  }
  const location = positionals[0] as string;
  const config = await loadConfig(values.config);
  const format = parseFormat(values.format);
  const progress = terminalProgress(`reading ${location}`);
  const { profile } = await profileDataIsolated(location, {
    ...(config ? { config } : {}),
    ...(format ? { format } : {}),
    onProgress: progress.update,
  });
  progress.done();
  const json = JSON.stringify(profileToJson(profile));
  if (values.output === undefined || values.output === '-') io.stdout(json);
  else {
    await writeFile(values.output, `${json}\n`);
    io.stderr(`profiled ${profile.rows} rows, ${profile.features.size} features into ${values.output}`);
  }
  return DriftExitCode.noDrift;
}
