/** The OutputContract's version and consumer conditions, and the events their changes emit; pure. */
import { type Condition, ConditionStatus, ConditionType, Reason } from '@steward/api';
import type { ConsumerVerdict } from '@steward/contracts';
import type { ConditionUpdate, RecordedEvent } from '@steward/runtime';
import type { HistoryFinding } from './history.ts';
import { type Diff, isBreaking } from './publish.ts';

// Status lines and event notes above 1 KiB are rejected by the API (events) or unreadable (status).
const MAX_TEXT = 1024;
// Paths named in a condition message; the full list is in status.lastDiff.
const MAX_PATHS_IN_MESSAGE = 10;

export const EventAction = {
  Publish: 'Publish',
  CheckConsumers: 'CheckConsumers',
  Validate: 'Validate',
} as const;

export function versionBumpCondition(
  diff: Diff | undefined,
  version: string,
  generation: number,
): ConditionUpdate {
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

export function consumersCondition(
  version: string,
  consumers: readonly ConsumerVerdict[],
  generation: number,
): ConditionUpdate {
  const base = { type: ConditionType.ConsumersCompatible, observedGeneration: generation };
  const outOfRange = consumers.filter((consumer) => !consumer.satisfied);
  if (outOfRange.length > 0) {
    return {
      ...base,
      status: ConditionStatus.False,
      reason: Reason.ConsumerRangeUnsatisfied,
      message: clip(outOfRange.map((consumer) => consumer.reason).join('; ')),
    };
  }
  return {
    ...base,
    status: ConditionStatus.True,
    reason: Reason.Reconciled,
    message:
      consumers.length === 0
        ? 'no consumers declared'
        : `all ${consumers.length} consumers accept ${version}`,
  };
}

/**
 * Events tell what changed since the last status write, so a reconcile that re-runs on the same state
 * emits nothing. Every publication is news (VersionBumpValid's message names the version); consumers
 * are news when one falls out of range or all are back in range, not on every compatible version.
 * Unknown says nothing worth an event.
 */
export function eventsFor(
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

/** `score (field-removed), label (type-changed)`: the paths a user must look at, first. */
function namePaths(findings: readonly HistoryFinding[]): string {
  const named = findings.slice(0, MAX_PATHS_IN_MESSAGE).map((f) => `${f.path} (${f.change})`);
  const more = findings.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

export function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 3)}...` : text;
}
