/**
 * One run's state machine, pure: train Job -> validate Job -> gates -> promote (or wait for approval).
 * Each call looks at the run's Jobs and moves the run as far as they allow; calling it again with the
 * same observations changes nothing (level-triggered).
 */
import {
  MAX_REPORTED_RESULTS,
  PromotionMode,
  type RetrainPipelineSpec,
  type RetrainPipelineStatus,
  RunPhase,
  trainResultSchema,
  validateResultSchema,
} from '@steward/api';
import type { RecordedEvent } from '@steward/runtime';
import { evaluateGates, type ServingReference } from './gates.ts';
import {
  buildJob,
  type JobManifest,
  jobState,
  type ObservedJob,
  type ObservedPod,
  type RunEnvironment,
} from './jobs.ts';
import { jobName, Stage } from './names.ts';
import { RetrainEvent } from './reasons.ts';
import { readResult } from './results.ts';

export type Run = NonNullable<RetrainPipelineStatus['runs']>[number];
type Phase = Run['phase'];

export const FINAL_PHASES: ReadonlySet<Phase> = new Set([
  RunPhase.Promoted,
  RunPhase.DryRunPromoted,
  RunPhase.Rejected,
  RunPhase.Failed,
  RunPhase.Cancelled,
]);

export interface StageContext {
  namespace: string;
  pipeline: string;
  spec: RetrainPipelineSpec;
  jobs: ReadonlyMap<string, ObservedJob>;
  pods: readonly ObservedPod[];
  serving: ServingReference & { uri: string | undefined };
  /** Versions the ModelDeployment has an approval for (spec.governance.approvals). */
  approvedVersions: ReadonlySet<string>;
  now: Date;
}

export interface Step<T> {
  state: T;
  jobs: JobManifest[];
  events: RecordedEvent[];
  /** Reconcile again at this time even if nothing changes. */
  wakeAt?: Date;
}

export function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

// Status must stay small: a long failure message is cut here, with a mark.
const MAX_MESSAGE = 4000;
export function clip(text: string, max = MAX_MESSAGE): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function stageJob(ctx: StageContext, stage: Stage, env: RunEnvironment): JobManifest {
  const template = stage === Stage.Train ? ctx.spec.train : ctx.spec.validate;
  return buildJob({
    namespace: ctx.namespace,
    pipeline: ctx.pipeline,
    stage,
    template,
    env,
    queueName: ctx.spec.queueName,
  });
}

/** The Job of a stage, to apply only while it does not exist: a Job's Pod template is immutable. */
export function ensureJob(ctx: StageContext, manifest: JobManifest): JobManifest[] {
  return ctx.jobs.has(manifest.metadata.name) ? [] : [manifest];
}

function event(type: RecordedEvent['type'], reason: string, note: string): RecordedEvent {
  return { type, reason, action: 'Retrain', note: clip(note, 1000) };
}

function runEnvironment(run: Run, ctx: StageContext, dryRun: boolean): RunEnvironment {
  return {
    runId: run.id,
    trigger: run.trigger,
    dryRun,
    candidateVersion: run.candidateVersion,
    candidateUri: run.candidateUri,
    servingVersion: run.servingVersion ?? ctx.serving.version,
    servingUri: ctx.serving.uri,
  };
}

function finish(run: Run, ctx: StageContext, phase: Phase, message: string): Run {
  return { ...run, phase, completedAt: timestamp(ctx.now), message: clip(message) };
}

