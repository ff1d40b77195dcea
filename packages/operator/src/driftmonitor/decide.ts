/**
 * The DriftMonitor's pure decide: from the monitor, its check CronJob, Jobs, Pods and report ConfigMap
 * and its target ModelDeployment (all from the caches), to the objects to apply, the status, the events,
 * the metric values and when to look again. `now` is passed in, so staleness and cooldowns are tested
 * without waiting.
 */
import {
  CHECK_REQUESTED_ANNOTATION,
  type CheckResult,
  DriftMonitorReason,
  type DriftMonitorSpec,
  type DriftMonitorStatus,
  driftMonitorSpecSchema,
  MAX_CHECK_REQUEST,
  parseDuration,
} from '@steward/api';
import { configThresholdWarnings, isBreach } from '@steward/drift';
import {
  type ConfigMap,
  type Desired,
  type Job,
  type Plan,
  type Pod,
  type RecordedEvent,
  setCondition,
} from '@steward/runtime';
import type { LiteralEnvVar } from '../api-server-env.ts';
import { NEEDS_A_CHANGE, setProgress, stalledWhenNotReady } from '../progress.ts';
import { checkFailing, checkStale, driftDetected, ready } from './conditions.ts';
import { cronJobName, runNowJobName } from './names.ts';
import { checkAccount, checkCronJob, type MonitorObject, reportConfigMap, runNowJob } from './resources.ts';
import { failedParts, latestFinishedCheck } from './results.ts';
import { staleAt } from './staleness.ts';

export interface ObservedDriftMonitor extends MonitorObject {
  spec?: unknown;
  status?: DriftMonitorStatus;
}

export interface ObservedTarget {
  spec?: { owner?: { email?: string; name?: string } };
}

export interface Observed {
  monitor: ObservedDriftMonitor;
  /** The check Jobs of this monitor: its CronJob's and its run-now Jobs. */
  jobs: readonly Job[];
  podsOf: (job: string) => readonly Pod[];
  report: ConfigMap | undefined;
  target: ObservedTarget | undefined;
  now: Date;
  /** The image of the check Pods when spec.job.image is not set (the operator's own). */
  defaultImage: string | undefined;
  /** KUBERNETES_SERVICE_HOST/PORT for the check Pods (../api-server-env.ts); none when absent. */
  apiServerEnv?: readonly LiteralEnvVar[];
  staleAfterPeriods: number;
}

/** What the metrics sink needs: the labels, the last result, and whether to count a failed check. */
export interface DriftMetricValues {
  model: string;
  owner: string;
  result: CheckResult | undefined;
  lastSuccessTime: string | undefined;
  /** The Job of a newly seen failed check, counted once per Job. */
  failedJob?: string | undefined;
}

export type StatusPatch = DriftMonitorStatus;
export type DriftMonitorPlan = Plan<StatusPatch, DriftMetricValues>;

/** The most retrain reason a status keeps (status.lastRetrainTrigger.reason). */
const MAX_REASON_TEXT = 1024;

const event = (type: RecordedEvent['type'], reason: string, note: string): RecordedEvent => ({
  type,
  reason,
  action: 'Check',
  note,
});

function invalid(monitor: ObservedDriftMonitor, message: string, now: Date): DriftMonitorPlan {
  const generation = monitor.metadata.generation ?? 0;
  const notReady = ready({ invalid: message, suspended: false, cronJob: '', schedule: '', warnings: [] });
  const conditions = setProgress(
    setCondition(monitor.status?.conditions, { ...notReady, observedGeneration: generation }, now),
    stalledWhenNotReady(notReady, NEEDS_A_CHANGE),
    generation,
    now,
  );
  return {
    status: { observedGeneration: monitor.metadata.generation ?? 0, conditions },
    events: [event('Warning', 'InvalidSpec', message)],
  };
}

/** A breach asks the RetrainPipeline in onDrift for a run, at most once per cooldown. */
function retrainRequest(
  spec: DriftMonitorSpec,
  status: DriftMonitorStatus | undefined,
  result: CheckResult,
  now: Date,
) {
  if (spec.onDrift === undefined || result.outcome !== 'Drift') return undefined;
  const last = status?.lastRetrainTrigger;
  const cooldownMs = parseDuration(spec.onDrift.cooldown);
  if (last !== undefined && now.getTime() - Date.parse(last.time) < cooldownMs) {
    const until = new Date(Date.parse(last.time) + cooldownMs).toISOString();
    return {
      event: event(
        'Normal',
        DriftMonitorReason.CooldownActive,
        `no retrain requested: the last request (${last.time}) is within the ${spec.onDrift.cooldown} cooldown, until ${until}`,
      ),
    };
  }
  const reason = (result.message ?? result.outcome).slice(0, MAX_REASON_TEXT);
  return {
    trigger: { time: now.toISOString(), pipeline: spec.onDrift.retrainPipeline, reason },
    event: event(
      'Normal',
      DriftMonitorReason.RetrainTriggered,
      `requested a run of RetrainPipeline ${spec.onDrift.retrainPipeline}: ${reason}`,
    ),
  };
}

