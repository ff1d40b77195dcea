import { ConditionType, type ModelDeployment } from '@steward/api';

// What a ModelDeployment's status says about its gates, for the tests and the demo that wait on it.

const rolloutBlocked = (model: ModelDeployment) =>
  model.status?.conditions?.find((c) => c.type === ConditionType.RolloutBlocked)?.status;

/** The desired version is blocked, and `reason` is among the reasons status lists. */
export const blockedFor = (reason: string) => (model: ModelDeployment) =>
  rolloutBlocked(model) === 'True' && (model.status?.blockedReasons ?? []).some((r) => r.reason === reason);

/** `version` is the admitted one and nothing is blocked. */
export const admitted = (version: string) => (model: ModelDeployment) =>
  model.status?.admitted?.version === version && rolloutBlocked(model) === 'False';
