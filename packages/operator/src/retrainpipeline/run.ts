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
import type { z } from 'zod';
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

export type StageOutcome<T> =
  | { kind: 'pending'; jobs: JobManifest[] }
  | { kind: 'waiting'; until: Date }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; value: T; completedAt: string | undefined };

/**
 * Where one stage stands: its Job still to create or running (`pending`, with the Job to create), its
 * result overdue from the Pod cache (`waiting`), failed (with the Job's reason and the container's last
 * words, or why its result is unusable), or `done` with the parsed result document.
 */
export function stageOutcome<S extends z.ZodType>(
  ctx: StageContext,
  name: string,
  label: string,
  manifest: JobManifest | undefined,
  schema: S,
): StageOutcome<z.output<S>> {
  const state = jobState(ctx.jobs.get(name), ctx.pods);
  if (state.kind === 'missing' || state.kind === 'running') {
    return { kind: 'pending', jobs: manifest === undefined ? [] : ensureJob(ctx, manifest) };
  }
  if (state.kind === 'failed')
    return { kind: 'failed', message: `${label} job failed (${state.reason}): ${state.message}` };
  const read = readResult(state, schema, ctx.now);
  if (read.kind === 'waiting') return { kind: 'waiting', until: read.until };
  if (read.kind === 'unusable')
    return { kind: 'failed', message: `${label} job reported no usable result: ${read.problem}` };
  return { kind: 'done', value: read.value, completedAt: state.completedAt };
}

/** The step for a stage that is not done: wait for its Job, or for its result, or end with `fail`. */
export function unfinished<T>(
  outcome: Exclude<StageOutcome<unknown>, { kind: 'done' }>,
  step: (extra?: Partial<Step<T>>) => Step<T>,
  fail: (message: string) => Step<T>,
): Step<T> {
  if (outcome.kind === 'pending') return step({ jobs: outcome.jobs });
  if (outcome.kind === 'waiting') return step({ wakeAt: outcome.until });
  return fail(outcome.message);
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
  const events: RecordedEvent[] = [];
  const step = (extra: Partial<Step<Run>> = {}): Step<Run> => ({ state: run, jobs: [], events, ...extra });
  /** Ends the run with `phase`, and says so in an event. */
  const end = (phase: Phase, message: string, type: RecordedEvent['type'], reason: RetrainEvent) => {
    run = finish(run, ctx, phase, message);
    const artefact = phase === RunPhase.Promoted ? ` (${run.candidateUri})` : '';
    events.push(event(type, reason, `run ${run.id}: ${run.message}${artefact}`));
    return step();
  };
  const fail = (message: string) => end(RunPhase.Failed, message, 'Warning', RetrainEvent.RunFailed);
  const promote = (message: string) =>
    end(RunPhase.Promoted, message, 'Normal', RetrainEvent.CandidatePromoted);

  if (run.phase === RunPhase.Training) {
    const job = stageJob(ctx, Stage.Train, runEnvironment(run, ctx, false));
    const outcome = stageOutcome(ctx, job.metadata.name, 'train', job, trainResultSchema);
    if (outcome.kind !== 'done') return unfinished(outcome, step, fail);
    const { candidateVersion, uri } = outcome.value;
    run = { ...run, phase: RunPhase.Validating, candidateVersion, candidateUri: uri };
    events.push(
      event('Normal', RetrainEvent.CandidateTrained, `run ${run.id} trained ${candidateVersion} (${uri})`),
    );
  }

  if (run.phase === RunPhase.Validating) {
    const job = stageJob(ctx, Stage.Validate, runEnvironment(run, ctx, false));
    const outcome = stageOutcome(ctx, job.metadata.name, 'validate', job, validateResultSchema);
    if (outcome.kind !== 'done') return unfinished(outcome, step, fail);
    const result = outcome.value;
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
      const message = `candidate ${run.candidateVersion} rejected: ${verdict.failures.join('; ')}`;
      return end(RunPhase.Rejected, message, 'Warning', RetrainEvent.CandidateRejected);
    }
    if ((ctx.spec.promotion?.mode ?? PromotionMode.Auto) === PromotionMode.Auto) {
      return promote(`candidate ${run.candidateVersion} passed every gate and was promoted`);
    }
    run = {
      ...run,
      phase: RunPhase.AwaitingApproval,
      message: `candidate ${run.candidateVersion} passed every gate; waiting for an approval of version ${run.candidateVersion} in ModelDeployment ${ctx.spec.modelDeployment.name}`,
    };
    events.push(event('Normal', RetrainEvent.AwaitingApproval, `run ${run.id}: ${run.message}`));
  }

  if (run.phase === RunPhase.AwaitingApproval && run.candidateVersion !== undefined) {
    if (ctx.approvedVersions.has(run.candidateVersion)) {
      return promote(
        `candidate ${run.candidateVersion} approved in ModelDeployment ${ctx.spec.modelDeployment.name} and promoted`,
      );
    }
  }
  return step();
}

/** The names of a run's Jobs (those that may exist). */
export function runJobNames(pipeline: string, run: string): string[] {
  return [Stage.Train, Stage.Validate, Stage.Check].map((stage) => jobName(pipeline, run, stage));
}

export { event as retrainEvent };
