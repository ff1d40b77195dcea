/**
 * The RetrainPipeline controller's logic, pure: from the pipeline, its Jobs and their Pods, the
 * ModelDeployment it trains for and the DriftMonitors that request runs, to the Jobs to create or delete,
 * the status, the events and the metric values. No I/O, no clock: `now` is passed in.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  ConcurrencyPolicy,
  type Condition,
  ConditionStatus,
  ConditionType,
  DrillOutcome,
  DrillStage,
  Reason,
  type RetrainPipelineStatus,
  RunPhase,
  RunTrigger,
  retrainPipelineSpecSchema,
} from '@steward/api';
import { type ConditionUpdate, type RecordedEvent, setCondition } from '@steward/runtime';
import { NEEDS_A_CHANGE, setProgress, stalledWhenNotReady } from '../progress.ts';
import { describeIssues } from '../spec-issues.ts';
import { drillCondition, isActive, readyCondition, runningCondition } from './conditions.ts';
import { advanceDrill, type CheckTemplate, type Drill } from './drill.ts';
import { overallEvaluation } from './gates.ts';
import {
  type JobManifest,
  jobAccount,
  type ObservedJob,
  type ObservedPod,
  type ServiceAccountManifest,
} from './jobs.ts';
import { RUN_LABEL, runId } from './names.ts';
import { DrillResult, RetrainEvent, RunResult } from './reasons.ts';
import {
  advanceRun,
  clip,
  FINAL_PHASES,
  type Run,
  retrainEvent,
  runJobNames,
  type StageContext,
  timestamp,
} from './run.ts';
import { type ObservedDriftMonitor, pendingTriggers } from './triggers.ts';

export type ObservedPipeline = KubernetesObject & { spec?: unknown; status?: RetrainPipelineStatus };

/**
 * The parts of a ModelDeployment the pipeline reads: what serves, its evaluation and its approvals, and
 * its owner (the metrics' `owner` label, so retrain alerts reach the model's owner).
 */
export interface ObservedModelDeployment {
  spec?: {
    owner?: { email?: string; name?: string };
    governance?: {
      evaluation?: { name?: unknown; slice?: unknown; value?: unknown }[];
      approvals?: { version?: unknown }[];
    };
  };
  status?: { servingVersion?: string; servingUri?: string };
}

export interface Observed {
  pipeline: ObservedPipeline;
  /** Jobs this pipeline owns. */
  jobs: readonly ObservedJob[];
  /** Pods of its runs (label mlops.steward.dev/run). */
  pods: readonly ObservedPod[];
  modelDeployment: ObservedModelDeployment | undefined;
  /** DriftMonitors whose spec.onDrift names this pipeline. */
  driftMonitors: readonly ObservedDriftMonitor[];
  /** The fire drill's check, from the DriftMonitor it names; unused without spec.fireDrill. */
  check: CheckTemplate;
  now: Date;
}

/** A status merge patch: `null` removes a field that no longer applies. */
export type StatusPatch = { [K in keyof RetrainPipelineStatus]?: RetrainPipelineStatus[K] | null };

export interface RetrainMetricValues {
  /** The ModelDeployment the pipeline retrains, and its owner's e-mail (else name; empty without one). */
  model: string;
  owner: string;
  /** Runs that ended in this reconcile, by result (counter increments). */
  finishedRuns: RunResult[];
  /** Unix seconds of the last passed drill. */
  drillLastSuccessSeconds: number | undefined;
  /** Injection to end of the last finished drill, in seconds. */
  drillDurationSeconds: number | undefined;
  /** The outcome of a drill that finished in this reconcile (a counter increment), if one did. */
  finishedDrill: DrillResult | undefined;
}

export interface RetrainPlan {
  /** The Jobs' own account, applied before them when a Job to create names no account (jobs.ts). */
  serviceAccounts: ServiceAccountManifest[];
  /** Jobs to create (only ones that do not exist: a Job's Pod template is immutable). */
  jobs: JobManifest[];
  /** Names of owned Jobs to delete (background propagation removes their Pods). */
  deleteJobs: string[];
  status: StatusPatch;
  events: RecordedEvent[];
  metrics: RetrainMetricValues | undefined;
  requeueAfterMs: number | undefined;
}

// A wake-up never comes sooner than this: a schedule due "now" is handled by this reconcile already.
const MIN_REQUEUE_MS = 1000;
// While a run or a drill is in flight, look again at least this often even if no event comes. The Job and
// Pod watches move a run on within seconds; this bounds what a lost or long-delayed watch event could cost
// (the informer's resync is hours away) at one cheap reconcile per active pipeline every few minutes.
export const ACTIVE_RUN_RECHECK_MS = 5 * 60_000;