export function decide(observed: Observed): DriftMonitorPlan {
  const { monitor, now } = observed;
  const name = monitor.metadata.name;
  const generation = monitor.metadata.generation ?? 0;
  const parsed = driftMonitorSpecSchema.safeParse(monitor.spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(monitor, `spec.${(issue?.path ?? []).join('.')}: ${issue?.message ?? 'invalid'}`, now);
  }
  const spec = parsed.data;
  const image = spec.job?.image ?? observed.defaultImage;
  if (image === undefined) {
    return invalid(
      monitor,
      'no check image: set spec.job.image, or run the operator with STEWARD_IMAGE',
      now,
    );
  }
  const previous = monitor.status;
  const apply: Desired[] = [
    ...checkAccount(monitor, spec.job?.serviceAccountName),
    reportConfigMap(monitor),
    checkCronJob(monitor, spec, image, observed.apiServerEnv),
  ];
  const events: RecordedEvent[] = [];
  const status: StatusPatch = { observedGeneration: generation, cronJobName: cronJobName(name) };

  // Run now: one Job per new value of the annotation, remembered in status so a deleted Job is not redone.
  // Compared as status keeps it, so a value longer than status holds is still handled once.
  const request = monitor.metadata.annotations?.[CHECK_REQUESTED_ANNOTATION]?.slice(0, MAX_CHECK_REQUEST);
  if (request !== undefined && request !== previous?.handledCheckRequest) {
    const job = runNowJobName(name, request);
    apply.push(runNowJob(monitor, spec, image, job, observed.apiServerEnv));
    status.handledCheckRequest = request;
    events.push(
      event(
        'Normal',
        'CheckRequested',
        `started check Job ${job} for ${CHECK_REQUESTED_ANNOTATION}=${request}`,
      ),
    );
  }

  // A finished check not seen before becomes the last result; both result channels survive an operator restart.
  const newest = latestFinishedCheck(observed.jobs, observed.podsOf, observed.report, now);
  const latest = newest?.kind === 'finished' ? newest : undefined;
  const isNew = latest !== undefined && latest.job !== previous?.lastResult?.job;
  const result = isNew ? latest.result : previous?.lastResult;
  let lastSuccess = previous?.lastSuccessfulCheckTime;
  let failedJob: string | undefined;
  if (isNew) {
    const checkTime = latest.result.completedAt ?? latest.finishedAt;
    status.lastResult = latest.result;
    status.lastCheckTime = checkTime;
    if (failedParts(latest.result).length === 0) lastSuccess = checkTime;
    else failedJob = latest.job;
    const breach = isBreach(latest.result.outcome);
    const failed = latest.result.outcome === 'Failed';
    events.push(
      event(
        breach || failed ? 'Warning' : 'Normal',
        latest.result.outcome,
        latest.result.message ?? latest.result.outcome,
      ),
    );
    const retrain = retrainRequest(spec, previous, latest.result, now);
    if (retrain?.trigger) status.lastRetrainTrigger = retrain.trigger;
    if (retrain) events.push(retrain.event);
  }
  if (lastSuccess !== undefined) status.lastSuccessfulCheckTime = lastSuccess;

  const since = new Date(lastSuccess ?? monitor.metadata.creationTimestamp ?? now.toISOString());
  const stale = staleAt(spec, since, observed.staleAfterPeriods);
  const target = spec.target.name;
  const readiness = ready({
    targetMissing: observed.target === undefined ? `ModelDeployment ${target} not found` : undefined,
    suspended: spec.suspend,
    cronJob: cronJobName(name),
    schedule: spec.schedule,
    warnings: [...configThresholdWarnings(spec.dataDrift ?? {})],
  });
  const updates = [
    readiness,
    driftDetected(result),
    checkFailing(result),
    checkStale({
      suspended: spec.suspend,
      lastSuccess,
      staleAt: stale,
      now,
      periods: observed.staleAfterPeriods,
    }),
  ];
  let conditions = previous?.conditions;
  for (const update of updates)
    conditions = setCondition(conditions, { ...update, observedGeneration: generation }, now);
  // Drift found, a check failing or stale: the monitor doing its job. Stalled: it cannot do it as specified.
  status.conditions = setProgress(
    conditions,
    stalledWhenNotReady(readiness, NEEDS_A_CHANGE),
    generation,
    now,
  );

  const owner = observed.target?.spec?.owner;
  const plan: DriftMonitorPlan = {
    apply,
    status,
    events,
    metrics: {
      model: target,
      owner: owner?.email ?? owner?.name ?? '',
      result,
      lastSuccessTime: lastSuccess,
      failedJob,
    },
  };
  // Nothing else changes with time: look again exactly when the monitor would go stale, or when a
  // completed check's result is given up on (its Pod or report event normally comes well before).
  const wakes = [
    stale !== undefined && !spec.suspend && stale > now ? stale : undefined,
    newest?.kind === 'awaitingResult' ? newest.until : undefined,
  ].filter((wake) => wake !== undefined);
  if (wakes.length === 0) return plan;
  return { ...plan, requeueAfterMs: Math.min(...wakes.map((wake) => wake.getTime())) - now.getTime() };
}
