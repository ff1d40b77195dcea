import type { KubernetesObject } from '@kubernetes/client-node';
import {
  annotationsChanged,
  anyOf,
  type ConfigMap,
  ConfigMapType,
  type CronJob,
  CronJobType,
  generationChanged,
  type Job,
  JobType,
  keyOf,
  type Manager,
  type Pod,
  PodType,
  projectionChanged,
  referrers,
} from '@steward/runtime';
import type { LiteralEnvVar } from '../api-server-env.ts';
import { type ControllerOptions, scopeAndClock } from '../controller-options.ts';
import {
  JOB_NAME_LABEL,
  JOBS_BY_MONITOR_LABEL,
  MONITOR_LABEL,
  MONITORS_BY_TARGET,
  PODS_BY_JOB,
  withIndexes,
} from '../indexes.ts';
import { DriftMonitorType, ModelDeploymentType } from '../kinds.ts';
import {
  type DriftMetricValues,
  decide,
  type ObservedDriftMonitor,
  type ObservedTarget,
  type StatusPatch,
} from './decide.ts';
import { DriftMonitorMetrics } from './metrics.ts';
import { reportConfigMapName } from './names.ts';
import { DEFAULT_STALE_AFTER_PERIODS } from './staleness.ts';

export const DRIFT_MONITOR_CONTROLLER = 'drift-monitor';

export interface DriftMonitorControllerOptions extends ControllerOptions {
  /** The check image when spec.job.image is not set; default: STEWARD_IMAGE (the operator's own image). */
  checkImage?: string | undefined;
  /** CheckStale after this many schedule periods without a successful check. */
  staleAfterPeriods?: number;
  /** KUBERNETES_SERVICE_HOST/PORT for the check Pods (../api-server-env.ts); the operator sets it. */
  apiServerEnv?: readonly LiteralEnvVar[];
}

type MonitorObject = ObservedDriftMonitor & { spec?: { target?: { name?: string } } };
type TargetObject = KubernetesObject & ObservedTarget;

const ownerName = (object: KubernetesObject, kind: string) =>
  object.metadata?.ownerReferences?.find((o) => o.controller && o.kind === kind)?.name;

/**
 * Registers the DriftMonitor controller: observe the monitor, its CronJob's Jobs and their Pods, its
 * report ConfigMap and its target ModelDeployment from the caches, `decide`, `act`.
 */
export function addDriftMonitorController(
  manager: Manager,
  options: DriftMonitorControllerOptions = {},
): void {
  const { scope, clock } = scopeAndClock(options);
  const image = options.checkImage ?? process.env.STEWARD_IMAGE;
  const staleAfterPeriods = options.staleAfterPeriods ?? DEFAULT_STALE_AFTER_PERIODS;
  const monitors = withIndexes(manager.informer<MonitorObject>(DriftMonitorType, scope), MONITORS_BY_TARGET);
  // Only what carries the monitor label: the operator never caches every Job, Pod or ConfigMap.
  const selector = { ...scope, labelSelector: MONITOR_LABEL };
  const cronJobs = manager.informer<CronJob>(CronJobType, selector);
  const jobs = withIndexes(manager.informer<Job>(JobType, selector), JOBS_BY_MONITOR_LABEL);
  const pods = withIndexes(manager.informer<Pod>(PodType, selector), PODS_BY_JOB);
  const reports = manager.informer<ConfigMap>(ConfigMapType, selector);
  const targets = manager.informer<TargetObject>(ModelDeploymentType, scope);
  const act = manager.actor(DRIFT_MONITOR_CONTROLLER);
  const metrics = new DriftMonitorMetrics(manager.metrics.registry, clock);

  /** The monitor a check Job belongs to: the CronJob's owner for scheduled ones, the monitor for run-now. */
  const jobMonitor = (job: Job) => {
    const direct = ownerName(job, DriftMonitorType.kind);
    if (direct !== undefined) return direct;
    const cronJob = cronJobs.get(job.metadata?.namespace, ownerName(job, CronJobType.kind) ?? '');
    return cronJob === undefined ? undefined : ownerName(cronJob, DriftMonitorType.kind);
  };
  const toMonitor = (namespace: string | undefined, name: string | undefined) =>
    name === undefined ? [] : [{ namespace, name }];

  manager
    .controller(DRIFT_MONITOR_CONTROLLER)
    // A spec edit, or a new check-requested value.
    .for(monitors, { filter: anyOf(generationChanged(), annotationsChanged()) })
    // Someone edited or deleted the CronJob, the report map, the account: put them back.
    .owns(cronJobs)
    .owns(reports, { filter: projectionChanged((map: ConfigMap) => [map.data, map.metadata?.labels]) })
    // A check Job finishing is a new result; its heartbeats are not. Run-now Jobs are owned directly.
    .watches(jobs, (job: Job) => toMonitor(job.metadata?.namespace, jobMonitor(job)), {
      filter: projectionChanged((job: Job) => job.status?.conditions ?? []),
    })
    // A check Pod's termination message carries the result when the report could not be written.
    .watches(
      pods,
      (pod: Pod) => {
        const job = jobs.get(pod.metadata?.namespace, pod.metadata?.labels?.[JOB_NAME_LABEL] ?? '');
        return job === undefined ? [] : toMonitor(pod.metadata?.namespace, jobMonitor(job));
      },
      {
        filter: projectionChanged((pod: Pod) =>
          pod.status?.containerStatuses?.map((s) => s.state?.terminated),
        ),
      },
    )
    // The target appearing, vanishing or changing owner changes Ready and the metrics' owner label.
    .watches(targets, referrers(monitors, MONITORS_BY_TARGET.name), {
      filter: projectionChanged((t: TargetObject) => t.spec?.owner),
    })
    .complete(async (request, context) => {
      const namespace = request.namespace ?? '';
      const monitor = monitors.get(request.namespace, request.name);
      if (monitor === undefined) {
        // Deleted: garbage collection removes the CronJob, its Jobs and the account (owner references).
        metrics.forget(namespace, request.name);
        return undefined;
      }
      const checkJobs = jobs
        .byIndex(
          JOBS_BY_MONITOR_LABEL.name,
          keyOf(namespace, monitor.metadata?.labels?.[MONITOR_LABEL] ?? request.name),
        )
        .filter((job) => jobMonitor(job) === request.name);
      const plan = decide({
        monitor: monitor as MonitorObject & { metadata: { name: string; namespace: string } },
        jobs: checkJobs,
        podsOf: (job) => pods.byIndex(PODS_BY_JOB.name, keyOf(namespace, job)),
        report: reports.get(namespace, reportConfigMapName(request.name)),
        target: targets.get(namespace, monitor.spec?.target?.name ?? ''),
        now: new Date(clock.now()),
        defaultImage: image,
        apiServerEnv: options.apiServerEnv ?? [],
        staleAfterPeriods,
      });
      return act<StatusPatch, DriftMetricValues>(context, DriftMonitorType, monitor, plan, {
        metrics: (values) => metrics.set(namespace, request.name, values),
      });
    });
}
