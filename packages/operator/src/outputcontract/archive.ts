/**
 * The history's durable copy: every entry of the history ConfigMap, gzip-compressed into
 * `status.historyArchive`. A user can delete or damage the map, but status goes only with the contract,
 * so the controller writes the map back from it with every version and its full schema, like the
 * ModelDeployment rebuilds its audit record from status. Pure (zlib's output is deterministic), so an
 * unchanged history writes an unchanged status.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { HistoryArchiveEncoding, MAX_HISTORY_ARCHIVE_CHARS, type OutputContractStatus } from '@steward/api';
import { type HistoryEntry, historyEntrySchema, type ReadHistory } from './history.ts';

export type HistoryArchive = NonNullable<OutputContractStatus['historyArchive']>;

/** Named in `unreadable` when the archive itself cannot be decoded. */
export const ARCHIVE_FIELD = 'status.historyArchive';
// Contract histories compress well (versions repeat each other); zlib's strongest level costs a few
// milliseconds on the largest history the map allows.
const COMPRESSION_LEVEL = 9;

/** The newest entries that fit MAX_HISTORY_ARCHIVE_CHARS (normally all of them), encoded. */
export function archiveHistory(entries: readonly HistoryEntry[]): HistoryArchive {
  let kept = [...entries];
  let data = encode(kept);
  while (kept.length > 0 && data.length > MAX_HISTORY_ARCHIVE_CHARS) {
    // Past the bound, compressed size is roughly proportional to the entries: jump close, then step.
    const estimate = Math.floor((kept.length * MAX_HISTORY_ARCHIVE_CHARS) / data.length);
    kept = kept.slice(kept.length - Math.min(kept.length - 1, estimate));
    data = encode(kept);
  }
  return {
    encoding: HistoryArchiveEncoding.GzipBase64,
    versions: kept.length,
    ...(kept[0] === undefined ? {} : { oldestVersion: kept[0].version }),
    data,
  };
}

function encode(entries: readonly HistoryEntry[]): string {
  return gzipSync(JSON.stringify(entries), { level: COMPRESSION_LEVEL }).toString('base64');
}

/** The archived entries; an archive that cannot be decoded (edited by hand) yields none and is named. */
export function readArchive(archive: HistoryArchive | undefined): ReadHistory {
  if (archive === undefined) return { entries: [], unreadable: [] };
  let decoded: unknown;
  try {
    decoded = JSON.parse(gunzipSync(Buffer.from(archive.data, 'base64')).toString('utf8'));
  } catch {
    return { entries: [], unreadable: [ARCHIVE_FIELD] };
  }
  if (!Array.isArray(decoded)) return { entries: [], unreadable: [ARCHIVE_FIELD] };
  const entries: HistoryEntry[] = [];
  const unreadable: string[] = [];
  decoded.forEach((item: unknown, index) => {
    const parsed = historyEntrySchema.safeParse(item);
    if (parsed.success) entries.push(parsed.data);
    else unreadable.push(`${ARCHIVE_FIELD}[${index}]`);
  });
  return { entries, unreadable };
}

/**
 * The history both copies hold together, in publication order. Where both hold a version the archive
 * wins: only the controller writes status, while anyone who may edit ConfigMaps can edit the map.
 */
export function mergeHistories(
  archived: readonly HistoryEntry[],
  mapped: readonly HistoryEntry[],
): HistoryEntry[] {
  const byVersion = new Map(mapped.map((entry) => [entry.version, entry]));
  for (const entry of archived) byVersion.set(entry.version, entry);
  return [...byVersion.values()].sort((a, b) => a.sequence - b.sequence);
}
