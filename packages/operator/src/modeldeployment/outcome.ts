/** What a decision tells people: conditions, audit entries and the events that announce them; pure. */
import {
  type Condition,
  ConditionStatus,
  ConditionType,
  Decision,
  type ModelDeploymentSpec,
  type ModelDeploymentStatus,
  Reason,
} from '@steward/api';
import { type ConditionUpdate, type RecordedEvent, setCondition } from '@steward/runtime';
import { type Progress, setProgress } from '../progress.ts';
import type { AuditEntry } from './card/facts.ts';
import { clip, type GateFailure, type GateReport, gateCondition } from './gates/index.ts';
import { type RolledBack, type Rollout, RolloutState } from './rollout.ts';
import type { Admitted } from './serving.ts';

/** The version an audit entry names while versionFrom has resolved none yet. */
export const UNRESOLVED_VERSION = 'unresolved';

export const EventAction = {
  Admit: 'Admit',
  Block: 'Block',
  RollOut: 'RollOut',
  Review: 'Review',
  Approve: 'Approve',
  Revert: 'Revert',
  RollBack: 'RollBack',
} as const;

interface ConditionInputs {
  report: GateReport | undefined;
  failures: readonly GateFailure[];
  blocked: boolean;
  admitted: Admitted | undefined;
  rollout: Rollout | undefined;
  generation: number;
  previous: ModelDeploymentStatus;
  now: Date;
}

export function conditionsOf(inputs: ConditionInputs): Condition[] {
  const { report, failures, blocked, admitted, rollout, generation } = inputs;
  const gates: ConditionUpdate[] =
    report === undefined
      ? [ConditionType.OwnerReviewed, ConditionType.ContractSatisfied, ConditionType.GovernanceSatisfied].map(
          (type) => ({
            type,
            status: ConditionStatus.Unknown,
            reason: Reason.InvalidSpec,
            message: 'not evaluated: the spec is invalid (see RolloutBlocked)',
            observedGeneration: generation,
          }),
        )
      : [report.owner, report.contract, report.governance].map((verdict) =>
          gateCondition(verdict, generation),
        );
  const serving = admitted === undefined ? 'nothing is served yet' : `${admitted.version} keeps serving`;
  const [first] = failures;
  const rolloutBlocked: ConditionUpdate =
    blocked && first !== undefined
      ? {
          type: ConditionType.RolloutBlocked,
          status: ConditionStatus.True,
          reason: first.reason,
          message: clip(`${serving}; ${failures.map((f) => f.message).join('; ')}`),
          observedGeneration: generation,
        }
      : {
          type: ConditionType.RolloutBlocked,
          status: ConditionStatus.False,
          reason: failures.length === 0 ? Reason.AllGatesPassed : Reason.Reconciled,
          message:
            failures.length === 0
              ? `every gate passed; ${admitted?.version} admitted`
              : `nothing new to roll out; ${serving} (see the failing gate conditions)`,
          observedGeneration: generation,
        };
  const ready = readyOf(failures, rollout, generation);
  const reviewOverdue = reviewOverdueOf(report, generation);
  const conditions = [ready, ...gates, rolloutBlocked, reviewOverdue].reduce<Condition[]>(
    (list, update) => setCondition(list, update, inputs.now),
    [...(inputs.previous.conditions ?? [])],
  );
  return setProgress(conditions, progressOf(failures, rollout), generation, inputs.now);
}

/**
 * kstatus' view: a failing gate (or a rollout stuck with nothing to roll back to) waits for a person, so
 * the model is Stalled; a rollout under way, or a version still to come from the pipeline, is progress.
 */
function progressOf(failures: readonly GateFailure[], rollout: Rollout | undefined): Progress {
  const [first] = failures;
  if (first !== undefined) {
    const cause = { reason: first.reason, message: clip(first.message) };
    return first.reason === Reason.VersionPending ? { reconciling: cause } : { stalled: cause };
  }
  if (rollout?.state === RolloutState.Stuck) {
    return { stalled: { reason: Reason.RolloutStuck, message: rollout.message } };
  }
  if (rollout?.state === RolloutState.RolledOut) return {};
  const message = rollout?.message ?? 'waiting for the first admitted version';
  return { reconciling: { reason: Reason.RolloutProgressing, message } };
}

