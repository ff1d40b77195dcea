import type { KubernetesObject } from '@kubernetes/client-node';
import {
  annotationsChanged,
  anyOf,
  type CronJob,
  CronJobType,
  generationChanged,
  isControlledBy,
  type Job,
  JobType,
  keyOf,
  type Manager,
  type Pod,
  PodType,
  projectionChanged,
  referrers,
  ServiceAccountType,
} from '@steward/runtime';
import { type ControllerOptions, scopeAndClock } from '../controller-options.ts';
import {
  JOB_NAME_LABEL,
  MONITOR_LABEL,
  MONITORS_BY_RETRAIN_PIPELINE,
  PIPELINES_BY_DRILL_MONITOR,
  PIPELINES_BY_MODEL,
  PODS_BY_JOB,
  withIndexes,
} from '../indexes.ts';
import { DriftMonitorType, ModelDeploymentType, RetrainPipelineType } from '../kinds.ts';
import {
  decide,
  type ObservedModelDeployment,
  type ObservedPipeline,
  type RetrainMetricValues,
  type StatusPatch,
} from './decide.ts';
import type { CheckTemplate } from './drill.ts';
import { RetrainPipelineMetrics } from './metrics.ts';
import { PIPELINE_LABEL, RUN_LABEL } from './names.ts';
import type { ObservedDriftMonitor } from './triggers.ts';

export const RETRAIN_PIPELINE_CONTROLLER = 'retrain-pipeline';

export type RetrainPipelineControllerOptions = ControllerOptions;

type PipelineObject = ObservedPipeline & {
  spec?: { modelDeployment?: { name?: string }; fireDrill?: { driftMonitor?: string } };
};
type ModelDeploymentObject = KubernetesObject & ObservedModelDeployment;
type DriftMonitorObject = KubernetesObject & ObservedDriftMonitor;

/**
 * Registers the RetrainPipeline controller: observe the pipeline, its Jobs and their Pods, its
 * ModelDeployment and the DriftMonitors that concern it from the caches, `decide`, `act`.
 */
