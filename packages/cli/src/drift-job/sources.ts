import { parseDuration } from '@steward/api';
import type { DataFormat, TimeWindow } from '@steward/drift';
import { locationOf } from './locations.ts';

/** A DriftMonitor data source as the spec gives it (baseline.source, current, labels, samples). */
export interface SourceSpec {
  uri: string;
  format: DataFormat;
  timestampColumn?: string | undefined;
  window?: string | undefined;
}

export interface ReadSettings {
  location: string;
  format: DataFormat;
  window?: TimeWindow;
}

/** Where and how to read a source, with its window measured back from `now`. */
export function readSettings(source: SourceSpec, now: Date, pvcRoot?: string): ReadSettings {
  const settings: ReadSettings = { location: locationOf(source.uri, pvcRoot), format: source.format };
  if (source.window !== undefined && source.timestampColumn !== undefined) {
    settings.window = {
      column: source.timestampColumn,
      notBefore: now.getTime() - parseDuration(source.window),
    };
  }
  return settings;
}