/**
 * ReviewOverdue, abnormal-true like RolloutBlocked: True exactly while steward_owner_review_overdue is 1, so
 * `kubectl wait --for=condition=ReviewOverdue` and Argo CD's health see what the alert sees. Unknown while
 * there is no review date to be overdue against: OwnerReviewed (the gate) says what is missing.
 */
function reviewOverdueOf(report: GateReport | undefined, generation: number): ConditionUpdate {
  const base = { type: ConditionType.ReviewOverdue, observedGeneration: generation };
  const owner = report?.owner;
  if (owner?.overdue) {
    const message = owner.failures.map((f) => f.message).join('; ');
    return {
      ...base,
      status: ConditionStatus.True,
      reason: Reason.OwnerReviewOverdue,
      message: clip(message),
    };
  }
  if (owner?.reviewDue !== undefined) {
    return {
      ...base,
      status: ConditionStatus.False,
      reason: Reason.ReviewCurrent,
      message: `the next owner review is due on ${owner.reviewDue}`,
    };
  }
  const [missing] = owner?.failures ?? [];
  return {
    ...base,
    status: ConditionStatus.Unknown,
    reason: missing?.reason ?? Reason.InvalidSpec,
    message: clip(
      missing === undefined
        ? 'not evaluated: the spec is invalid (see RolloutBlocked)'
        : `no review date to be overdue against: ${missing.message}`,
    ),
  };
}

/** Ready: every gate passes and the admitted version serves on every replica. */
function readyOf(
  failures: readonly GateFailure[],
  rollout: Rollout | undefined,
  generation: number,
): ConditionUpdate {
  const base = { type: ConditionType.Ready, observedGeneration: generation };
  const [first] = failures;
  if (first !== undefined) {
    return { ...base, status: ConditionStatus.False, reason: first.reason, message: clip(first.message) };
  }
  if (rollout === undefined || rollout.state !== RolloutState.RolledOut) {
    const message = rollout?.message ?? 'waiting for the first admitted version';
    return { ...base, status: ConditionStatus.False, reason: Reason.RolloutProgressing, message };
  }
  return { ...base, status: ConditionStatus.True, reason: Reason.RolledOut, message: rollout.message };
}

interface AuditInputs {
  spec: ModelDeploymentSpec | undefined;
  report: GateReport | undefined;
  failures: readonly GateFailure[];
  previous: ModelDeploymentStatus;
  /** Set when this decision admits a new version. */
  admitted: Admitted | undefined;
  /** Set when this decision rolls a stuck rollout back. */
  rolledBack: RolledBack | undefined;
  blocked: boolean;
  servingVersion: string | undefined;
  desiredVersion: string;
  time: string;
  /** Entries of the audit record, beyond the bounded status history. */
  recorded: readonly AuditEntry[];
}

/**
 * The decisions this reconcile adds to the trail. Each is news relative to the previous status, so
 * re-running on the same state appends nothing.
 */
