/**
 * The field indexes the controllers keep on the manager's informers, each defined once. An informer is
 * shared by every controller that asks for the same kind and scope, so when two controllers need "the
 * RetrainPipelines that name this ModelDeployment" they must use one index: one name, one extractor.
 * Each controller adds the indexes it reads (`withIndexes`); adding one that another controller added
 * already is a no-op (Informer.addIndex). Every value is a `namespace/name` key (`keyOf`), the form
 * `referrers` and `byIndex` look up.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { GROUP } from '@steward/api';
import { type IndexFunction, type Informer, keyOf } from '@steward/runtime';

/** The label the Job controller puts on a Job's Pods (Kubernetes 1.27+). */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
/** On every object the DriftMonitor controller makes (and the check Pods): which monitor it serves. */
export const MONITOR_LABEL = `${GROUP}/drift-monitor`;

export interface IndexDefinition<T extends KubernetesObject> {
  /** The index's name on the informer, after the field it reads. */
  readonly name: string;
  readonly values: IndexFunction<T>;
}

/** An index of objects by the object of the same namespace that `nameOf` names (none when unset or empty). */
function byReference<T extends KubernetesObject>(
  name: string,
  nameOf: (object: T) => string | undefined,
): IndexDefinition<T> {
  return {
    name,
    values: (object) => {
      const referenced = nameOf(object);
      return referenced ? [keyOf(object.metadata?.namespace, referenced)] : [];
    },
  };
}

type WithSpec<Spec> = KubernetesObject & { spec?: Spec };

/** ModelDeployments by the OutputContract they are held to. */
export const MODELS_BY_CONTRACT = byReference<WithSpec<{ outputContract?: { name?: string } }>>(
  'spec.outputContract.name',
  (model) => model.spec?.outputContract?.name,
);

/** ModelDeployments by the RetrainPipeline whose promoted version they follow (versionFrom). */
export const MODELS_BY_PIPELINE = byReference<
  WithSpec<{ model?: { versionFrom?: { retrainPipeline?: string } } }>
>('spec.model.versionFrom.retrainPipeline', (model) => model.spec?.model?.versionFrom?.retrainPipeline);

/** RetrainPipelines by the ModelDeployment they train for. */
export const PIPELINES_BY_MODEL = byReference<WithSpec<{ modelDeployment?: { name?: string } }>>(
  'spec.modelDeployment.name',
  (pipeline) => pipeline.spec?.modelDeployment?.name,
);

/** RetrainPipelines by the DriftMonitor whose check their fire drills copy. */
export const PIPELINES_BY_DRILL_MONITOR = byReference<WithSpec<{ fireDrill?: { driftMonitor?: string } }>>(
  'spec.fireDrill.driftMonitor',
  (pipeline) => pipeline.spec?.fireDrill?.driftMonitor,
);

/** DriftMonitors by the ModelDeployment they check. */
export const MONITORS_BY_TARGET = byReference<WithSpec<{ target?: { name?: string } }>>(
  'spec.target.name',
  (monitor) => monitor.spec?.target?.name,
);

/** DriftMonitors by the RetrainPipeline a breach asks for a run (onDrift). */
export const MONITORS_BY_RETRAIN_PIPELINE = byReference<WithSpec<{ onDrift?: { retrainPipeline?: string } }>>(
  'spec.onDrift.retrainPipeline',
  (monitor) => monitor.spec?.onDrift?.retrainPipeline,
);

/** Check Jobs by the monitor label's value (the CronJob's Jobs and the run-now Jobs alike). */
export const JOBS_BY_MONITOR_LABEL = byReference<KubernetesObject>(
  `metadata.labels.${MONITOR_LABEL}`,
  (job) => job.metadata?.labels?.[MONITOR_LABEL],
);

/** Pods by the Job that made them. */
export const PODS_BY_JOB = byReference<KubernetesObject>(
  `metadata.labels.${JOB_NAME_LABEL}`,
  (pod) => pod.metadata?.labels?.[JOB_NAME_LABEL],
);

/** Adds `indexes` to `informer` (those another controller added already stay as they are). */
export function withIndexes<T extends KubernetesObject>(
  informer: Informer<T>,
  ...indexes: IndexDefinition<NoInfer<T>>[]
): Informer<T> {
  for (const index of indexes) informer.addIndex(index.name, index.values);
  return informer;
}
