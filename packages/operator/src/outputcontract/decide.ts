/**
 * The OutputContract controller's logic, pure: from the observed contract and its history ConfigMap to
 * the desired history, the status, the events and the metric values. No I/O, no clock: `now` is passed in.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  ChangeClass,
  type Condition,
  ConditionStatus,
  ConditionType,
  type OutputContractSpec,
  type OutputContractStatus,
  outputContractSpecSchema,
  Reason,
} from '@steward/api';
import { consumerStatus, diffContracts, type Finding, reviewContractVersion } from '@steward/contracts';
import { type ConditionUpdate, type RecordedEvent, setCondition } from '@steward/runtime';
import type { z } from 'zod';
import {
  boundHistory,
  type ConfigMapObject,
  HISTORY_LABEL,
  type HistoryEntry,
  type HistoryFinding,
  historyConfigMapName,
  readHistory,
  renderHistoryData,
} from './history.ts';

/** The contract as the cache holds it: the spec passed the CRD schema but not yet the zod refinements. */
export type ObservedOutputContract = KubernetesObject & { spec?: unknown; status?: OutputContractStatus };

export interface Observed {
  contract: ObservedOutputContract;
  /** The history ConfigMap, when it exists. */
  history: ConfigMapObject | undefined;
  now: Date;
}

/** A status merge patch: `null` removes a field that no longer applies. */
export type StatusPatch = { [K in keyof OutputContractStatus]?: OutputContractStatus[K] | null };

export interface ContractMetricValues {
  /** Breaking findings of the current version that its version bump does not announce. */
  unannouncedBreakingChanges: number;
  consumersOutOfRange: number;
  publishedVersions: number;
}

export interface Plan {
  /** The history ConfigMap to apply; undefined leaves it as it is (the spec is invalid). */
  history: { name: string; labels: Record<string, string>; data: Record<string, string> } | undefined;
  status: StatusPatch;
  events: RecordedEvent[];
  /** Undefined keeps the last values (an invalid spec says nothing new about the contract). */
  metrics: ContractMetricValues | undefined;
  /** History keys that could not be read and are dropped. */
  unreadableHistory: string[];
}

// Status bounds from @steward/api (findings and consumer lists; one change line's length).
const MAX_STATUS_ITEMS = 100;
const MAX_TEXT = 1024;
// Paths named in a condition message; the full list is in status.lastDiff.
const MAX_PATHS_IN_MESSAGE = 10;

export const EventAction = {
  Publish: 'Publish',
  CheckConsumers: 'CheckConsumers',
  Validate: 'Validate',
} as const;

export function decide({ contract, history, now }: Observed): Plan {
  const generation = contract.metadata?.generation ?? 0;
  const previousConditions = contract.status?.conditions;
  const parsed = outputContractSpecSchema.safeParse(contract.spec);
  if (!parsed.success)
    return invalidSpecPlan(generation, previousConditions, describeIssues(parsed.error), now);

  const spec = parsed.data;
  const read = readHistory(history);
  // A retry whose cached history is stale (the map was written, the cache not yet updated) would
  // record the version again; status was written after the map, so its publishedAt is the first one.
  const publishedAt =
    contract.status?.publishedVersions?.find((published) => published.version === spec.version)
      ?.publishedAt ?? `${now.toISOString().slice(0, 19)}Z`;
  const publication = publish(read.entries, spec, generation, publishedAt);
  const consumers = consumerStatus(spec.version, spec.consumers);
  const outOfRange = consumers.consumers.filter((consumer) => !consumer.satisfied);

  const bump = versionBumpCondition(publication.diff, spec.version, generation);
  const consumersCondition: ConditionUpdate =
    outOfRange.length === 0
      ? {
          type: ConditionType.ConsumersCompatible,
          status: ConditionStatus.True,
          reason: Reason.Reconciled,
          message:
            spec.consumers.length === 0
              ? 'no consumers declared'
              : `all ${spec.consumers.length} consumers accept ${spec.version}`,
          observedGeneration: generation,
        }
      : {
          type: ConditionType.ConsumersCompatible,
          status: ConditionStatus.False,
          reason: Reason.ConsumerRangeUnsatisfied,
          message: clip(outOfRange.map((consumer) => consumer.reason).join('; ')),
          observedGeneration: generation,
        };
  const failing = [bump, consumersCondition].find((condition) => condition.status !== ConditionStatus.True);
  const ready: ConditionUpdate = failing
    ? { ...failing, type: ConditionType.Ready }
    : {
        type: ConditionType.Ready,
        status: ConditionStatus.True,
        reason: Reason.Published,
        message: `version ${spec.version} published`,
        observedGeneration: generation,
      };

  const conditions = [ready, bump, consumersCondition].reduce<Condition[]>(
    (list, update) => setCondition(list, update, now),
    [...(previousConditions ?? [])],
  );
  const entries = publication.entries;
  const diff = publication.diff;
  return {
    history: {
      name: historyConfigMapName(contract.metadata?.name ?? ''),
      labels: { [HISTORY_LABEL]: contract.metadata?.name ?? '' },
      data: renderHistoryData(entries),
    },
    status: {
      observedGeneration: generation,
      conditions,
      latestVersion: spec.version,
      consumers: spec.consumers.length,
      incompatibleConsumers: outOfRange.slice(0, MAX_STATUS_ITEMS).map((consumer) => consumer.name),
      consumerStatuses: consumers.consumers.map((consumer) => ({
        name: consumer.name,
        accepts: consumer.accepts,
        inRange: consumer.satisfied,
        message: clip(consumer.reason),
      })),
      publishedVersions: entries.map((entry) => ({
        version: entry.version,
        publishedAt: entry.publishedAt,
        changeClass: entry.changeClass,
        ...(entry.findings.length === 0
          ? {}
          : {
              changes: entry.findings
                .slice(0, MAX_STATUS_ITEMS)
                .map((f) => clip(`${f.severity}: ${f.path} ${f.change}`)),
            }),
      })),
      lastDiff:
        diff === undefined
          ? null
          : {
              previousVersion: diff.previousVersion,
              version: spec.version,
              observedGeneration: diff.generation,
              changeClass: diff.changeClass,
              versionBumpSufficient: diff.sufficient,
              message: clip(diff.message),
              ...(diff.findings.length === 0
                ? {}
                : {
                    findings: diff.findings.slice(0, MAX_STATUS_ITEMS).map((f) => ({
                      path: f.path,
                      change: f.change,
                      severity: f.severity,
                      reason: clip(f.reason),
                    })),
                  }),
            },
    },
    events: eventsFor(previousConditions, [bump, consumersCondition]),
    metrics: {
      unannouncedBreakingChanges:
        bump.status === ConditionStatus.True ? 0 : (diff?.findings ?? []).filter(isBreaking).length,
      consumersOutOfRange: outOfRange.length,
      publishedVersions: entries.length,
    },
    unreadableHistory: read.unreadable,
  };
}

