/**
 * A fire drill's state machine, pure: check (the DriftMonitor's check on a copy of its baseline with
 * synthetic drift injected must detect it) -> train and validate in dry-run mode -> a dry-run promotion
 * that changes nothing serving. The drill lives in status.lastDrill, beside the real runs, never
 * blocking them.
 */
import {
  DrillOutcome,
  DrillStage,
  drillCheckResultSchema,
  type RetrainPipelineSpec,
  type RetrainPipelineStatus,
  RunTrigger,
  TERMINATION_MESSAGE_PATH,
  trainResultSchema,
  validateResultSchema,
} from '@steward/api';
import type { RecordedEvent } from '@steward/runtime';
import { evaluateGates } from './gates.ts';
import type { JobManifest, RunEnvironment } from './jobs.ts';
import {
  jobName,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  PIPELINE_LABEL,
  pipelineLabelValue,
  RUN_LABEL,
  STAGE_LABEL,
  Stage,
} from './names.ts';
import { RetrainEvent } from './reasons.ts';
import {
  clip,
  retrainEvent,
  type StageContext,
  type Step,
  stageJob,
  stageOutcome,
  timestamp,
  unfinished,
} from './run.ts';

export type Drill = NonNullable<RetrainPipelineStatus['lastDrill']>;
type FireDrill = NonNullable<RetrainPipelineSpec['fireDrill']>;

/** The env var carrying the injection to the check container (docs/retrain-pipeline.md). */
export const DRILL_INJECTION_ENV = 'STEWARD_DRILL_INJECTION';
/** What the check container runs instead of the scheduled check: the Steward image's drill check. */
export const DRILL_CHECK_COMMAND = ['steward'];
export const DRILL_CHECK_ARGS = ['job', 'drill-check'];

/** The DriftMonitor's check as a Pod template (from its CronJob), or why there is none. */
export type CheckTemplate =
  | { kind: 'template'; podTemplate: PodTemplate; activeDeadlineSeconds?: number | undefined }
  | { kind: 'unavailable'; problem: string };

export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: ({ env?: unknown[] } & Record<string, unknown>)[] } & Record<string, unknown>;
}

export interface DrillContext extends StageContext {
  fireDrill: FireDrill;
  check: CheckTemplate;
}

function describeInjection(fireDrill: FireDrill): string {
  const { kind, magnitude, features } = fireDrill.injection;
  const what =
    kind === 'shift'
      ? `a shift of ${magnitude} sd`
      : kind === 'scale'
        ? `a scale by ${magnitude}`
        : `a category flip of ${magnitude}`;
  return `${what} in ${features.join(', ')}`;
}

/**
 * The check Job: the DriftMonitor's own check Pod (image, monitor configuration, data volumes, credentials,
 * service account), running `steward job drill-check` on an injected copy of its baseline instead.
 */
function checkJob(
  ctx: DrillContext,
  drill: Drill,
  template: Extract<CheckTemplate, { kind: 'template' }>,
  env: RunEnvironment,
): JobManifest {
  const name = jobName(ctx.pipeline, drill.runId, Stage.Check);
  // Only the pipeline's labels: the template's would make the DriftMonitor controller take this Job
  // (and its injected drift) for one of its own scheduled checks.
  const labels = {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [PIPELINE_LABEL]: pipelineLabelValue(ctx.pipeline),
    [RUN_LABEL]: drill.runId,
    [STAGE_LABEL]: Stage.Check,
  };
  const spec = template.podTemplate.spec ?? {};
  const extraEnv = [
    { name: DRILL_INJECTION_ENV, value: JSON.stringify(ctx.fireDrill.injection) },
    { name: 'STEWARD_RUN_ID', value: env.runId },
    { name: 'STEWARD_RUN_TRIGGER', value: env.trigger },
    { name: 'STEWARD_DRY_RUN', value: 'true' },
  ];
  const containers = (spec.containers ?? []).map((container, index) =>
    index === 0
      ? {
          ...container,
          command: DRILL_CHECK_COMMAND,
          args: DRILL_CHECK_ARGS,
          env: [...(container.env ?? []), ...extraEnv],
          terminationMessagePath: TERMINATION_MESSAGE_PATH,
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }
      : container,
  );
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ctx.namespace, labels },
    spec: {
      // A drill's check runs once: a retry would only hide a flaky check.
      backoffLimit: 0,
      ...(template.activeDeadlineSeconds === undefined
        ? {}
        : { activeDeadlineSeconds: template.activeDeadlineSeconds }),
      template: { metadata: { labels }, spec: { ...spec, restartPolicy: 'Never', containers } },
    },
  };
}

