import type { KubernetesObject } from '@kubernetes/client-node';
import type { ModelDeploymentSpec, RetrainPipelineStatus } from '@steward/api';
import {
  type ConfigMap,
  ConfigMapType,
  type Deployment,
  DeploymentType,
  isControlledBy,
  keyOf,
  MANAGED_BY_SELECTOR,
  type Manager,
  referrers,
  ServiceType,
} from '@steward/runtime';
import { type ControllerOptions, scopeAndClock } from '../controller-options.ts';
import {
  MODELS_BY_CONTRACT,
  MODELS_BY_PIPELINE,
  MONITORS_BY_TARGET,
  PIPELINES_BY_MODEL,
  withIndexes,
} from '../indexes.ts';
import { DriftMonitorType, ModelDeploymentType, RetrainPipelineType } from '../kinds.ts';
import { OutputContractType } from '../outputcontract/controller.ts';
import type { ObservedOutputContract } from '../outputcontract/decide.ts';
import { decide, type ObservedModelDeployment } from './decide.ts';
import { MODEL_DEPLOYMENT_LABEL } from './labels.ts';
import { ModelDeploymentMetrics } from './metrics.ts';
import { auditRecordName } from './names.ts';

export const MODEL_DEPLOYMENT_CONTROLLER = 'model-deployment';

export type ModelDeploymentControllerOptions = ControllerOptions;

/** Only what the indexes read; the cache holds specs the zod refinements have not checked yet. */
type Referencing = KubernetesObject & {
  spec?: Partial<Pick<ModelDeploymentSpec, 'outputContract' | 'model'>>;
};
type DriftMonitorObject = KubernetesObject & { spec?: { target?: { name?: string }; schedule?: string } };
type RetrainPipelineObject = KubernetesObject & {
  spec?: { modelDeployment?: { name?: string } };
  status?: RetrainPipelineStatus;
};

/**
 * Registers the ModelDeployment controller on `manager`: observe the model, what it references and what
 * it owns from the caches, `decide`, and `act` (apply Deployment, Service, card and audit record, patch
 * the status, record events, set metrics).
 */
export function addModelDeploymentController(
  manager: Manager,
  options: ModelDeploymentControllerOptions = {},
): void {
  const { scope, clock } = scopeAndClock(options);
  const models = withIndexes(
    manager.informer<ObservedModelDeployment & Referencing>(ModelDeploymentType, scope),
    MODELS_BY_CONTRACT,
    MODELS_BY_PIPELINE,
  );
  const contracts = manager.informer<ObservedOutputContract>(OutputContractType, scope);
  const pipelines = withIndexes(
    manager.informer<RetrainPipelineObject>(RetrainPipelineType, scope),
    PIPELINES_BY_MODEL,
  );
  const monitors = withIndexes(
    manager.informer<DriftMonitorObject>(DriftMonitorType, scope),
    MONITORS_BY_TARGET,
  );
  // Only what Steward applied: the operator never caches every Deployment or Service of the cluster.
  const deployments = manager.informer<Deployment>(DeploymentType, {
    ...scope,
    labelSelector: MANAGED_BY_SELECTOR,
  });
  const services = manager.informer(ServiceType, { ...scope, labelSelector: MANAGED_BY_SELECTOR });
  const configMaps = manager.informer<ConfigMap>(ConfigMapType, {
    ...scope,
    labelSelector: MODEL_DEPLOYMENT_LABEL,
  });
  const act = manager.actor(MODEL_DEPLOYMENT_CONTROLLER);
  const metrics = new ModelDeploymentMetrics(manager.metrics.registry);

  manager
    .controller(MODEL_DEPLOYMENT_CONTROLLER)
    // A spec edit is a version to gate; our own status write re-runs to a no-op.
    .for(models)
    // A hand edit or deletion of the Deployment, Service, card or audit record is overridden back;
    // the Deployment's own status moves the rollout into status (progressing, available, Ready).
    .owns(deployments)
    .owns(services)
    .owns(configMaps)
    // A contract's new version or consumer range can break (or fix) the models held to it.
    .watches(contracts, referrers(models, MODELS_BY_CONTRACT.name))
    // A promoted version is the next version of the models that follow the pipeline; a pipeline
    // producing versions for a model changes that model's card.
    .watches(pipelines, (pipeline) => [
      ...referrers(models, MODELS_BY_PIPELINE.name)(pipeline),
      ...(pipeline.spec?.modelDeployment?.name === undefined
        ? []
        : [{ namespace: pipeline.metadata?.namespace, name: pipeline.spec.modelDeployment.name }]),
    ])
    // A drift monitor watching a model is part of its card.
    .watches(monitors, (monitor) =>
      monitor.spec?.target?.name === undefined
        ? []
        : [{ namespace: monitor.metadata?.namespace, name: monitor.spec.target.name }],
    )
    .complete(async (request, context) => {
      const namespace = request.namespace ?? '';
      const model = models.get(request.namespace, request.name);
      if (model === undefined) {
        // Deleted: garbage collection removes what it owned (owner references); drop its series.
        metrics.forget(namespace, request.name);
        return undefined;
      }
      const owned = <T extends KubernetesObject>(object: T | undefined) =>
        object !== undefined && isControlledBy(object, model) ? object : undefined;
      const key = keyOf(namespace, request.name);
      const contractName = model.spec?.outputContract?.name;
      const pipelineName = model.spec?.model?.versionFrom?.retrainPipeline;
      const decideFrom = (auditRecord: ConfigMap | undefined) => {
        const plan = decide({
          model,
          contract: contractName === undefined ? undefined : contracts.get(namespace, contractName),
          pipeline: pipelineName === undefined ? undefined : pipelines.get(namespace, pipelineName),
          deployment: owned(deployments.get(namespace, request.name)),
          auditRecord: owned(auditRecord)?.data,
          driftMonitors: monitors
            .byIndex(MONITORS_BY_TARGET.name, key)
            .map((m) => ({ name: m.metadata?.name ?? '', schedule: m.spec?.schedule ?? '' })),
          retrainPipelines: pipelines
            .byIndex(PIPELINES_BY_MODEL.name, key)
            .map((p) => p.metadata?.name ?? ''),
          now: new Date(clock.now()),
        });
        if (plan.unreadableAuditLines > 0) {
          context.log.warn(
            { lines: plan.unreadableAuditLines },
            'dropping audit record lines that cannot be read',
          );
        }
        return plan;
      };
      const recordName = auditRecordName(request.name);
      return act(context, ModelDeploymentType, model, decideFrom(configMaps.get(namespace, recordName)), {
        // The record keeps what it held: before writing it, decide again from the live map, because
        // the cache may lag behind our last write and a record built from a stale one would lose entries.
        reread: { type: ConfigMapType, namespace, name: recordName, replan: decideFrom },
        metrics: (values) => metrics.set(namespace, request.name, values),
      });
    });
}
