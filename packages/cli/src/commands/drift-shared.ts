import { readFile } from 'node:fs/promises';
import {
  ConfigError,
  type DataFormat,
  type DriftCheckConfig,
  dataFormats,
  parseDriftMonitorConfig,
} from '@steward/drift';

/** `steward drift` exit codes: scripts and the DriftMonitor job tell a verdict from a failure. */
export const DriftExitCode = { noDrift: 0, drift: 1, error: 2, inconclusive: 3, schemaDrift: 4 } as const;

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