const RESULT_OF: Partial<Record<Run['phase'], RunResult>> = {
  [RunPhase.Promoted]: RunResult.Promoted,
  [RunPhase.AwaitingApproval]: RunResult.AwaitingApproval,
  [RunPhase.Rejected]: RunResult.Rejected,
  [RunPhase.Failed]: RunResult.Failed,
  [RunPhase.Cancelled]: RunResult.Cancelled,
};

/** Keeps every run not yet final, then the newest final ones, `limit + 1` runs in all (status bound). */
export function trimRuns(runs: readonly Run[], limit: number): Run[] {
  const open = runs.filter((r) => !FINAL_PHASES.has(r.phase)).length;
  let finalKept = Math.max(0, limit + 1 - open);
  const kept: Run[] = [];
  for (const run of [...runs].reverse()) {
    if (!FINAL_PHASES.has(run.phase)) kept.push(run);
    else if (finalKept > 0) {
      kept.push(run);
      finalKept--;
    }
  }
  return kept.reverse();
}

function applyConditions(previous: readonly Condition[] | undefined, updates: ConditionUpdate[], now: Date) {
  return updates.reduce<Condition[]>(
    (list, update) => setCondition(list, update, now),
    [...(previous ?? [])],
  );
}

function invalidSpecPlan(pipeline: ObservedPipeline, problems: string, now: Date): RetrainPlan {
  const generation = pipeline.metadata?.generation ?? 0;
  const ready: ConditionUpdate = {
    type: ConditionType.Ready,
    status: ConditionStatus.False,
    reason: Reason.InvalidSpec,
    message: clip(`the spec is invalid, no run starts or advances: ${problems}`),
    observedGeneration: generation,
  };
  return {
    serviceAccounts: [],
    jobs: [],
    deleteJobs: [],
    status: {
      observedGeneration: generation,
      conditions: setProgress(
        applyConditions(pipeline.status?.conditions, [ready], now),
        stalledWhenNotReady(ready, NEEDS_A_CHANGE),
        generation,
        now,
      ),
    },
    events: [
      { type: 'Warning', reason: Reason.InvalidSpec, action: 'Reconcile', note: clip(ready.message, 1000) },
    ],
    metrics: undefined,
    requeueAfterMs: undefined,
  };
}

