import {
  CheckOutcome,
  type CheckResult,
  ConditionStatus,
  ConditionType,
  DriftMonitorReason,
  SharedReason,
} from '@steward/api';
import { isBreach } from '@steward/drift';
import type { ConditionUpdate } from '@steward/runtime';
import { failedParts } from './results.ts';

type Update = Omit<ConditionUpdate, 'observedGeneration'>;

/** A condition that speaks of the last check, before any check has completed. */
function awaitingFirstCheck(type: string): Update {
  return {
    type,
    status: ConditionStatus.False,
    reason: DriftMonitorReason.AwaitingFirstCheck,
    message: 'no check has completed yet',
  };
}

/** DriftDetected: the last check's outcome is its reason; True for a breach, Unknown when it failed. */
export function driftDetected(result: CheckResult | undefined): Update {
  const type = ConditionType.DriftDetected;
  if (result === undefined) return awaitingFirstCheck(type);
  const message = result.message ?? result.outcome;
  const status = isBreach(result.outcome)
    ? ConditionStatus.True
    : result.outcome === CheckOutcome.Failed
      ? ConditionStatus.Unknown
      : ConditionStatus.False;
  return { type, status, reason: result.outcome, message };
}

/** CheckFailing: True when the last check, or a part of it, could not run; the message names each. */
export function checkFailing(result: CheckResult | undefined): Update {
  const type = ConditionType.CheckFailing;
  if (result === undefined) return awaitingFirstCheck(type);
  const failed = failedParts(result);
  if (failed.length === 0) {
    return {
      type,
      status: ConditionStatus.False,
      reason: DriftMonitorReason.CheckSucceeded,
      message: `check Job ${result.job ?? ''} ran every part`.replace('  ', ' '),
    };
  }
  return { type, status: ConditionStatus.True, reason: 'Failed', message: failed.join('; ') };
}

/** CheckStale: no successful check within the allowed number of schedule periods. */
export function checkStale(input: {
  suspended: boolean;
  lastSuccess: string | undefined;
  staleAt: Date | undefined;
  now: Date;
  periods: number;
}): Update {
  const type = ConditionType.CheckStale;
  if (input.suspended) {
    return {
      type,
      status: ConditionStatus.False,
      reason: DriftMonitorReason.Suspended,
      message: 'checks are suspended',
    };
  }
  const since =
    input.lastSuccess === undefined
      ? 'no successful check yet'
      : `last successful check at ${input.lastSuccess}`;
  if (input.staleAt !== undefined && input.now.getTime() >= input.staleAt.getTime()) {
    return {
      type,
      status: ConditionStatus.True,
      reason: DriftMonitorReason.NoRecentSuccess,
      message: `${since}; none within ${input.periods} schedule periods (stale since ${input.staleAt.toISOString()})`,
    };
  }
  return {
    type,
    status: ConditionStatus.False,
    reason:
      input.lastSuccess === undefined
        ? DriftMonitorReason.AwaitingFirstCheck
        : DriftMonitorReason.RecentSuccess,
    message:
      input.staleAt === undefined
        ? since
        : `${since}; stale from ${input.staleAt.toISOString()} without another`,
  };
}

/** Ready: the check is scheduled (or suspended) for an existing target; the message carries warnings. */
export function ready(input: {
  invalid?: string | undefined;
  targetMissing?: string | undefined;
  suspended: boolean;
  cronJob: string;
  schedule: string;
  warnings: readonly string[];
}): Update {
  const type = ConditionType.Ready;
  const warnings = input.warnings.length > 0 ? `; warning: ${input.warnings.join('; warning: ')}` : '';
  if (input.invalid !== undefined) {
    return { type, status: ConditionStatus.False, reason: SharedReason.InvalidSpec, message: input.invalid };
  }
  if (input.targetMissing !== undefined) {
    return {
      type,
      status: ConditionStatus.False,
      reason: SharedReason.ReferenceNotFound,
      message: `${input.targetMissing}${warnings}`,
    };
  }
  if (input.suspended) {
    return {
      type,
      status: ConditionStatus.True,
      reason: DriftMonitorReason.Suspended,
      message: `CronJob ${input.cronJob} is suspended${warnings}`,
    };
  }
  return {
    type,
    status: ConditionStatus.True,
    reason: DriftMonitorReason.CheckScheduled,
    message: `CronJob ${input.cronJob} runs the check on "${input.schedule}"${warnings}`,
  };
}