export function auditEntries(inputs: AuditInputs): AuditEntry[] {
  const { previous, time } = inputs;
  const entries: AuditEntry[] = [];
  const entry = (decision: AuditEntry['decision'], version: string, message: string, reasons?: string[]) =>
    entries.push({
      time,
      version,
      decision,
      message: clip(message),
      ...(reasons === undefined ? {} : { reasons }),
    });
  for (const approval of newApprovals(inputs.spec, [...inputs.recorded, ...(previous.history ?? [])])) {
    entry(Decision.ApprovalRecorded, approval.version, approvalMessage(approval.approver));
  }
  if (inputs.report?.owner.overdue && !wasOverdue(previous)) {
    entry(Decision.ReviewOverdue, inputs.desiredVersion, inputs.report.owner.failures[0]?.message ?? '');
  }
  if (inputs.rolledBack !== undefined) {
    entry(Decision.RolledBack, inputs.rolledBack.version, inputs.rolledBack.message, [Reason.RolledBack]);
  }
  if (inputs.admitted !== undefined) {
    entry(
      Decision.Admitted,
      inputs.admitted.version,
      `every gate passed; serving ${inputs.admitted.serving.image}`,
    );
  }
  if (inputs.blocked) {
    const reasons = [...new Set(inputs.failures.map((f) => f.reason))];
    // Status stores no desiredVersion while it is unresolved (versionFrom, nothing promoted yet), so an
    // absent one compares as 'unresolved'; otherwise every reconcile of a waiting model would append.
    const same =
      (previous.desiredVersion ?? UNRESOLVED_VERSION) === inputs.desiredVersion &&
      JSON.stringify((previous.blockedReasons ?? []).map((r) => r.message)) ===
        JSON.stringify(inputs.failures.map((f) => clip(f.message)));
    if (!same)
      entry(
        Decision.Blocked,
        inputs.desiredVersion,
        inputs.failures.map((f) => f.message).join('; '),
        reasons,
      );
  }
  if (inputs.servingVersion !== undefined && inputs.servingVersion !== previous.servingVersion) {
    entry(Decision.RolledOut, inputs.servingVersion, `${inputs.servingVersion} serves on every replica`);
  }
  return entries;
}

function approvalMessage(approver: string): string {
  return `approved by ${approver}`;
}

function newApprovals(spec: ModelDeploymentSpec | undefined, trail: readonly AuditEntry[]) {
  const recorded = new Set(
    trail.filter((e) => e.decision === Decision.ApprovalRecorded).map((e) => `${e.version}\n${e.message}`),
  );
  return (spec?.governance?.approvals ?? []).filter(
    (a) => !recorded.has(`${a.version}\n${approvalMessage(a.approver)}`),
  );
}

function wasOverdue(previous: ModelDeploymentStatus): boolean {
  const owner = previous.conditions?.find((c) => c.type === ConditionType.OwnerReviewed);
  return owner?.reason === Reason.OwnerReviewOverdue;
}

const EVENT_OF: Readonly<
  Record<AuditEntry['decision'], { reason: Reason; action: string; warning: boolean }>
> = {
  Admitted: { reason: Reason.AllGatesPassed, action: EventAction.Admit, warning: false },
  Blocked: { reason: Reason.RolloutProgressing, action: EventAction.Block, warning: true },
  RolledOut: { reason: Reason.RolledOut, action: EventAction.RollOut, warning: false },
  RolledBack: { reason: Reason.RolledBack, action: EventAction.RollBack, warning: true },
  Promoted: { reason: Reason.Promoted, action: EventAction.Admit, warning: false },
  ReviewOverdue: { reason: Reason.OwnerReviewOverdue, action: EventAction.Review, warning: true },
  ApprovalRecorded: { reason: Reason.ApprovalRecorded, action: EventAction.Approve, warning: false },
};

export function eventOf(entry: AuditEntry): RecordedEvent {
  const kind = EVENT_OF[entry.decision];
  // A block is announced under its first reason, so `kubectl get events` says why at a glance.
  const reason = entry.decision === Decision.Blocked ? (entry.reasons?.[0] ?? kind.reason) : kind.reason;
  return {
    type: kind.warning ? 'Warning' : 'Normal',
    reason,
    action: kind.action,
    note: clip(`${entry.version}: ${entry.message ?? entry.decision}`),
  };
}

export function revertEvent(edits: readonly string[], version: string): RecordedEvent {
  const what = edits.length > 0 ? ` (${edits.join(', ')})` : '';
  return {
    type: 'Warning',
    reason: Reason.DeploymentReverted,
    action: EventAction.Revert,
    note: clip(`the Deployment was edited by hand${what}; restored the admitted version ${version}`),
  };
}
