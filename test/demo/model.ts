import { ConditionType, type ModelDeployment, ModelDeploymentNames } from '@steward/api';
import { eventually } from '../harness/eventually.ts';
import { conditionOf, type DemoKube, modelName, namespace, STEP_TIMEOUT_MS } from './kube.ts';

// The ModelDeployment of the story and the Deployment it owns: waits and what the timeline prints.

export const modelReaches = (
  kube: DemoKube,
  what: string,
  done: (model: ModelDeployment) => boolean,
  timeoutMs = STEP_TIMEOUT_MS,
) =>
  kube.reaches<ModelDeployment>(
    'ModelDeployment',
    ModelDeploymentNames.plural,
    modelName,
    what,
    done,
    timeoutMs,
  );

export type Deployment = {
  spec?: {
    template?: {
      spec?: { containers?: { image?: string; env?: { name: string; value?: string }[] }[] };
    };
  };
  status?: { readyReplicas?: number; replicas?: number };
};
const deploymentPath = `/apis/apps/v1/namespaces/${namespace}/deployments/${modelName}`;

export const readDeployment = (kube: DemoKube) => kube.read<Deployment>(deploymentPath);

export const deploymentImage = async (kube: DemoKube) =>
  (await readDeployment(kube))?.spec?.template?.spec?.containers?.[0]?.image;

/** The model version the Deployment's Pod template serves (the operator sets MODEL_VERSION). */
export const deploymentModelVersion = (deployment: Deployment | undefined) =>
  deployment?.spec?.template?.spec?.containers?.[0]?.env?.find((e) => e.name === 'MODEL_VERSION')?.value;

/** Waits until the model's Deployment satisfies `done`: the controller applies children before status. */
export const deploymentWhere = (
  kube: DemoKube,
  what: string,
  done: (deployment: Deployment) => boolean,
  timeoutMs = STEP_TIMEOUT_MS,
) =>
  eventually(
    `Deployment ${modelName} ${what}`,
    async () => {
      const deployment = await readDeployment(kube);
      return deployment && done(deployment) ? deployment : undefined;
    },
    timeoutMs,
  );

export function printModel(model: ModelDeployment) {
  const blocked = conditionOf(model, ConditionType.RolloutBlocked);
  // A follower's status holds no desiredVersion while its pipeline has promoted none.
  const version = model.spec.model.version ?? model.status?.desiredVersion ?? 'unresolved';
  console.log(
    `   ModelDeployment ${modelName} ${version}: RolloutBlocked=${blocked?.status}, admitted ${model.status?.admitted?.version ?? 'none'}`,
  );
  for (const reason of model.status?.blockedReasons ?? []) {
    console.log(`     blocked: ${reason.reason} — ${reason.message}`);
  }
}
