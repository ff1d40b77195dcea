/** Following the owned Deployment: is the admitted version rolled out, still progressing, or stuck? */
import type { Deployment } from '@steward/runtime';
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
  const stuck = status.conditions?.find(
    (c) => c.type === 'Progressing' && c.status === 'False' && c.reason === PROGRESS_DEADLINE_EXCEEDED,
  );
  if (stuck !== undefined) {
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
