/** The RetrainPipeline's conditions, pure: Running (runs), DrillHealthy (fire drills), Ready (summary). */
import {
  ConditionStatus,
  ConditionType,
  DrillOutcome,
  parseDuration,
  Reason,
  type RetrainPipelineSpec,
  type RetrainPipelineStatus,
  RunPhase,
} from '@steward/api';
import type { ConditionUpdate } from '@steward/runtime';
import type { Drill } from './drill.ts';
import type { Run } from './run.ts';

const ACTIVE: ReadonlySet<string> = new Set([RunPhase.Training, RunPhase.Validating]);

export function isActive(run: Run): boolean {
  return ACTIVE.has(run.phase);
}

/** Why the last run ended the way it did, as the Running condition's reason. */
function lastRunReason(run: Run): Reason {
  switch (run.phase) {
    case RunPhase.Promoted:
    case RunPhase.DryRunPromoted:
      return Reason.Promoted;
    case RunPhase.Rejected:
      return Reason.ValidationFailed;
    case RunPhase.Failed:
      // A run that has a candidate got past training: its validate job failed.
      return run.candidateVersion === undefined ? Reason.TrainingFailed : Reason.ValidationJobFailed;
    case RunPhase.Cancelled:
      return Reason.RunCancelled;
    case RunPhase.AwaitingApproval:
      return Reason.AwaitingApproval;
    default:
      return Reason.RunInProgress;
  }
}

export function runningCondition(runs: readonly Run[], generation: number): ConditionUpdate {
  const active = runs.find(isActive);
  if (active !== undefined) {
    return {
      type: ConditionType.Running,
      status: ConditionStatus.True,
      reason: Reason.RunInProgress,
      message: `run ${active.id} (${active.trigger}) is ${active.phase.toLowerCase()}`,
      observedGeneration: generation,
    };
  }
  const last = runs.at(-1);
  return {
    type: ConditionType.Running,
    status: ConditionStatus.False,
    reason: last === undefined ? Reason.Idle : lastRunReason(last),
    message: last === undefined ? 'no run yet' : `last run ${last.id}: ${last.message ?? last.phase}`,
    observedGeneration: generation,
  };
}

export interface DrillHealth {
  condition: ConditionUpdate;
  /** When the drill goes stale if none passes before: reconcile then. */
  staleAt: Date | undefined;
}

export function drillCondition(
  fireDrill: RetrainPipelineSpec['fireDrill'],
  status: Pick<RetrainPipelineStatus, 'lastDrillSuccessTime'> & { lastDrill?: Drill | undefined },
  created: Date,
  now: Date,
  generation: number,
): DrillHealth {
  const condition = (
    status_: ConditionUpdate['status'],
    reason: Reason,
    message: string,
  ): ConditionUpdate => ({
    type: ConditionType.DrillHealthy,
    status: status_,
    reason,
    message,
    observedGeneration: generation,
  });
  if (fireDrill === undefined) {
    return {
      condition: condition(ConditionStatus.Unknown, Reason.DrillNotConfigured, 'spec.fireDrill is not set'),
      staleAt: undefined,
    };
  }
  const lastSuccess =
    status.lastDrillSuccessTime === undefined ? undefined : new Date(status.lastDrillSuccessTime);
  const staleAt = new Date((lastSuccess ?? created).getTime() + parseDuration(fireDrill.staleAfter));
  const drill = status.lastDrill;
  if (drill?.outcome === DrillOutcome.Failed) {
    return {
      condition: condition(
        ConditionStatus.False,
        Reason.DrillFailed,
        `drill ${drill.runId} failed at stage ${drill.stage}: ${drill.message ?? ''}`,
      ),
      staleAt,
    };
  }
  if (now >= staleAt) {
    const since = lastSuccess === undefined ? 'ever' : `since ${lastSuccess.toISOString()}`;
    return {
      condition: condition(
        ConditionStatus.False,
        Reason.DrillStale,
        `no fire drill passed ${since} (staleAfter ${fireDrill.staleAfter})`,
      ),
      staleAt,
    };
  }
  if (lastSuccess !== undefined) {
    return {
      condition: condition(
        ConditionStatus.True,
        Reason.DrillPassed,
        `a fire drill passed at ${lastSuccess.toISOString()}`,
      ),
      staleAt,
    };
  }
  return {
    condition: condition(
      ConditionStatus.Unknown,
      Reason.DrillPending,
      `no fire drill has finished yet; stale after ${staleAt.toISOString()}`,
    ),
    staleAt,
  };
}

export function readyCondition(
  drill: ConditionUpdate,
  modelDeploymentFound: boolean,
  spec: RetrainPipelineSpec,
  promotedVersion: string | undefined,
  generation: number,
): ConditionUpdate {
  if (!modelDeploymentFound) {
    return {
      type: ConditionType.Ready,
      status: ConditionStatus.False,
      reason: Reason.ReferenceNotFound,
      message: `ModelDeployment ${spec.modelDeployment.name} not found: runs go on, but nothing can serve what they promote`,
      observedGeneration: generation,
    };
  }
  if (drill.status === ConditionStatus.False) return { ...drill, type: ConditionType.Ready };
  return {
    type: ConditionType.Ready,
    status: ConditionStatus.True,
    reason: Reason.Reconciled,
    message:
      promotedVersion === undefined ? 'no version promoted yet' : `version ${promotedVersion} promoted`,
    observedGeneration: generation,
  };
}
