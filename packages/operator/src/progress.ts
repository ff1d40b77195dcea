/**
 * kstatus' two abnormal-true conditions, which Flux, Argo CD and kpt read without a plugin:
 * - Reconciling: the controller is still working toward the spec (a rollout under way, a version to wait for);
 * - Stalled: it cannot get there without a change by a person (an invalid spec, a missing reference, a
 *   blocked rollout).
 * Neither: it got there. Each is present, with status True, only while it holds, and removed otherwise:
 * kstatus reads an absent one like False.
 */
import { type Condition, ConditionType, Reason } from '@steward/api';
import { type ConditionUpdate, setCondition } from '@steward/runtime';

/** Why a resource is reconciling or stalled: the condition's reason and message. */
export interface ProgressCause {
  reason: string;
  message: string;
}

export interface Progress {
  reconciling?: ProgressCause | undefined;
  stalled?: ProgressCause | undefined;
}

/**
 * Returns the list with Reconciling and Stalled set from `progress` (the others untouched). Stalled wins
 * over Reconciling: a controller that cannot progress is not progressing. `observedGeneration` is the
 * generation decided on.
 */
export function setProgress(
  conditions: readonly Condition[] | undefined,
  progress: Progress,
  observedGeneration: number,
  now: Date,
): Condition[] {
  const reconciling = progress.stalled === undefined ? progress.reconciling : undefined;
  let list = [...(conditions ?? [])];
  for (const [type, cause] of [
    [ConditionType.Reconciling, reconciling],
    [ConditionType.Stalled, progress.stalled],
  ] as const) {
    list =
      cause === undefined
        ? list.filter((condition) => condition.type !== type)
        : setCondition(list, { type, status: 'True', ...cause, observedGeneration }, now);
  }
  return list;
}

/** Ready reasons no reconcile gets past: the spec, or the object it names, must change. */
export const NEEDS_A_CHANGE: ReadonlySet<string> = new Set([Reason.InvalidSpec, Reason.ReferenceNotFound]);

/**
 * Stalled, with Ready's reason and message, while Ready is False for one of `reasons` (for any reason when
 * none are given); nothing otherwise. A DriftMonitor's drift or a failed fire drill is the resource doing its
 * job and reporting what it found, not a controller that cannot progress: callers leave those reasons out.
 */
export function stalledWhenNotReady(ready: ConditionUpdate, reasons?: ReadonlySet<string>): Progress {
  if (ready.status !== 'False' || (reasons !== undefined && !reasons.has(ready.reason))) return {};
  return { stalled: { reason: ready.reason, message: ready.message } };
}