function fail(drill: Drill, ctx: StageContext, stage: Drill['stage'], message: string): Step<Drill> {
  const failed: Drill = {
    ...drill,
    outcome: DrillOutcome.Failed,
    stage,
    completedAt: timestamp(ctx.now),
    message: clip(message),
  };
  return {
    state: failed,
    jobs: [],
    events: [
      retrainEvent(
        'Warning',
        RetrainEvent.DrillFailed,
        `drill ${drill.runId} failed at ${stage}: ${failed.message}`,
      ),
    ],
  };
}

export function advanceDrill(initial: Drill, ctx: DrillContext): Step<Drill> {
  let drill = initial;
  const events: RecordedEvent[] = [];
  const step = (extra: Partial<Step<Drill>> = {}): Step<Drill> => ({
    state: drill,
    jobs: [],
    events,
    ...extra,
  });
  if (drill.outcome !== DrillOutcome.Running) return step();
  const failAt = (stage: Drill['stage']) => (message: string) => fail(drill, ctx, stage, message);
  const env: RunEnvironment = {
    runId: drill.runId,
    trigger: RunTrigger.Drill,
    dryRun: true,
    candidateVersion: drill.candidateVersion,
    candidateUri: drill.candidateUri,
    servingVersion: ctx.serving.version,
    servingUri: ctx.serving.uri,
  };

  if (drill.stage === DrillStage.Check) {
    const name = jobName(ctx.pipeline, drill.runId, Stage.Check);
    if (ctx.check.kind === 'unavailable' && !ctx.jobs.has(name)) {
      return fail(drill, ctx, DrillStage.Check, `cannot run the drift check: ${ctx.check.problem}`);
    }
    const manifest = ctx.check.kind === 'template' ? checkJob(ctx, drill, ctx.check, env) : undefined;
    const outcome = stageOutcome(ctx, name, 'drift check', manifest, drillCheckResultSchema);
    if (outcome.kind !== 'done') return unfinished(outcome, step, failAt(DrillStage.Check));
    if (!outcome.value.detected) {
      const injected = describeInjection(ctx.fireDrill);
      return fail(
        drill,
        ctx,
        DrillStage.Check,
        `the drift check did not detect the injected drift (${injected}): ${outcome.value.summary}`,
      );
    }
    drill = { ...drill, stage: DrillStage.Train, detection: clip(outcome.value.summary, 1024) };
  }

  if (drill.stage === DrillStage.Train) {
    const job = stageJob(ctx, Stage.Train, env);
    const outcome = stageOutcome(ctx, job.metadata.name, 'train', job, trainResultSchema);
    if (outcome.kind !== 'done') return unfinished(outcome, step, failAt(DrillStage.Train));
    drill = {
      ...drill,
      stage: DrillStage.Validate,
      candidateVersion: outcome.value.candidateVersion,
      candidateUri: outcome.value.uri,
    };
    env.candidateVersion = outcome.value.candidateVersion;
    env.candidateUri = outcome.value.uri;
  }

  if (drill.stage === DrillStage.Validate) {
    const job = stageJob(ctx, Stage.Validate, env);
    const outcome = stageOutcome(ctx, job.metadata.name, 'validate', job, validateResultSchema);
    if (outcome.kind !== 'done') return unfinished(outcome, step, failAt(DrillStage.Validate));
    drill = { ...drill, metrics: outcome.value.metrics };
    const verdict = evaluateGates(ctx.spec.validate, outcome.value, ctx.serving);
    if (!verdict.passed) {
      const failures = verdict.failures.join('; ');
      return fail(
        drill,
        ctx,
        DrillStage.Validate,
        `candidate ${drill.candidateVersion} would be rejected: ${failures}`,
      );
    }
    const validatedAt = outcome.completedAt === undefined ? ctx.now : new Date(outcome.completedAt);
    const seconds = Math.max(0, (validatedAt.getTime() - Date.parse(drill.startedAt)) / 1000);
    drill = {
      ...drill,
      stage: DrillStage.Promote,
      outcome: DrillOutcome.Passed,
      completedAt: timestamp(ctx.now),
      secondsToValidatedCandidate: seconds,
      message: clip(
        `dry run: would promote ${drill.candidateVersion} (${drill.candidateUri}); nothing serving changed. Drift detected, candidate trained and validated ${Math.round(seconds)}s after injection`,
      ),
    };
    events.push(retrainEvent('Normal', RetrainEvent.DrillPassed, `drill ${drill.runId}: ${drill.message}`));
  }
  return step();
}