/** The diff that decides whether the current version is properly announced. */
interface Diff {
  previousVersion: string;
  generation: number;
  changeClass: HistoryEntry['changeClass'];
  sufficient: boolean;
  /** The version was published before with different content. */
  republished: boolean;
  message: string;
  findings: HistoryFinding[];
}

interface Publication {
  entries: HistoryEntry[];
  diff: Diff | undefined;
}

/**
 * Records `spec.version` unless it is already in the history. A version is immutable once published:
 * the same version with different content is reported (VersionNotIncreased) and not recorded again,
 * so re-running on the same generation never appends, and a rollback to an old version finds its entry.
 */
function publish(
  entries: HistoryEntry[],
  spec: OutputContractSpec,
  generation: number,
  publishedAt: string,
): Publication {
  const existing = entries.find((entry) => entry.version === spec.version);
  if (existing !== undefined) {
    const findings = diffContracts(existing.schema, spec.schema, spec.compatibility).map(toHistoryFinding);
    if (findings.length > 0) {
      return {
        entries,
        diff: {
          previousVersion: existing.version,
          generation,
          changeClass: classOf(findings),
          sufficient: false,
          republished: true,
          message: `the contract changed but its version did not (${spec.version} was published with different content)`,
          findings,
        },
      };
    }
    return { entries, diff: diffOfEntry(existing) };
  }
  const latest = entries.at(-1);
  const entry =
    latest === undefined
      ? initialEntry(spec, generation, publishedAt)
      : nextEntry(latest, spec, generation, publishedAt);
  return { entries: boundHistory([...entries, entry]), diff: diffOfEntry(entry) };
}

function initialEntry(spec: OutputContractSpec, generation: number, publishedAt: string): HistoryEntry {
  return {
    ...entryBase(spec, generation, publishedAt, 0),
    changeClass: ChangeClass.Initial,
    versionBumpSufficient: true,
    versionBumpMessage: `${spec.version} is the first published version`,
    findings: [],
  };
}

function nextEntry(
  latest: HistoryEntry,
  spec: OutputContractSpec,
  generation: number,
  publishedAt: string,
): HistoryEntry {
  const review = reviewContractVersion(
    { version: latest.version, schema: latest.schema },
    { version: spec.version, schema: spec.schema },
    { mode: spec.compatibility },
  );
  const findings = review.findings.map(toHistoryFinding);
  return {
    ...entryBase(spec, generation, publishedAt, latest.sequence + 1),
    previousVersion: latest.version,
    changeClass: classOf(findings),
    versionBumpSufficient: review.versionBump?.sufficient ?? false,
    versionBumpMessage: review.versionBump?.reason ?? 'no version bump verdict',
    findings,
  };
}

function entryBase(spec: OutputContractSpec, generation: number, publishedAt: string, sequence: number) {
  return {
    version: spec.version,
    sequence,
    publishedAt,
    generation,
    compatibility: spec.compatibility,
    schema: spec.schema,
  };
}