export function addRetrainPipelineController(
  manager: Manager,
  options: RetrainPipelineControllerOptions = {},
): void {
  const { scope, clock } = scopeAndClock(options);
  const pipelines = withIndexes(
    manager.informer<PipelineObject>(RetrainPipelineType, scope),
    PIPELINES_BY_MODEL,
    PIPELINES_BY_DRILL_MONITOR,
  );
  // Only the Jobs and Pods of pipeline runs: the operator never caches every Job or Pod of the cluster.
  const jobs = manager.informer<Job>(JobType, { ...scope, labelSelector: PIPELINE_LABEL });
  const pods = withIndexes(
    manager.informer<Pod>(PodType, { ...scope, labelSelector: RUN_LABEL }),
    PODS_BY_JOB,
  );
  const models = manager.informer<ModelDeploymentObject>(ModelDeploymentType, scope);
  const monitors = withIndexes(
    manager.informer<DriftMonitorObject>(DriftMonitorType, scope),
    MONITORS_BY_RETRAIN_PIPELINE,
  );
  // The DriftMonitor controller's CronJobs only (the informer it uses too): never every CronJob.
  const cronJobs = manager.informer<CronJob>(CronJobType, { ...scope, labelSelector: MONITOR_LABEL });
  const act = manager.actor(RETRAIN_PIPELINE_CONTROLLER);
  const metrics = new RetrainPipelineMetrics(manager.metrics.registry);

  /** The fire drill's check: the Pod template of the CronJob the DriftMonitor controller owns. */
  const checkTemplate = (namespace: string, monitorName: string | undefined): CheckTemplate => {
    if (monitorName === undefined) return { kind: 'unavailable', problem: 'spec.fireDrill is not set' };
    const monitor = monitors.get(namespace, monitorName);
    if (monitor === undefined)
      return { kind: 'unavailable', problem: `DriftMonitor ${monitorName} not found` };
    const cronJob = cronJobs.ownedBy(monitor.metadata?.uid ?? '').find((c) => isControlledBy(c, monitor));
    const template = cronJob?.spec?.jobTemplate?.spec?.template;
    if (template === undefined) {
      return { kind: 'unavailable', problem: `DriftMonitor ${monitorName} has no check CronJob (yet)` };
    }
    return {
      kind: 'template',
      podTemplate: template as CheckTemplate extends { podTemplate: infer T } ? T : never,
      activeDeadlineSeconds: cronJob?.spec?.jobTemplate?.spec?.activeDeadlineSeconds,
    };
  };

  /** A Pod re-queues the pipeline that owns its Job (Pod -> Job -> pipeline, through the Job cache). */
  const podOwner = (pod: Pod) => {
    const job = jobs.get(pod.metadata?.namespace, pod.metadata?.labels?.[JOB_NAME_LABEL] ?? '');
    const owner = job?.metadata?.ownerReferences?.find(
      (o) => o.controller && o.kind === RetrainPipelineType.kind,
    );
    return owner === undefined ? [] : [{ namespace: pod.metadata?.namespace, name: owner.name }];
  };

  /** A DriftMonitor concerns the pipeline its onDrift names and the pipelines whose drills use it. */
  const monitorReferrers = referrers(pipelines, PIPELINES_BY_DRILL_MONITOR.name);
  const monitorConcerns = (monitor: DriftMonitorObject) => [
    ...(monitor.spec?.onDrift?.retrainPipeline
      ? [{ namespace: monitor.metadata?.namespace, name: monitor.spec.onDrift.retrainPipeline }]
      : []),
    ...monitorReferrers(monitor),
  ];

  manager
    .controller(RETRAIN_PIPELINE_CONTROLLER)
    // A spec edit, or a new value of a request annotation (retrain-requested, drill-requested).
    .for(pipelines, { filter: anyOf(generationChanged(), annotationsChanged()) })
    // A Job finishing moves its run on; its `active` heartbeats do not.
    .owns(jobs, { filter: projectionChanged((job: Job) => job.status?.conditions ?? []) })
    // A Pod's final status carries the stage's result (its termination message).
    .watches(pods, podOwner, {
      filter: projectionChanged((pod: Pod) => [pod.status?.phase, pod.status?.containerStatuses]),
    })
    // What the model serves (serving version, evaluation) feeds the gates; its approvals promote a
    // candidate under promotion.mode manual.
    .watches(models, referrers(pipelines, PIPELINES_BY_MODEL.name), {
      filter: projectionChanged((m: ModelDeploymentObject) => [
        m.status?.servingVersion,
        m.status?.servingUri,
        m.spec?.governance,
      ]),
    })
    // A monitor's new retrain request starts a run; a drill needs its check.
    .watches(monitors, monitorConcerns, {
      filter: projectionChanged((m: DriftMonitorObject) => [m.spec?.onDrift, m.status?.lastRetrainTrigger]),
    })
    // The drill copies the monitor's check CronJob: a new or changed one matters to drills.
    .watches(cronJobs, (cronJob: CronJob) => {
      const owner = cronJob.metadata?.ownerReferences?.find(
        (o) => o.controller && o.kind === DriftMonitorType.kind,
      );
      if (owner === undefined) return [];
      const monitor = monitors.get(cronJob.metadata?.namespace, owner.name);
      return monitor === undefined ? [] : monitorReferrers(monitor);
    })
    .complete(async (request, context) => {
      const namespace = request.namespace ?? '';
      const pipeline = pipelines.get(request.namespace, request.name);
      if (pipeline === undefined) {
        // Deleted: garbage collection removes its Jobs (owner references); drop its series.
        metrics.forget(namespace, request.name);
        return undefined;
      }
      const owned = jobs.ownedBy(pipeline.metadata?.uid ?? '').filter((job) => isControlledBy(job, pipeline));
      const runPods = owned.flatMap((job) =>
        pods.byIndex(PODS_BY_JOB.name, keyOf(namespace, job.metadata?.name ?? '')),
      );
      const plan = decide({
        pipeline,
        jobs: owned,
        pods: runPods,
        modelDeployment: models.get(namespace, pipeline.spec?.modelDeployment?.name ?? ''),
        driftMonitors: monitors.byIndex(MONITORS_BY_RETRAIN_PIPELINE.name, keyOf(namespace, request.name)),
        check: checkTemplate(namespace, pipeline.spec?.fireDrill?.driftMonitor),
        now: new Date(clock.now()),
      });
      return act<StatusPatch, RetrainMetricValues>(
        context,
        RetrainPipelineType,
        pipeline,
        {
          apply: [
            ...plan.serviceAccounts.map((object) => ({ type: ServiceAccountType, object })),
            ...plan.jobs.map((object) => ({ type: JobType, object })),
          ],
          delete: plan.deleteJobs.map((name) => ({ type: JobType, namespace, name })),
          status: plan.status,
          events: plan.events,
          ...(plan.metrics === undefined ? {} : { metrics: plan.metrics }),
          ...(plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs }),
        },
        { metrics: (values) => metrics.set(namespace, request.name, values) },
      );
    });
}
