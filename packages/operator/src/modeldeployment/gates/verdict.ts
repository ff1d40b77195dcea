/** The shape every rollout gate returns, so decide, `steward check` and the docs read them alike. */
import { ConditionStatus, type ConditionType, Reason } from '@steward/api';
import type { ConditionUpdate } from '@steward/runtime';

/** One reason a gate fails; the message names the spec field and the measured value. */
export interface GateFailure {
  reason: Reason;
  message: string;
}

export interface GateVerdict {
  /** The condition this gate reports on. */
  type: ConditionType;
  failures: GateFailure[];
  /** What the True condition says when the gate passes. */
  passed: string;
}

export function failure(reason: Reason, message: string): GateFailure {
  return { reason, message };
}

// Conditions and events are read by people: cap a message that lists many failures.
const MAX_MESSAGE = 1024;

export function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 3)}...` : text;
}

/** The gate's condition: True with the pass message, or False with the first reason and every message. */
export function gateCondition(verdict: GateVerdict, generation: number): ConditionUpdate {
  const [first] = verdict.failures;
  if (first === undefined) {
    return {
      type: verdict.type,
      status: ConditionStatus.True,
      reason: Reason.Reconciled,
      message: clip(verdict.passed),
      observedGeneration: generation,
    };
  }
  return {
    type: verdict.type,
    status: ConditionStatus.False,
    reason: first.reason,
    message: clip(verdict.failures.map((f) => f.message).join('; ')),
    observedGeneration: generation,
  };
}
