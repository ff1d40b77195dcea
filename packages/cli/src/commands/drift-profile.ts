import { writeFile } from 'node:fs/promises';
import { type Profile, profileData, profileDataIsolated, profileToJson } from '@steward/drift';
import { ExitCode, InputError, UsageError } from '../command.ts';
import { defineCommand } from '../options.ts';
import { printResult } from '../output.ts';
import { terminalProgress } from './drift-progress.ts';
import { DRIFT_INPUT_ERRORS, loadConfig, parseFormat, readsInWorker } from './drift-shared.ts';

function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : '-';
}

/** One row per feature: what a person checks before trusting a baseline (counts, range, categories). */
export function formatProfile(profile: Profile, savedTo: string | undefined): string {
  const header = ['feature', 'numbers', 'text', 'nulls', 'min', 'mean', 'max', 'categories'];
  const rows = [...profile.features.values()].map((f) => {
    const top = [...f.text.categories.entries()].sort(([, a], [, b]) => b - a)[0];
    const categories = top === undefined ? '-' : `${f.text.categories.size} (top: ${top[0]} ${top[1]})`;
    const numeric = f.numeric.count > 0;
    return [
      f.name,
      String(f.numeric.count),
      String(f.text.count),
      String(f.nulls),
      numeric ? formatValue(f.numeric.min) : '-',
      numeric ? formatValue(f.numeric.mean) : '-',
      numeric ? formatValue(f.numeric.max) : '-',
      categories,
    ].join('\t');
  });
  const into = savedTo === undefined ? '' : ` into ${savedTo}`;
  const summary = `profiled ${profile.rows} rows, ${profile.features.size} features${into}`;
  return [summary, '', header.join('\t'), ...rows].join('\n');
}

/** `steward drift profile DATA`: one streaming pass into a mergeable baseline profile. */
export const command = defineCommand({
  usage:
    'usage: steward drift profile DATA [--out PROFILE.json] [-o human|json|yaml] [--config MONITOR.yaml] [--format csv|jsonl|parquet]',
  help: `Reads DATA once (a file, s3://bucket/key or s3://bucket/prefix/) into a compact, mergeable profile:
the baseline steward drift check --baseline and a DriftMonitor's spec.baseline.profile read.

  --out          write the profile (JSON, the form steward drift check reads) to this file
  -o, --output   what to print: human (default) a per-feature summary; json or yaml the profile itself
  --config       a DriftMonitor manifest: declared feature types and fixed histogram edges
  --format       the data format when the name does not tell: csv, jsonl or parquet

exit codes: 0 profiled, 2 bad usage or input`,
  options: { out: { type: 'string' }, config: { type: 'string' }, format: { type: 'string' } },
  inputErrors: DRIFT_INPUT_ERRORS,
  run: async ({ values, positionals, output }, io) => {
    if (positionals.length !== 1)
      throw new UsageError(`expected one DATA location, got ${positionals.length}`);
    const location = positionals[0] as string;
    const config = await loadConfig(values.config);
    const format = parseFormat(values.format);
    const progress = terminalProgress(`reading ${location}`);
    const read = (await readsInWorker(location)) ? profileDataIsolated : profileData;
    const { profile } = await read(location, {
      ...(config ? { config } : {}),
      ...(format ? { format } : {}),
      onProgress: progress.update,
    });
    progress.done();
    const document = profileToJson(profile);
    if (values.out !== undefined) {
      try {
        await writeFile(values.out, `${JSON.stringify(document)}\n`);
      } catch (error) {
        throw new InputError(`${values.out}: cannot write: ${(error as Error).message}`);
      }
    }
    await printResult(io, output, document, () => formatProfile(profile, values.out));
    return ExitCode.ok;
  },
});
