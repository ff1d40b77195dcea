/**
 * The history ConfigMap of an OutputContract: one key per published version holding its full schema and
 * the diff against the version published before it. Status keeps only a bounded summary; this map is
 * where a later diff (or an auditor) reads what an older version looked like.
 */
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ChangeClass, GROUP, MAX_PUBLISHED_VERSIONS } from '@steward/api';
import { compatibilityModeSchema, contractSchemaSchema, SEVERITIES } from '@steward/contracts';
import { z } from 'zod';
import { childName } from '../child-name.ts';

/** Marks history ConfigMaps (value: the contract name), so the operator watches only its own maps. */
export const HISTORY_LABEL = `${GROUP}/output-contract`;
const HISTORY_SUFFIX = '-history';
const KEY_PREFIX = 'v';
const KEY_SUFFIX = '.json';
// Label values are at most 63 characters.
const MAX_LABEL_VALUE = 63;
// Enough hash to keep two long contract names apart after truncation.
const NAME_HASH_LENGTH = 10;
// A ConfigMap holds at most 1 MiB; leave room for metadata and managedFields.
export const MAX_HISTORY_BYTES = 768 * 1024;

const historyFindingSchema = z.object({
  path: z.string(),
  change: z.string(),
  severity: z.enum(SEVERITIES),
  reason: z.string(),
});
export type HistoryFinding = z.infer<typeof historyFindingSchema>;

export const historyEntrySchema = z.object({
  version: z.string(),
  /** Publication order; versions are not ordered by semver (a hotfix 1.4.1 may follow 2.0.0). */
  sequence: z.int().min(0),
  publishedAt: z.string(),
  generation: z.int().min(0),
  compatibility: compatibilityModeSchema,
  schema: contractSchemaSchema,
  previousVersion: z.string().optional(),
  changeClass: z.enum([
    ChangeClass.Initial,
    ChangeClass.Breaking,
    ChangeClass.Additive,
    ChangeClass.Cosmetic,
    ChangeClass.None,
  ]),
  versionBumpSufficient: z.boolean(),
  versionBumpMessage: z.string(),
  findings: z.array(historyFindingSchema),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export type ConfigMapObject = KubernetesObject & { data?: Record<string, string> };

/** Deterministic, so every reconcile (and every replica) finds the same map. */
export function historyConfigMapName(contractName: string): string {
  return childName(contractName, HISTORY_SUFFIX);
}

/** The HISTORY_LABEL value: the contract name, hashed when it is longer than a label value may be. */
export function historyLabelValue(contractName: string): string {
  return contractName.length <= MAX_LABEL_VALUE ? contractName : hashOf(contractName);
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, NAME_HASH_LENGTH);
}

/** ConfigMap keys allow `[-._a-zA-Z0-9]`; semver's only other character is `+` (build metadata), never `_`. */
export function historyKey(version: string): string {
  return `${KEY_PREFIX}${version.replaceAll('+', '_')}${KEY_SUFFIX}`;
}

export interface ReadHistory {
  /** Valid entries, in publication order. */
  entries: HistoryEntry[];
  /** Keys that could not be read (edited by hand, or written by a newer operator); they are dropped. */
  unreadable: string[];
}

export function readHistory(configMap: ConfigMapObject | undefined): ReadHistory {
  const entries: HistoryEntry[] = [];
  const unreadable: string[] = [];
  for (const [key, value] of Object.entries(configMap?.data ?? {})) {
    if (!key.startsWith(KEY_PREFIX) || !key.endsWith(KEY_SUFFIX)) continue;
    const parsed = historyEntrySchema.safeParse(parseJson(value));
    if (parsed.success && historyKey(parsed.data.version) === key) entries.push(parsed.data);
    else unreadable.push(key);
  }
  entries.sort((a, b) => a.sequence - b.sequence);
  return { entries, unreadable };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Drops the oldest entries beyond the count and byte limits; the newest entry is always kept. */
export function boundHistory(entries: readonly HistoryEntry[]): HistoryEntry[] {
  const kept = entries.slice(-MAX_PUBLISHED_VERSIONS);
  let bytes = kept.reduce((sum, entry) => sum + entryBytes(entry), 0);
  while (kept.length > 1 && bytes > MAX_HISTORY_BYTES) {
    const dropped = kept.shift();
    if (dropped !== undefined) bytes -= entryBytes(dropped);
  }
  return kept;
}

export function entryBytes(entry: HistoryEntry): number {
  return historyKey(entry.version).length + Buffer.byteLength(JSON.stringify(entry));
}

export function renderHistoryData(entries: readonly HistoryEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [historyKey(entry.version), JSON.stringify(entry)]));
}
