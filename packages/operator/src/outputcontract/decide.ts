/**
 * The OutputContract controller's logic, pure: from the observed contract and its history ConfigMap to
 * a plan for the runtime's `act` — the history map to apply, the status, the events and the metric
 * values. No I/O, no clock: `now` is passed in.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  type Condition,
  ConditionStatus,
  ConditionType,
  type OutputContractStatus,
  outputContractSpecSchema,
  Reason,
} from '@steward/api';
import { consumerStatus } from '@steward/contracts';
import {
  type ConditionUpdate,
  ConfigMapType,
  type Plan,
  type RecordedEvent,
  setCondition,
} from '@steward/runtime';
import { setProgress, stalledWhenNotReady } from '../progress.ts';
import { describeIssues } from '../spec-issues.ts';
import { archiveHistory, mergeHistories, readArchive } from './archive.ts';
import { clip, consumersCondition, eventsFor, versionBumpCondition } from './conditions.ts';
import {
  type ConfigMapObject,
  entryBytes,
  HISTORY_LABEL,
  historyConfigMapName,
  historyLabelValue,
  MAX_HISTORY_BYTES,
  readHistory,
  renderHistoryData,
} from './history.ts';
import { isBreaking, publish } from './publish.ts';

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

export interface OutputContractPlan extends Plan<StatusPatch, ContractMetricValues> {
  /** The history ConfigMap, alone; none leaves the map as it is (the spec is invalid). */
  readonly apply: readonly [{ type: typeof ConfigMapType; object: ConfigMapObject }] | readonly [];
  readonly status: StatusPatch;
  readonly events: RecordedEvent[];
  /** Undefined keeps the last values (an invalid spec says nothing new about the contract). */
  readonly metrics: ContractMetricValues | undefined;
  /** History keys (or archive items) that could not be read and are dropped. */
  readonly unreadableHistory: string[];
}

// Status bound from @steward/api on findings and consumer lists.
const MAX_STATUS_ITEMS = 100;

export function decide({ contract, history, now }: Observed): OutputContractPlan {
  const generation = contract.metadata?.generation ?? 0;
  const previousConditions = contract.status?.conditions;
  const parsed = outputContractSpecSchema.safeParse(contract.spec);
  if (!parsed.success)
    return invalidSpecPlan(generation, previousConditions, describeIssues(parsed.error), now);

  const spec = parsed.data;
  const read = readHistory(history);
  // The archive in status holds what a deleted or damaged map lost.
  const archived = readArchive(contract.status?.historyArchive);
  // A retry whose cached history is stale (the map was written, the cache not yet updated) would
  // record the version again; status was written after the map, so its publishedAt is the first one.
  const publishedAt =
    contract.status?.publishedVersions?.find((published) => published.version === spec.version)
      ?.publishedAt ?? `${now.toISOString().slice(0, 19)}Z`;
  const publication = publish(mergeHistories(archived.entries, read.entries), spec, {
    generation,
    publishedAt,
    currentVersion: contract.status?.latestVersion,
  });
  const current = publication.entries.find((entry) => entry.version === spec.version);
  const bytes = current === undefined ? 0 : entryBytes(current);
  if (bytes > MAX_HISTORY_BYTES) {
    // The API server would reject the ConfigMap on every retry: say so once, in status.
    const problem = `the contract is too large to keep in its history ConfigMap (${bytes} bytes, at most ${MAX_HISTORY_BYTES}); shorten descriptions or label sets`;
    return invalidSpecPlan(generation, previousConditions, problem, now);
  }
  const consumers = consumerStatus(spec.version, spec.consumers).consumers;
  const outOfRange = consumers.filter((consumer) => !consumer.satisfied);

  const bump = versionBumpCondition(publication.diff, spec.version, generation);
  const inRange = consumersCondition(spec.version, consumers, generation);
  const failing = [bump, inRange].find((condition) => condition.status !== ConditionStatus.True);
  const ready: ConditionUpdate = failing
    ? { ...failing, type: ConditionType.Ready }
    : {
        type: ConditionType.Ready,
        status: ConditionStatus.True,
        reason: Reason.Published,
        message: `version ${spec.version} published`,
        observedGeneration: generation,
      };

  // Every reason the contract is not Ready (a bump too small, a consumer out of range) waits for a person.
  const conditions = setProgress(
    [ready, bump, inRange].reduce<Condition[]>(
      (list, update) => setCondition(list, update, now),
      [...(previousConditions ?? [])],
    ),
    stalledWhenNotReady(ready),
    generation,
    now,
  );
  const entries = publication.entries;
  const diff = publication.diff;
  const contractName = contract.metadata?.name ?? '';
  return {
    apply: [
      {
        type: ConfigMapType,
        object: {
          metadata: {
            namespace: contract.metadata?.namespace,
            name: historyConfigMapName(contractName),
            labels: { [HISTORY_LABEL]: historyLabelValue(contractName) },
          },
          data: renderHistoryData(entries),
        },
      },
    ],
    status: {
      observedGeneration: generation,
      conditions,
      latestVersion: spec.version,
      consumers: spec.consumers.length,
      incompatibleConsumers: outOfRange.slice(0, MAX_STATUS_ITEMS).map((consumer) => consumer.name),
      consumerStatuses: consumers.map((consumer) => ({
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
      historyArchive: archiveHistory(entries),
    },
    events: eventsFor(previousConditions, [bump, inRange]),
    metrics: {
      unannouncedBreakingChanges:
        bump.status === ConditionStatus.True ? 0 : (diff?.findings ?? []).filter(isBreaking).length,
      consumersOutOfRange: outOfRange.length,
      publishedVersions: entries.length,
    },
    unreadableHistory: [...read.unreadable, ...archived.unreadable],
  };
}

function invalidSpecPlan(
  generation: number,
  previousConditions: readonly Condition[] | undefined,
  problems: string,
  now: Date,
): OutputContractPlan {
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
  const conditions = setProgress(
    updates.reduce<Condition[]>(
      (list, update) => setCondition(list, update, now),
      [...(previousConditions ?? [])],
    ),
    stalledWhenNotReady(ready),
    generation,
    now,
  );
  return {
    apply: [],
    status: { observedGeneration: generation, conditions },
    events: eventsFor(previousConditions, [ready]),
    metrics: undefined,
    unreadableHistory: [],
  };
}
