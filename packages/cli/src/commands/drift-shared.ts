import { readFile } from 'node:fs/promises';
import {
  ConfigError,
  DataError,
  type DataFormat,
  type DriftCheckConfig,
  dataFormats,
  parseDriftMonitorConfig,
} from '@steward/drift';
import { ExitCode } from '../command.ts';

/** The drift verdicts' rows of the one exit-code table (command.ts): scripts and the DriftMonitor job read them. */
export const DriftExitCode = {
  noDrift: ExitCode.ok,
  drift: ExitCode.problemFound,
  error: ExitCode.usage,
  inconclusive: ExitCode.inconclusive,
  schemaDrift: ExitCode.schemaDrift,
} as const;

/** Bad data or a bad config are the user's to fix: one clear line, exit 2. */
export const DRIFT_INPUT_ERRORS = [DataError, ConfigError];

export async function loadConfig(path: string | undefined): Promise<DriftCheckConfig | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  return parseDriftMonitorConfig(text, path);
}

export function parseFormat(value: string | undefined): DataFormat | undefined {
  if (value === undefined) return undefined;
  if (!(dataFormats as readonly string[]).includes(value)) {
    throw new ConfigError(`--format must be one of ${dataFormats.join(', ')}, got '${value}'`);
  }
  return value as DataFormat;
}