export function advanceRun(initial: Run, ctx: StageContext): Step<Run> {
  let run = initial;
  const jobs: JobManifest[] = [];
  const events: RecordedEvent[] = [];
  const dryRun = false;

  if (run.phase === RunPhase.Training) {
    const job = stageJob(ctx, Stage.Train, runEnvironment(run, ctx, dryRun));
    const state = jobState(ctx.jobs.get(job.metadata.name), ctx.pods);
    if (state.kind === 'missing' || state.kind === 'running')
      return { state: run, jobs: ensureJob(ctx, job), events };
    if (state.kind === 'failed') {
      run = finish(run, ctx, RunPhase.Failed, `train job failed (${state.reason}): ${state.message}`);
      return {
        state: run,
        jobs,
        events: [event('Warning', RetrainEvent.RunFailed, `run ${run.id}: ${run.message}`)],
      };
    }
    const read = readResult(state, trainResultSchema, ctx.now);
    if (read.kind === 'waiting') return { state: run, jobs, events, wakeAt: read.until };
    if (read.kind === 'unusable') {
      run = finish(run, ctx, RunPhase.Failed, `train job reported no usable result: ${read.problem}`);
      return {
        state: run,
        jobs,
        events: [event('Warning', RetrainEvent.RunFailed, `run ${run.id}: ${run.message}`)],
      };
    }
    run = {
      ...run,
      phase: RunPhase.Validating,
      candidateVersion: read.value.candidateVersion,
      candidateUri: read.value.uri,
    };
    events.push(
      event(
        'Normal',
        RetrainEvent.CandidateTrained,
        `run ${run.id} trained ${read.value.candidateVersion} (${read.value.uri})`,
      ),
    );
  }

  if (run.phase === RunPhase.Validating) {
    const job = stageJob(ctx, Stage.Validate, runEnvironment(run, ctx, dryRun));
    const state = jobState(ctx.jobs.get(job.metadata.name), ctx.pods);
    if (state.kind === 'missing' || state.kind === 'running')
      return { state: run, jobs: ensureJob(ctx, job), events };
    if (state.kind === 'failed') {
      run = finish(run, ctx, RunPhase.Failed, `validate job failed (${state.reason}): ${state.message}`);
      events.push(event('Warning', RetrainEvent.RunFailed, `run ${run.id}: ${run.message}`));
      return { state: run, jobs, events };
    }
    const read = readResult(state, validateResultSchema, ctx.now);
    if (read.kind === 'waiting') return { state: run, jobs, events, wakeAt: read.until };
    if (read.kind === 'unusable') {
      run = finish(run, ctx, RunPhase.Failed, `validate job reported no usable result: ${read.problem}`);
      events.push(event('Warning', RetrainEvent.RunFailed, `run ${run.id}: ${run.message}`));
      return { state: run, jobs, events };
    }
    const result = read.value;
    run = {
      ...run,
      metrics: result.metrics,
      ...(result.evaluation === undefined
        ? {}
        : { evaluation: result.evaluation.slice(0, MAX_REPORTED_RESULTS) }),
      ...(result.fairness === undefined ? {} : { fairness: result.fairness.slice(0, MAX_REPORTED_RESULTS) }),
    };
    const verdict = evaluateGates(ctx.spec.validate, result, ctx.serving);
    if (!verdict.passed) {
      run = finish(
        run,
        ctx,
        RunPhase.Rejected,
        `candidate ${run.candidateVersion} rejected: ${verdict.failures.join('; ')}`,
      );
      events.push(event('Warning', RetrainEvent.CandidateRejected, `run ${run.id}: ${run.message}`));
      return { state: run, jobs, events };
    }
    if ((ctx.spec.promotion?.mode ?? PromotionMode.Auto) === PromotionMode.Manual) {
      run = {
        ...run,
        phase: RunPhase.AwaitingApproval,
        message: `candidate ${run.candidateVersion} passed every gate; waiting for an approval of version ${run.candidateVersion} in ModelDeployment ${ctx.spec.modelDeployment.name}`,
      };
      events.push(event('Normal', RetrainEvent.AwaitingApproval, `run ${run.id}: ${run.message}`));
    } else {
      run = finish(
        run,
        ctx,
        RunPhase.Promoted,
        `candidate ${run.candidateVersion} passed every gate and was promoted`,
      );
      events.push(
        event(
          'Normal',
          RetrainEvent.CandidatePromoted,
          `run ${run.id}: ${run.message} (${run.candidateUri})`,
        ),
      );
      return { state: run, jobs, events };
    }
  }

  if (run.phase === RunPhase.AwaitingApproval && run.candidateVersion !== undefined) {
    if (ctx.approvedVersions.has(run.candidateVersion)) {
      run = finish(
        run,
        ctx,
        RunPhase.Promoted,
        `candidate ${run.candidateVersion} approved in ModelDeployment ${ctx.spec.modelDeployment.name} and promoted`,
      );
      events.push(
        event(
          'Normal',
          RetrainEvent.CandidatePromoted,
          `run ${run.id}: ${run.message} (${run.candidateUri})`,
        ),
      );
    }
  }
  return { state: run, jobs, events };
}

/** The names of a run's Jobs (those that may exist). */
export function runJobNames(pipeline: string, run: string): string[] {
  return [Stage.Train, Stage.Validate, Stage.Check].map((stage) => jobName(pipeline, run, stage));
}

export { event as retrainEvent };
