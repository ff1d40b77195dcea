/**
 * Following the owned Deployment: is the admitted version rolled out, still progressing, or stuck? And
 * when it is stuck, what to roll back to.
 */
import type { ModelDeploymentStatus } from '@steward/api';
import { type Deployment, sameJson } from '@steward/runtime';
import { clip } from './gates/index.ts';
import { labelValue } from './labels.ts';
import type { Admitted } from './serving.ts';

export const RolloutState = { Progressing: 'Progressing', RolledOut: 'RolledOut', Stuck: 'Stuck' } as const;
export type RolloutState = (typeof RolloutState)[keyof typeof RolloutState];

export interface Rollout {
  state: RolloutState;
  available: number;
  message: string;
}

// The Deployment controller's reason when a rollout made no progress within progressDeadlineSeconds.
const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

export function followRollout(live: Deployment | undefined, admitted: Admitted, replicas: number): Rollout {
  const version = admitted.version;
  if (live === undefined) {
    return {
      state: RolloutState.Progressing,
      available: 0,
      message: `creating the Deployment for ${version}`,
    };
  }
  const status = live.status ?? {};
  const available = status.availableReplicas ?? 0;
  const liveVersion = live.spec?.template?.metadata?.labels?.['app.kubernetes.io/version'];
  const observed = (status.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
  // Only a verdict on what we applied counts: until the Deployment controller has observed our last
  // write, a ProgressDeadlineExceeded is about the template before it (a version since replaced).
  const stuck = status.conditions?.find(
    (c) => c.type === 'Progressing' && c.status === 'False' && c.reason === PROGRESS_DEADLINE_EXCEEDED,
  );
  if (stuck !== undefined && observed && liveVersion === labelValue(version)) {
    return {
      state: RolloutState.Stuck,
      available,
      message: `rollout of ${version} stuck: ${stuck.message ?? PROGRESS_DEADLINE_EXCEEDED}`,
    };
  }
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  if (
    liveVersion !== labelValue(version) ||
    !observed ||
    updated < replicas ||
    available < replicas ||
    total > replicas
  ) {
    return {
      state: RolloutState.Progressing,
      available,
      message: `rolling out ${version}: ${updated}/${replicas} updated, ${available}/${replicas} available`,
    };
  }
  return {
    state: RolloutState.RolledOut,
    available,
    message: `${version} serves on ${available}/${replicas} replicas`,
  };
}

export type RolledBack = NonNullable<ModelDeploymentStatus['rolledBack']>;

export interface Rollback {
  /** The snapshot to serve again: the last one that rolled out. */
  restore: Admitted;
  /** The rollout that failed, as status.rolledBack records it. */
  failed: RolledBack;
}

/**
 * A rollback is due when the admitted version's rollout is stuck and an earlier admitted snapshot
 * rolled out (something to go back to). With nothing that ever rolled out there is nothing to restore:
 * the stuck rollout stays, and Ready says why.
 */
export function rollbackOf(
  previous: ModelDeploymentStatus,
  live: Deployment | undefined,
  replicas: number,
  time: string,
): Rollback | undefined {
  const { admitted, lastRolledOut } = previous;
  if (admitted === undefined || lastRolledOut === undefined || sameRollout(lastRolledOut, admitted)) {
    return undefined;
  }
  const rollout = followRollout(live, admitted, replicas);
  if (rollout.state !== RolloutState.Stuck) return undefined;
  return {
    restore: lastRolledOut,
    failed: {
      ...admitted,
      rolledBackAt: time,
      message: clip(`${rollout.message}; restored ${lastRolledOut.version}`),
    },
  };
}

/** Same version, artefact and serving configuration; replicas aside, since scaling is not a rollout. */
export function sameRollout(
  admitted: Omit<Admitted, 'admittedAt'> | undefined,
  candidate: Omit<Admitted, 'admittedAt'>,
): boolean {
  if (admitted === undefined) return false;
  const withoutReplicas = ({ replicas: _, ...rest }: Admitted['serving']) => rest;
  return (
    admitted.version === candidate.version &&
    admitted.uri === candidate.uri &&
    sameJson(withoutReplicas(admitted.serving), withoutReplicas(candidate.serving))
  );
}