export function decide(observed: Observed): RetrainPlan {
  const { pipeline, now } = observed;
  const generation = pipeline.metadata?.generation ?? 0;
  const name = pipeline.metadata?.name ?? '';
  const namespace = pipeline.metadata?.namespace ?? '';
  const status = pipeline.status ?? {};
  const parsed = retrainPipelineSpecSchema.safeParse(pipeline.spec);
  if (!parsed.success) {
    return invalidSpecPlan(pipeline, describeIssues(parsed.error), now);
  }
  const spec = parsed.data;
  const created = new Date(String(pipeline.metadata?.creationTimestamp ?? now.toISOString()));
  const md = observed.modelDeployment;
  const ctx: StageContext = {
    namespace,
    pipeline: name,
    spec,
    jobs: new Map(observed.jobs.map((job) => [job.metadata?.name ?? '', job])),
    pods: observed.pods,
    serving: {
      version: md?.status?.servingVersion,
      uri: md?.status?.servingUri,
      evaluation: overallEvaluation(md?.spec?.governance?.evaluation),
    },
    approvedVersions: new Set(
      (md?.spec?.governance?.approvals ?? [])
        .map((a) => a.version)
        .filter((v): v is string => typeof v === 'string'),
    ),
    now,
  };

  const jobs: JobManifest[] = [];
  const deleteJobs = new Set<string>();
  const events: RecordedEvent[] = [];
  const finished: RunResult[] = [];
  const wakes: (Date | undefined)[] = [];
  let runs = [...(status.runs ?? [])];
  let promoted: Run | undefined;

  /** Moves a run as far as its Jobs allow, collecting what that takes. */
  const advance = (run: Run): Run => {
    const step = advanceRun(run, ctx);
    jobs.push(...step.jobs);
    events.push(...step.events);
    wakes.push(step.wakeAt);
    if (step.state.phase !== run.phase) {
      const result = RESULT_OF[step.state.phase];
      if (result !== undefined) finished.push(result);
      if (step.state.phase === RunPhase.Promoted) promoted = step.state;
    }
    return step.state;
  };

  runs = runs.map((run) => (FINAL_PHASES.has(run.phase) ? run : advance(run)));

  let pending: ReturnType<typeof pendingTriggers>;
  try {
    pending = pendingTriggers({
      name,
      created,
      annotations: pipeline.metadata?.annotations ?? {},
      spec,
      handled: status.handledTriggers ?? {},
      monitors: observed.driftMonitors,
      now,
    });
  } catch (error) {
    // A schedule the API server admitted but this controller cannot read (see schedule.ts).
    return invalidSpecPlan(pipeline, (error as Error).message, now);
  }
  wakes.push(pending.nextWake);
  for (const monitor of pending.ignoredMonitors) {
    events.push(
      retrainEvent(
        'Warning',
        RetrainEvent.DriftRequestIgnored,
        `DriftMonitor ${monitor} requested a run, but spec.triggers.driftMonitors does not list it`,
      ),
    );
  }
  let started = false;
  const [request] = pending.runs;
  if (request !== undefined) {
    const reason = clip(pending.runs.map((r) => r.reason).join('; '), 1024);
    const active = runs.find(isActive);
    if (active !== undefined && spec.concurrencyPolicy === ConcurrencyPolicy.Forbid) {
      events.push(
        retrainEvent(
          'Normal',
          RetrainEvent.RunSkipped,
          `run ${active.id} is still active (concurrencyPolicy Forbid); skipped: ${reason}`,
        ),
      );
    } else {
      const id = runId(request.trigger, request.key, new Set(runs.map((r) => r.id)));
      if (active !== undefined) {
        runs = runs.map((r) =>
          r.id === active.id
            ? {
                ...r,
                phase: RunPhase.Cancelled,
                completedAt: timestamp(now),
                message: `replaced by run ${id} (concurrencyPolicy Replace)`,
              }
            : r,
        );
        for (const job of runJobNames(name, active.id)) deleteJobs.add(job);
        finished.push(RunResult.Cancelled);
        events.push(
          retrainEvent('Normal', RetrainEvent.RunCancelled, `run ${active.id} replaced by run ${id}`),
        );
      }
      events.push(retrainEvent('Normal', RetrainEvent.RunStarted, `run ${id} started: ${reason}`));
      const run: Run = {
        id,
        trigger: request.trigger,
        reason,
        phase: RunPhase.Training,
        startedAt: timestamp(now),
        ...(ctx.serving.version === undefined ? {} : { servingVersion: ctx.serving.version }),
      };
      runs.push(advance(run));
      started = true;
    }
  }

  // A newer candidate that passed its gates supersedes an older one still waiting for approval.
  const newestValidated = runs.findLast(
    (r) => r.phase === RunPhase.AwaitingApproval || r.phase === RunPhase.Promoted,
  );
  if (newestValidated !== undefined) {
    runs = runs.map((r) => {
      if (
        r.phase !== RunPhase.AwaitingApproval ||
        r.id === newestValidated.id ||
        r.startedAt > newestValidated.startedAt
      )
        return r;
      finished.push(RunResult.Cancelled);
      return {
        ...r,
        phase: RunPhase.Cancelled,
        completedAt: timestamp(now),
        message: `superseded by the candidate of run ${newestValidated.id}`,
      };
    });
  }

  let drill: Drill | undefined = status.lastDrill;
  let lastDrillSuccessTime = status.lastDrillSuccessTime;
  let finishedDrill: DrillResult | undefined;
  if (spec.fireDrill !== undefined) {
    const drillContext = { ...ctx, fireDrill: spec.fireDrill, check: observed.check };
    const advanceTheDrill = (current: Drill) => {
      const step = advanceDrill(current, drillContext);
      jobs.push(...step.jobs);
      events.push(...step.events);
      wakes.push(step.wakeAt);
      return step.state;
    };
    if (drill?.outcome === DrillOutcome.Running) drill = advanceTheDrill(drill);
    if (pending.drill !== undefined) {
      if (drill?.outcome === DrillOutcome.Running) {
        events.push(
          retrainEvent(
            'Normal',
            RetrainEvent.DrillSkipped,
            `drill ${drill.runId} is still running; skipped: ${pending.drill.reason}`,
          ),
        );
      } else {
        const taken = new Set([...runs.map((r) => r.id), ...(drill === undefined ? [] : [drill.runId])]);
        const id = runId(RunTrigger.Drill, pending.drill.key, taken);
        events.push(
          retrainEvent('Normal', RetrainEvent.DrillStarted, `drill ${id} started: ${pending.drill.reason}`),
        );
        drill = advanceTheDrill({
          runId: id,
          startedAt: timestamp(now),
          outcome: DrillOutcome.Running,
          stage: DrillStage.Check,
        });
      }
    }
    // A drill that passed in this reconcile (not one that had passed before) moves the success time.
    const passedNow =
      drill?.outcome === DrillOutcome.Passed &&
      !(status.lastDrill?.runId === drill.runId && status.lastDrill.outcome === DrillOutcome.Passed);
    if (passedNow && drill?.completedAt !== undefined) lastDrillSuccessTime = drill.completedAt;
    finishedDrill = drillFinishedNow(status.lastDrill, drill);
  }

  runs = trimRuns(runs, spec.historyLimit);
  const kept = new Set([...runs.map((r) => r.id), ...(drill === undefined ? [] : [drill.runId])]);
  for (const job of observed.jobs) {
    const run = job.metadata?.labels?.[RUN_LABEL];
    if (run !== undefined && !kept.has(run) && job.metadata?.name !== undefined)
      deleteJobs.add(job.metadata.name);
  }

  const promotedRun = promoted ?? undefined;
  const promotedVersion = promotedRun?.candidateVersion ?? status.promotedVersion;
  const health = drillCondition(
    spec.fireDrill,
    { lastDrillSuccessTime, lastDrill: drill },
    created,
    now,
    generation,
  );
  if (health.staleAt !== undefined && health.staleAt > now) wakes.push(health.staleAt);
  if (runs.some(isActive) || drill?.outcome === DrillOutcome.Running) {
    wakes.push(new Date(now.getTime() + ACTIVE_RUN_RECHECK_MS));
  }
  const ready = readyCondition(health.condition, md !== undefined, spec, promotedVersion, generation);
  // A run in progress is the pipeline at work (like a CronJob's active Job), not reconciling toward its
  // spec: kstatus readers (Flux, Argo CD) would otherwise wait out every training. Stalled: a missing
  // ModelDeployment; a failed or stale drill is a finding (Ready=False, DrillHealthy), not a stall.
  const conditions = setProgress(
    applyConditions(status.conditions, [ready, runningCondition(runs, generation), health.condition], now),
    stalledWhenNotReady(ready, NEEDS_A_CHANGE),
    generation,
    now,
  );

  const activeRun = runs.find(isActive)?.id;
  const statusPatch: StatusPatch = {
    observedGeneration: generation,
    conditions,
    activeRun: activeRun ?? null,
    runs,
    handledTriggers: pending.handled,
    ...(promotedRun?.candidateVersion === undefined
      ? {}
      : {
          promotedVersion: promotedRun.candidateVersion,
          promotedUri: promotedRun.candidateUri ?? null,
          promotedAt: timestamp(now),
        }),
    ...(started ? { lastTriggerTime: timestamp(now) } : {}),
    ...(drill === undefined ? {} : { lastDrill: drill }),
    ...(lastDrillSuccessTime === undefined ? {} : { lastDrillSuccessTime }),
  };

  const wakeAt = wakes
    .filter((w): w is Date => w !== undefined)
    .reduce<Date | undefined>((a, b) => (a === undefined || b < a ? b : a), undefined);
  const lastFinishedDrill = drill?.completedAt === undefined ? undefined : drill;
  // Applied only with a Job to create, not on every reconcile: nothing caches ServiceAccounts.
  const jobsNeedAccount =
    jobs.length > 0 &&
    (spec.train.serviceAccountName === undefined || spec.validate.serviceAccountName === undefined);
  return {
    serviceAccounts: jobsNeedAccount ? [jobAccount(namespace, name)] : [],
    jobs,
    deleteJobs: [...deleteJobs],
    status: statusPatch,
    events,
    metrics: {
      model: spec.modelDeployment.name,
      owner: md?.spec?.owner?.email ?? md?.spec?.owner?.name ?? '',
      finishedRuns: finished,
      drillLastSuccessSeconds:
        lastDrillSuccessTime === undefined ? undefined : Date.parse(lastDrillSuccessTime) / 1000,
      drillDurationSeconds:
        lastFinishedDrill?.completedAt === undefined
          ? undefined
          : (Date.parse(lastFinishedDrill.completedAt) - Date.parse(lastFinishedDrill.startedAt)) / 1000,
      finishedDrill,
    },
    requeueAfterMs:
      wakeAt === undefined ? undefined : Math.max(MIN_REQUEUE_MS, wakeAt.getTime() - now.getTime()),
  };
}

/**
 * The result label of a drill that ended in this reconcile: one whose recorded state was still running
 * (or was another drill) and now has an outcome. A re-run on the same status counts nothing again.
 */
function drillFinishedNow(before: Drill | undefined, after: Drill | undefined): DrillResult | undefined {
  if (after === undefined || after.outcome === DrillOutcome.Running) return undefined;
  if (before?.runId === after.runId && before.outcome !== DrillOutcome.Running) return undefined;
  return after.outcome === DrillOutcome.Passed ? DrillResult.Passed : DrillResult.Failed;
}
