// Where the Steward kinds live in the API, for informers and clients of every controller.
import { API_VERSION, DriftMonitorNames, ModelDeploymentNames, RetrainPipelineNames } from '@steward/api';
import type { ResourceType } from '@steward/runtime';

const stewardKind = (names: { kind: string; plural: string }): ResourceType => ({
  apiVersion: API_VERSION,
  kind: names.kind,
  plural: names.plural,
  namespaced: true,
});

export const ModelDeploymentType = stewardKind(ModelDeploymentNames);
export const DriftMonitorType = stewardKind(DriftMonitorNames);
export const RetrainPipelineType = stewardKind(RetrainPipelineNames);
