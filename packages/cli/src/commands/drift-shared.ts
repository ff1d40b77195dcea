import { readFile, stat } from 'node:fs/promises';
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

/**
 * Local data below this size is read in process. Reading on a worker thread caps the young generation
 * of a long read, but starting one costs ~0.3 s of CPU and ~30 MB (its own copy of the drift library):
 * more than the cap saves on a small file (docs/benchmarks.md, cli).
 */
export const READ_IN_WORKER_MIN_BYTES = 16 * 1024 * 1024;

/** Whether to read `location` on a worker thread: remote data (size unknown), directories and big files. */
export async function readsInWorker(location: string): Promise<boolean> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return true;
  try {
    const info = await stat(location);
    return !info.isFile() || info.size >= READ_IN_WORKER_MIN_BYTES;
  } catch {
    return true; // missing or unreadable: the reader reports it, in the same words either way
  }
}
