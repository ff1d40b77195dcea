/**
 * The audit trail. Every decision goes into status.history (bounded, newest last) and into the audit
 * record, an owned ConfigMap holding far more entries as JSON Lines. Status is the source the record
 * is rebuilt from: a deleted record comes back with every entry status still holds, and entries are
 * only ever added to it, never rewritten (the bound drops the oldest).
 */
import { Decision, MAX_HISTORY, modelDeploymentStatusSchema } from '@steward/api';
import type { AuditEntry } from './card/facts.ts';

export const AUDIT_RECORD_KEY = 'audit.jsonl';
// Enough for years of decisions; a ConfigMap holds at most 1 MiB, so the bytes bound below holds first.
export const MAX_AUDIT_RECORD_ENTRIES = 5000;
// Leave room under the 1 MiB ConfigMap limit for metadata and managedFields.
export const MAX_AUDIT_RECORD_BYTES = 768 * 1024;

const auditEntrySchema = modelDeploymentStatusSchema.shape.history.unwrap().element;

/** The history with `entries` appended, bounded to the newest MAX_HISTORY. */
export function appendHistory(history: readonly AuditEntry[], entries: readonly AuditEntry[]): AuditEntry[] {
  return [...history, ...entries].slice(-MAX_HISTORY);
}

export interface AuditRecord {
  entries: AuditEntry[];
  /** Lines that are not audit entries (edited by hand): dropped, and reported. */
  unreadableLines: number;
}

export function readAuditRecord(data: Readonly<Record<string, string>> | undefined): AuditRecord {
  const entries: AuditEntry[] = [];
  let unreadableLines = 0;
  for (const line of (data?.[AUDIT_RECORD_KEY] ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const parsed = auditEntrySchema.safeParse(parseJson(line));
    if (parsed.success) entries.push(parsed.data);
    else unreadableLines += 1;
  }
  return { entries, unreadableLines };
}

/**
 * The record after this decision: what it held, plus every status entry it does not hold yet (a
 * recreated record gets all of status back), in time order, bounded by count and bytes.
 */
export function mergeAuditRecord(
  record: readonly AuditEntry[],
  history: readonly AuditEntry[],
): AuditEntry[] {
  const seen = new Set(record.map(entryKey));
  const merged = [...record, ...history.filter((entry) => !seen.has(entryKey(entry)))];
  merged.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const bounded = merged.slice(-MAX_AUDIT_RECORD_ENTRIES);
  let bytes = bounded.reduce((sum, entry) => sum + lineBytes(entry), 0);
  while (bounded.length > 1 && bytes > MAX_AUDIT_RECORD_BYTES) {
    const dropped = bounded.shift();
    if (dropped !== undefined) bytes -= lineBytes(dropped);
  }
  return bounded;
}

export function renderAuditRecord(entries: readonly AuditEntry[]): Record<string, string> {
  return { [AUDIT_RECORD_KEY]: entries.map((entry) => `${JSON.stringify(entry)}\n`).join('') };
}

/** The version that served at `time`: the last one rolled out at or before it, per the record. */
export function versionServedAt(entries: readonly AuditEntry[], time: string): string | undefined {
  return entries.filter((entry) => entry.decision === Decision.RolledOut && entry.time <= time).at(-1)
    ?.version;
}

function entryKey(entry: AuditEntry): string {
  return JSON.stringify([
    entry.time,
    entry.version,
    entry.decision,
    entry.reasons ?? [],
    entry.message ?? '',
  ]);
}

function lineBytes(entry: AuditEntry): number {
  return Buffer.byteLength(JSON.stringify(entry)) + 1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