function diffOfEntry(entry: HistoryEntry): Diff | undefined {
  if (entry.previousVersion === undefined) return undefined;
  return {
    previousVersion: entry.previousVersion,
    generation: entry.generation,
    changeClass: entry.changeClass,
    sufficient: entry.versionBumpSufficient,
    republished: false,
    message: entry.versionBumpMessage,
    findings: entry.findings,
  };
}

function versionBumpCondition(diff: Diff | undefined, version: string, generation: number): ConditionUpdate {
  const base = { type: ConditionType.VersionBumpValid, observedGeneration: generation };
  if (diff === undefined || diff.sufficient) {
    const after =
      diff === undefined ? 'first published version' : `after ${diff.previousVersion}: ${diff.message}`;
    return {
      ...base,
      status: ConditionStatus.True,
      reason: Reason.Published,
      message: clip(`${version} published, ${after}`),
    };
  }
  const breaking = diff.findings.filter(isBreaking);
  if (breaking.length > 0 && !diff.republished) {
    return {
      ...base,
      status: ConditionStatus.False,
      reason: Reason.BreakingChangeWithoutMajorBump,
      message: clip(`breaking change without a major version bump: ${namePaths(breaking)}; ${diff.message}`),
    };
  }
  const changed = diff.findings.length > 0 ? `; changed: ${namePaths(diff.findings)}` : '';
  return {
    ...base,
    status: ConditionStatus.False,
    reason: Reason.VersionNotIncreased,
    message: clip(`${diff.message}${changed}`),
  };
}

function invalidSpecPlan(
  generation: number,
  previousConditions: readonly Condition[] | undefined,
  problems: string,
  now: Date,
): Plan {
  const ready: ConditionUpdate = {
    type: ConditionType.Ready,
    status: ConditionStatus.False,
    reason: Reason.InvalidSpec,
    message: clip(`the spec is invalid, nothing was published: ${problems}`),
    observedGeneration: generation,
  };
  const notEvaluated = (type: ConditionType): ConditionUpdate => ({
    type,
    status: ConditionStatus.Unknown,
    reason: Reason.InvalidSpec,
    message: 'not evaluated: the spec is invalid (see Ready)',
    observedGeneration: generation,
  });
  const updates = [
    ready,
    notEvaluated(ConditionType.VersionBumpValid),
    notEvaluated(ConditionType.ConsumersCompatible),
  ];
  const conditions = updates.reduce<Condition[]>(
    (list, update) => setCondition(list, update, now),
    [...(previousConditions ?? [])],
  );
  return {
    history: undefined,
    status: { observedGeneration: generation, conditions },
    events: eventsFor(previousConditions, [ready]),
    metrics: undefined,
    unreadableHistory: [],
  };
}

/**
 * Events tell what changed since the last status write, so a reconcile that re-runs on the same state
 * emits nothing. Every publication is news (VersionBumpValid's message names the version); consumers
 * are news when one falls out of range or all are back in range, not on every compatible version.
 * Unknown says nothing worth an event.
 */
function eventsFor(
  previous: readonly Condition[] | undefined,
  updates: readonly ConditionUpdate[],
): RecordedEvent[] {
  return updates
    .filter((update) => isNews(previous, update))
    .map((update) => ({
      type: update.status === ConditionStatus.True ? 'Normal' : 'Warning',
      reason: update.reason,
      action: actionOf(update),
      note: update.message,
    }));
}

function isNews(previous: readonly Condition[] | undefined, update: ConditionUpdate): boolean {
  if (update.status === ConditionStatus.Unknown) return false;
  const old = previous?.find((condition) => condition.type === update.type);
  if (update.type === ConditionType.ConsumersCompatible && update.status === ConditionStatus.True) {
    return old !== undefined && old.status !== ConditionStatus.True;
  }
  return old?.status !== update.status || old.reason !== update.reason || old.message !== update.message;
}

function actionOf(update: ConditionUpdate): string {
  if (update.type === ConditionType.ConsumersCompatible) return EventAction.CheckConsumers;
  return update.reason === Reason.InvalidSpec ? EventAction.Validate : EventAction.Publish;
}

function toHistoryFinding(finding: Finding): HistoryFinding {
  return { path: finding.path, change: finding.change, severity: finding.severity, reason: finding.reason };
}

function isBreaking(finding: HistoryFinding): boolean {
  return finding.severity === 'breaking';
}

function classOf(findings: readonly HistoryFinding[]): HistoryEntry['changeClass'] {
  if (findings.some(isBreaking)) return ChangeClass.Breaking;
  if (findings.some((f) => f.severity === 'additive')) return ChangeClass.Additive;
  return findings.length > 0 ? ChangeClass.Cosmetic : ChangeClass.None;
}

/** `score (field-removed), label (type-changed)`: the paths a user must look at, first. */
function namePaths(findings: readonly HistoryFinding[]): string {
  const named = findings.slice(0, MAX_PATHS_IN_MESSAGE).map((f) => `${f.path} (${f.change})`);
  const more = findings.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/** `spec.schema.fields[3]: enum is only allowed on string fields`, one issue per clause. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
        'spec',
      );
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 3)}...` : text;
}
