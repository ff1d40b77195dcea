/** The owner gate: a named person, reviewed within reviewInterval of `now` (injected, never read here). */
import { ConditionType, type ModelDeploymentSpec, parseDuration, Reason } from '@steward/api';
import { failure, type GateVerdict } from './verdict.ts';

const DAY_MS = 86_400_000;

export interface OwnerVerdict extends GateVerdict {
  /** YYYY-MM-DD the next review is due, when a review date is known. */
  reviewDue: string | undefined;
  /** The same instant in epoch milliseconds (reviewInterval may count hours). */
  dueAt: number | undefined;
  /** The review date passed: alert, and block new versions. */
  overdue: boolean;
}

export function ownerGate(owner: ModelDeploymentSpec['owner'], now: Date): OwnerVerdict {
  const base = {
    type: ConditionType.OwnerReviewed,
    passed: '',
    reviewDue: undefined,
    dueAt: undefined,
    overdue: false,
  };
  if (owner === undefined) {
    const missing =
      'spec.owner is not set: name the person accountable for this model (no owner, no rollout)';
    return { ...base, failures: [failure(Reason.OwnerMissing, missing)] };
  }
  if (owner.name.trim() === '') {
    return { ...base, failures: [failure(Reason.OwnerMissing, 'spec.owner.name is blank')] };
  }
  if (owner.lastReviewed === undefined) {
    const never = `spec.owner.lastReviewed is not set: ${owner.name} has never confirmed ownership`;
    return { ...base, failures: [failure(Reason.OwnerNeverReviewed, never)] };
  }
  const reviewed = Date.parse(`${owner.lastReviewed}T00:00:00Z`);
  const today = now.toISOString().slice(0, 10);
  if (owner.lastReviewed > today) {
    const future = `spec.owner.lastReviewed ${owner.lastReviewed} is in the future (today is ${today}): a review cannot be dated ahead`;
    return { ...base, failures: [failure(Reason.OwnerNeverReviewed, future)] };
  }
  const dueAt = reviewed + parseDuration(owner.reviewInterval);
  const reviewDue = new Date(dueAt).toISOString().slice(0, 10);
  if (now.getTime() >= dueAt) {
    const days = Math.floor((now.getTime() - dueAt) / DAY_MS);
    const overdue = `spec.owner.lastReviewed ${owner.lastReviewed} is older than reviewInterval ${owner.reviewInterval}: the review by ${owner.name} was due on ${reviewDue} (${days} days ago)`;
    return {
      ...base,
      reviewDue,
      dueAt,
      overdue: true,
      failures: [failure(Reason.OwnerReviewOverdue, overdue)],
    };
  }
  return {
    ...base,
    reviewDue,
    dueAt,
    failures: [],
    passed: `owned by ${owner.name} <${owner.email}>, reviewed ${owner.lastReviewed}, next review due ${reviewDue}`,
  };
}
