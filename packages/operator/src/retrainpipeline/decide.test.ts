import {
  ConditionType,
  DRILL_REQUESTED_ANNOTATION,
  DrillOutcome,
  KUEUE_QUEUE_LABEL,
  Reason,
  type RetrainPipelineStatus,
  RunPhase,
  RunTrigger,
} from '@steward/api';
import { describe, expect, it } from 'vitest';
import { RESULT_GRACE_MS } from '../job-results.ts';
import { ACTIVE_RUN_RECHECK_MS, decide, type RetrainPlan } from './decide.ts';
import { DRILL_INJECTION_ENV } from './drill.ts';
import type { JobManifest } from './jobs.ts';
import { jobName, runId, Stage } from './names.ts';
import { DrillResult, RetrainEvent, RunResult } from './reasons.ts';
import type { Run } from './run.ts';
import {
  baseSpec,
  CREATED,
  checkTemplate,
  completed,
  goodValidation,
  job,
  manual,
  NOW,
  observed,
  PIPELINE,
  pipeline,
  pod,
  servingDeployment,
} from './test-support.ts';

const RUN = runId(RunTrigger.Manual, 'r1', new Set());

function training(extra: Partial<Run> = {}): Run {
  return {
    id: RUN,
    trigger: 'manual',
    phase: 'Training',
    startedAt: '2026-11-29T11:00:00Z',
    servingVersion: '2.3.1',
    ...extra,
  };
}
function validating(extra: Partial<Run> = {}): Run {
  return training({
    phase: 'Validating',
    candidateVersion: '2.4.0-r',
    candidateUri: 'file:///models/2.4.0-r/',
    ...extra,
  });
}
const handledR1 = { handledTriggers: { manualRequest: 'r1' } };

function withRun(run: Run, extra: RetrainPipelineStatus = {}) {
  return pipeline(baseSpec, { ...handledR1, activeRun: run.id, runs: [run], ...extra }, manual('r1'));
}

const condition = (plan: RetrainPlan, type: string) => plan.status.conditions?.find((c) => c.type === type);
const reasons = (plan: RetrainPlan) => plan.events.map((e) => e.reason);
const lastRun = (plan: RetrainPlan) => plan.status.runs?.at(-1);
type Container = { env: { name: string; value?: string }[] } & Record<string, unknown>;
const containerOf = (manifest: JobManifest | undefined) =>
  (manifest?.spec as { template: { spec: { containers: Container[] } } } | undefined)?.template.spec
    .containers[0];
const env = (manifest: JobManifest | undefined) =>
  Object.fromEntries(containerOf(manifest)?.env.map((e) => [e.name, e.value]) ?? []);

describe('RetrainPipeline decide: starting runs', () => {
  it('a manual request starts a run and creates its train Job at once, restricted, with the run in its env', () => {
    const plan = decide(observed({ pipeline: pipeline(baseSpec, {}, manual('r1')) }));
    expect(lastRun(plan)).toMatchObject({
      id: RUN,
      trigger: 'manual',
      phase: 'Training',
      servingVersion: '2.3.1',
    });
    expect(plan.status.activeRun).toBe(RUN);
    expect(plan.status.handledTriggers?.manualRequest).toBe('r1');
    expect(plan.jobs.map((j) => j.metadata.name)).toEqual([jobName(PIPELINE, RUN, Stage.Train)]);
    expect(env(plan.jobs[0])).toMatchObject({
      STEWARD_RUN_ID: RUN,
      STEWARD_RUN_TRIGGER: 'manual',
      STEWARD_DRY_RUN: 'false',
      STEWARD_SERVING_VERSION: '2.3.1',
    });
    const podSpec = (plan.jobs[0]?.spec as { template: { spec: Record<string, unknown> } } | undefined)
      ?.template.spec;
    expect(podSpec?.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(plan.jobs[0]?.spec.activeDeadlineSeconds).toBe(3600);
    expect(reasons(plan)).toEqual([RetrainEvent.RunStarted]);
    expect(condition(plan, ConditionType.Running)).toMatchObject({
      status: 'True',
      reason: Reason.RunInProgress,
    });
  });

  it('the same annotation value again starts nothing: one run per value', () => {
    const plan = decide(observed({ pipeline: pipeline(baseSpec, handledR1, manual('r1')) }));
    expect(plan.jobs).toEqual([]);
    expect(plan.status.runs).toEqual([]);
  });

  it('a value requested again after another one gets a new run id, never the old run Jobs', () => {
    const old = { ...training(), phase: RunPhase.Promoted };
    const plan = decide(
      observed({
        pipeline: pipeline(baseSpec, { handledTriggers: { manualRequest: 'r2' }, runs: [old] }, manual('r1')),
      }),
    );
    expect(lastRun(plan)?.id).toBe(`${RUN}-2`);
  });

  it('after a crash between creating the Job and writing the status, the same run id adopts the Job: none is created twice', () => {
    const plan = decide(
      observed({ pipeline: pipeline(baseSpec, {}, manual('r1')), jobs: [job(RUN, Stage.Train)] }),
    );
    expect(lastRun(plan)?.id).toBe(RUN);
    expect(plan.jobs).toEqual([]);
  });

  it('job volumes mount their PersistentVolumeClaims beside the scratch /tmp', () => {
    const train = {
      ...baseSpec.train,
      volumes: [{ name: 'models', mountPath: '/models', persistentVolumeClaim: 'fraud-models' }],
    };
    const plan = decide(observed({ pipeline: pipeline({ ...baseSpec, train }, {}, manual('r1')) }));
    const podSpec = (plan.jobs[0]?.spec as { template: { spec: { volumes: unknown[] } } } | undefined)
      ?.template.spec;
    expect(podSpec?.volumes).toEqual([
      { name: 'steward-scratch', emptyDir: {} },
      { name: 'models', persistentVolumeClaim: { claimName: 'fraud-models' } },
    ]);
    expect(containerOf(plan.jobs[0])?.volumeMounts).toEqual([
      { name: 'steward-scratch', mountPath: '/tmp' },
      { name: 'models', mountPath: '/models' },
    ]);
  });

  it('queueName becomes the Kueue queue label on the Job and its Pods', () => {
    const plan = decide(
      observed({ pipeline: pipeline({ ...baseSpec, queueName: 'ml-training' }, {}, manual('r1')) }),
    );
    expect(plan.jobs[0]?.metadata.labels[KUEUE_QUEUE_LABEL]).toBe('ml-training');
  });

  it('Forbid: a request while a run is active is skipped, recorded as handled, and said in an event', () => {
    const plan = decide(
      observed({
        pipeline: pipeline(baseSpec, { ...handledR1, activeRun: RUN, runs: [training()] }, manual('r2')),
        jobs: [job(RUN, Stage.Train)],
      }),
    );
    expect(plan.status.runs).toHaveLength(1);
    expect(plan.status.handledTriggers?.manualRequest).toBe('r2');
    expect(reasons(plan)).toEqual([RetrainEvent.RunSkipped]);
  });

  it('Replace: the active run is cancelled, its Jobs deleted, and the new run starts', () => {
    const spec = { ...baseSpec, concurrencyPolicy: 'Replace' };
    const plan = decide(
      observed({
        pipeline: pipeline(spec, { ...handledR1, runs: [training()] }, manual('r2')),
        jobs: [job(RUN, Stage.Train)],
      }),
    );
    expect(plan.status.runs?.map((r) => r.phase)).toEqual(['Cancelled', 'Training']);
    expect(plan.deleteJobs).toContain(jobName(PIPELINE, RUN, Stage.Train));
    expect(plan.metrics?.finishedRuns).toEqual([RunResult.Cancelled]);
    expect(reasons(plan)).toEqual([RetrainEvent.RunCancelled, RetrainEvent.RunStarted]);
  });

  it('an invalid spec starts and advances nothing and says why in Ready', () => {
    const plan = decide(observed({ pipeline: pipeline({ ...baseSpec, historyLimit: 0 }, {}, manual('r1')) }));
    expect(plan.jobs).toEqual([]);
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.InvalidSpec,
    });
    expect(condition(plan, ConditionType.Ready)?.message).toMatch(/spec.historyLimit/);
    expect(condition(plan, ConditionType.Stalled)).toMatchObject({
      status: 'True',
      reason: Reason.InvalidSpec,
    });
  });

  it('a schedule the controller cannot read is an invalid spec, not a crash', () => {
    // 0 0 30 2 * passes every syntax check but never fires; a garbled field would be caught here too.
    const plan = decide(
      observed({ pipeline: pipeline({ ...baseSpec, triggers: { schedule: '0 0 * * 8' } }) }),
    );
    expect(condition(plan, ConditionType.Ready)?.message).toMatch(/spec.triggers.schedule/);
  });

  it('a missing ModelDeployment makes Ready False (ReferenceNotFound) but runs still go on', () => {
    const plan = decide(
      observed({ pipeline: pipeline(baseSpec, {}, manual('r1')), modelDeployment: undefined }),
    );
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.ReferenceNotFound,
    });
    expect(condition(plan, ConditionType.Stalled)).toMatchObject({
      status: 'True',
      reason: Reason.ReferenceNotFound,
    });
    expect(plan.jobs).toHaveLength(1);
  });

  it('a run in progress is looked at again within ACTIVE_RUN_RECHECK_MS even if no watch event comes', () => {
    const plan = decide(observed({ pipeline: withRun(training()) }));
    expect(lastRun(plan)?.phase).toBe('Training');
    expect(plan.requeueAfterMs).toBe(ACTIVE_RUN_RECHECK_MS);
    const idle = decide(observed({ pipeline: pipeline(baseSpec) }));
    expect(idle.requeueAfterMs).toBeUndefined();
  });

  it('a run in progress is the pipeline at work: kstatus sees neither Reconciling nor Stalled', () => {
    const plan = decide(observed({ pipeline: pipeline(baseSpec, {}, manual('r1')) }));
    expect(plan.status.runs?.map((r) => r.phase)).toEqual(['Training']);
    expect(condition(plan, ConditionType.Reconciling)).toBeUndefined();
    expect(condition(plan, ConditionType.Stalled)).toBeUndefined();
  });

  it('a spec fixed after it stalled drops Stalled', () => {
    const stalled = decide(observed({ pipeline: pipeline({ ...baseSpec, historyLimit: 0 }) }));
    const fixed = decide(observed({ pipeline: pipeline(baseSpec, stalled.status as never) }));
    expect(condition(stalled, ConditionType.Stalled)?.status).toBe('True');
    expect(condition(fixed, ConditionType.Stalled)).toBeUndefined();
  });
});

describe('RetrainPipeline decide: drift and schedule triggers', () => {
  const monitor = (name: string, time: string, pipelineName = PIPELINE) => ({
    metadata: { name },
    spec: { onDrift: { retrainPipeline: pipelineName } },
    status: {
      lastRetrainTrigger: { time, pipeline: pipelineName, reason: 'amount drifted (wasserstein 0.31 > 0.1)' },
    },
  });
  const withMonitors = { ...baseSpec, triggers: { driftMonitors: ['fraud-drift'] } };

  it('a DriftMonitor request starts a drift run whose reason quotes the monitor', () => {
    const plan = decide(
      observed({
        pipeline: pipeline(withMonitors),
        driftMonitors: [monitor('fraud-drift', '2026-11-29T11:30:00Z')],
      }),
    );
    expect(lastRun(plan)).toMatchObject({ id: 'drift-20261129-113000', trigger: 'drift' });
    expect(lastRun(plan)?.reason).toMatch(/DriftMonitor fraud-drift: amount drifted/);
    expect(plan.status.handledTriggers?.driftRequestTime).toBe('2026-11-29T11:30:00Z');
  });

  it('a request already acted on, or older than the pipeline, starts nothing', () => {
    const handled = pipeline(withMonitors, { handledTriggers: { driftRequestTime: '2026-11-29T11:30:00Z' } });
    expect(
      decide(observed({ pipeline: handled, driftMonitors: [monitor('fraud-drift', '2026-11-29T11:30:00Z')] }))
        .status.runs,
    ).toEqual([]);
    const before = decide(
      observed({
        pipeline: pipeline(withMonitors),
        driftMonitors: [monitor('fraud-drift', '2026-10-01T00:00:00Z')],
      }),
    );
    expect(before.status.runs).toEqual([]);
  });

  it('a request from a monitor that triggers.driftMonitors does not list is ignored with a warning', () => {
    const plan = decide(
      observed({
        pipeline: pipeline(withMonitors),
        driftMonitors: [monitor('other-drift', '2026-11-29T11:30:00Z')],
      }),
    );
    expect(plan.status.runs).toEqual([]);
    expect(reasons(plan)).toEqual([RetrainEvent.DriftRequestIgnored]);
  });

  it('without triggers.driftMonitors, any monitor whose onDrift names the pipeline may request a run', () => {
    const plan = decide(observed({ driftMonitors: [monitor('any-drift', '2026-11-29T11:30:00Z')] }));
    expect(lastRun(plan)?.trigger).toBe('drift');
  });

  it('a schedule time that passed since the last one acted on starts a scheduled run', () => {
    const spec = { ...baseSpec, triggers: { schedule: '0 2 1 * *', timeZone: 'Europe/Berlin' } };
    const plan = decide(observed({ pipeline: pipeline(spec, {}), now: new Date('2026-12-01T06:00:00Z') }));
    // 02:00 in Berlin (CET, UTC+1) is 01:00 UTC.
    expect(lastRun(plan)).toMatchObject({ id: 'sched-20261201-010000', trigger: 'schedule' });
    expect(plan.status.handledTriggers?.scheduleTime).toBe('2026-12-01T01:00:00.000Z');
  });

  it('before the next schedule time nothing starts, and the pipeline is reconciled again at that time', () => {
    const spec = { ...baseSpec, triggers: { schedule: '0 2 1 * *', timeZone: 'Europe/Berlin' } };
    const plan = decide(
      observed({
        pipeline: pipeline(spec, { handledTriggers: { scheduleTime: '2026-11-01T01:00:00.000Z' } }),
      }),
    );
    expect(plan.status.runs).toEqual([]);
    expect(plan.requeueAfterMs).toBe(Date.parse('2026-12-01T01:00:00Z') - NOW.getTime());
  });

  it('manual and drift requests at once make one run, the manual one, naming both', () => {
    const plan = decide(
      observed({
        pipeline: pipeline(withMonitors, {}, manual('r1')),
        driftMonitors: [monitor('fraud-drift', '2026-11-29T11:30:00Z')],
      }),
    );
    expect(plan.status.runs).toHaveLength(1);
    expect(lastRun(plan)?.trigger).toBe('manual');
    expect(lastRun(plan)?.reason).toMatch(/retrain-requested=r1; DriftMonitor fraud-drift/);
    expect(plan.status.handledTriggers).toMatchObject({
      manualRequest: 'r1',
      driftRequestTime: '2026-11-29T11:30:00Z',
    });
  });
});

describe('RetrainPipeline decide: train and validate', () => {
  it('a train Job still running changes nothing and creates nothing', () => {
    const plan = decide(observed({ pipeline: withRun(training()), jobs: [job(RUN, Stage.Train)] }));
    expect(plan.jobs).toEqual([]);
    expect(lastRun(plan)?.phase).toBe('Training');
  });

  it('a finished train Job moves the run to Validating and creates the validate Job with the candidate', () => {
    const done = completed(RUN, Stage.Train, { candidateVersion: '2.4.0-r', uri: 'file:///models/2.4.0-r/' });
    const plan = decide(observed({ pipeline: withRun(training()), ...done }));
    expect(lastRun(plan)).toMatchObject({
      phase: 'Validating',
      candidateVersion: '2.4.0-r',
      candidateUri: 'file:///models/2.4.0-r/',
    });
    expect(plan.jobs.map((j) => j.metadata.name)).toEqual([jobName(PIPELINE, RUN, Stage.Validate)]);
    expect(env(plan.jobs[0])).toMatchObject({
      STEWARD_CANDIDATE_VERSION: '2.4.0-r',
      STEWARD_CANDIDATE_URI: 'file:///models/2.4.0-r/',
    });
    expect(reasons(plan)).toEqual([RetrainEvent.CandidateTrained]);
  });

  it('a complete train Job whose Pod result the cache does not show yet is waited for, briefly', () => {
    const plan = decide(
      observed({
        pipeline: withRun(training()),
        jobs: [job(RUN, Stage.Train, 'Complete', { completionTime: '2026-11-29T11:59:30Z' })],
      }),
    );
    expect(lastRun(plan)?.phase).toBe('Training');
    expect(plan.requeueAfterMs).toBe(RESULT_GRACE_MS - 30_000);
  });

  it.each([
    ['no termination message at all', undefined, /left no termination message/],
    ['a message that is not JSON', 'Traceback (most recent call last)', /not JSON: Traceback/],
    ['a document without a version', '{"uri":"file:///m/"}', /candidateVersion/],
    ['an artefact URI with an unknown scheme', '{"candidateVersion":"2.4.0","uri":"ftp://x/"}', /uri/],
  ])('a train Job that reports %s fails the run (TrainingFailed), saying so', (_case, message, expected) => {
    const plan = decide(
      observed({
        pipeline: withRun(training()),
        jobs: [job(RUN, Stage.Train, 'Complete', { completionTime: '2026-11-29T11:00:00Z' })],
        pods: message === undefined ? [] : [pod(RUN, Stage.Train, 'Succeeded', message)],
      }),
    );
    expect(lastRun(plan)?.phase).toBe('Failed');
    expect(lastRun(plan)?.message).toMatch(expected);
    expect(condition(plan, ConditionType.Running)).toMatchObject({
      status: 'False',
      reason: Reason.TrainingFailed,
    });
    expect(plan.metrics?.finishedRuns).toEqual([RunResult.Failed]);
  });

  it('a train Job that times out fails the run with the Job reason and the container last words', () => {
    const plan = decide(
      observed({
        pipeline: withRun(training()),
        jobs: [
          job(RUN, Stage.Train, 'Failed', {
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
          }),
        ],
        pods: [pod(RUN, Stage.Train, 'Failed', 'training.csv: no is_fraud column')],
      }),
    );
    expect(lastRun(plan)?.message).toBe(
      'train job failed (DeadlineExceeded): Job was active longer than specified deadline: training.csv: no is_fraud column',
    );
    expect(plan.status.activeRun).toBeNull();
    expect(reasons(plan)).toEqual([RetrainEvent.RunFailed]);
  });

  it('a validate Job that fails is ValidationJobFailed, not a rejected candidate', () => {
    const plan = decide(
      observed({
        pipeline: withRun(validating()),
        jobs: [job(RUN, Stage.Validate, 'Failed', { reason: 'BackoffLimitExceeded' })],
      }),
    );
    expect(lastRun(plan)?.phase).toBe('Failed');
    expect(condition(plan, ConditionType.Running)?.reason).toBe(Reason.ValidationJobFailed);
  });

  it('a candidate that passes every gate is promoted: status.promotedVersion is what a ModelDeployment follows', () => {
    const plan = decide(
      observed({ pipeline: withRun(validating()), ...completed(RUN, Stage.Validate, goodValidation) }),
    );
    expect(lastRun(plan)).toMatchObject({
      phase: 'Promoted',
      metrics: goodValidation.metrics,
      evaluation: goodValidation.evaluation,
    });
    expect(plan.status).toMatchObject({
      promotedVersion: '2.4.0-r',
      promotedUri: 'file:///models/2.4.0-r/',
      promotedAt: '2026-11-29T12:00:00Z',
      activeRun: null,
    });
    expect(reasons(plan)).toEqual([RetrainEvent.CandidatePromoted]);
    expect(plan.metrics?.finishedRuns).toEqual([RunResult.Promoted]);
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'True',
      message: 'version 2.4.0-r promoted',
    });
  });

  const rejectedBy = (
    validation: unknown,
    spec: Record<string, unknown> = baseSpec,
    deployment = servingDeployment,
  ) => {
    const plan = decide(
      observed({
        pipeline: pipeline(spec, { ...handledR1, runs: [validating()] }, manual('r1')),
        modelDeployment: deployment,
        ...completed(RUN, Stage.Validate, validation),
      }),
    );
    return plan;
  };

  it.each([
    [
      'a metric below its min',
      { ...goodValidation, metrics: { ...goodValidation.metrics, auc: 0.91 } },
      'auc 0.91 < min 0.93',
    ],
    [
      'a metric above its max',
      { ...goodValidation, metrics: { ...goodValidation.metrics, p99_latency_ms: 55 } },
      'p99_latency_ms 55 > max 40',
    ],
    [
      'a metric the job did not report',
      { ...goodValidation, metrics: { auc: 0.96 } },
      'p99_latency_ms: not reported by the validate job',
    ],
    [
      'more regression than allowed',
      {
        ...goodValidation,
        metrics: { ...goodValidation.metrics, auc: 0.935 },
        servingMetrics: { auc: 0.96 },
      },
      'auc 0.935 is 0.025 worse than serving version 2.3.1 (0.96); at most 0.01 allowed',
    ],
    [
      'a fairness result out of its bounds',
      {
        ...goodValidation,
        fairness: [{ metric: 'demographic_parity_ratio', attribute: 'country', value: 0.62, min: 0.8 }],
      },
      'fairness demographic_parity_ratio(country) 0.62 < min 0.8',
    ],
  ])('a candidate with %s is rejected with the values; nothing is promoted', (_case, validation, failure) => {
    const plan = rejectedBy(validation);
    expect(lastRun(plan)?.phase).toBe('Rejected');
    expect(lastRun(plan)?.message).toContain(failure);
    expect(plan.status.promotedVersion).toBeUndefined();
    expect(condition(plan, ConditionType.Running)?.reason).toBe(Reason.ValidationFailed);
    expect(plan.metrics?.finishedRuns).toEqual([RunResult.Rejected]);
    expect(reasons(plan)).toEqual([RetrainEvent.CandidateRejected]);
  });

  it('regression is measured against the ModelDeployment evaluation when the job reports no serving metrics', () => {
    const { servingMetrics: _, ...withoutServing } = goodValidation;
    const plan = rejectedBy({ ...withoutServing, metrics: { ...goodValidation.metrics, auc: 0.93 } });
    expect(lastRun(plan)?.message).toContain('auc 0.93 is 0.017 worse than serving version 2.3.1 (0.947)');
  });

  it('with no value of the serving version anywhere, a regression gate rejects and names what is missing', () => {
    const { servingMetrics: _, ...withoutServing } = goodValidation;
    const plan = rejectedBy(withoutServing, baseSpec, { ...servingDeployment, spec: {} });
    expect(lastRun(plan)?.message).toMatch(/auc: no value of serving version 2.3.1 to compare with/);
  });

  it('with nothing serving yet, a regression gate has nothing to regress from and passes', () => {
    const plan = rejectedBy(goodValidation, baseSpec, { spec: {}, status: {} });
    expect(lastRun(plan)?.phase).toBe('Promoted');
  });

  it('an upper-bound gate regresses upwards: latency may rise by at most maxRegression', () => {
    const spec = {
      ...baseSpec,
      validate: { ...baseSpec.validate, gates: [{ name: 'p99_latency_ms', max: 40, maxRegression: 5 }] },
    };
    const validation = {
      ...goodValidation,
      metrics: { p99_latency_ms: 30 },
      servingMetrics: { p99_latency_ms: 20 },
    };
    expect(lastRun(rejectedBy(validation, spec))?.message).toContain(
      'p99_latency_ms 30 is 10 worse than serving version 2.3.1 (20)',
    );
  });

  it('requireFairness false lets a candidate through a fairness result out of bounds', () => {
    const spec = { ...baseSpec, validate: { ...baseSpec.validate, requireFairness: false } };
    const validation = {
      ...goodValidation,
      fairness: [{ metric: 'demographic_parity_ratio', attribute: 'country', value: 0.62, min: 0.8 }],
    };
    expect(lastRun(rejectedBy(validation, spec))?.phase).toBe('Promoted');
  });
});

describe('RetrainPipeline decide: manual promotion uses the ModelDeployment approvals', () => {
  const manualSpec = { ...baseSpec, promotion: { mode: 'manual' } };
  const awaiting = validating({ phase: 'AwaitingApproval' });

  it('a validated candidate waits for an approval of its version, promoting nothing', () => {
    const plan = decide(
      observed({
        pipeline: pipeline(manualSpec, { ...handledR1, runs: [validating()] }, manual('r1')),
        ...completed(RUN, Stage.Validate, goodValidation),
      }),
    );
    expect(lastRun(plan)?.phase).toBe('AwaitingApproval');
    expect(plan.status.promotedVersion).toBeUndefined();
    expect(plan.status.activeRun).toBeNull();
    expect(condition(plan, ConditionType.Running)?.reason).toBe(Reason.AwaitingApproval);
  });

  it('an approval for another version does not promote it; one for this version does', () => {
    const other = decide(
      observed({ pipeline: pipeline(manualSpec, { ...handledR1, runs: [awaiting] }, manual('r1')) }),
    );
    expect(lastRun(other)?.phase).toBe('AwaitingApproval');
    const approved = {
      ...servingDeployment,
      spec: { governance: { approvals: [{ version: '2.3.1' }, { version: '2.4.0-r' }] } },
    };
    const plan = decide(
      observed({
        pipeline: pipeline(manualSpec, { ...handledR1, runs: [awaiting] }, manual('r1')),
        modelDeployment: approved,
      }),
    );
    expect(lastRun(plan)?.phase).toBe('Promoted');
    expect(plan.status.promotedVersion).toBe('2.4.0-r');
  });

  it('a newer candidate that passes its gates supersedes an older one still waiting', () => {
    const newer = validating({ id: 'manual-newer', startedAt: '2026-11-29T11:30:00Z' });
    const plan = decide(
      observed({
        pipeline: pipeline(manualSpec, { ...handledR1, runs: [awaiting, newer] }, manual('r1')),
        ...completed('manual-newer', Stage.Validate, goodValidation),
      }),
    );
    expect(plan.status.runs?.map((r) => r.phase)).toEqual(['Cancelled', 'AwaitingApproval']);
    expect(plan.status.runs?.[0]?.message).toBe('superseded by the candidate of run manual-newer');
  });
});

describe('RetrainPipeline decide: history', () => {
  it('keeps historyLimit finished runs (plus the active one) and deletes the Jobs of runs it drops', () => {
    const finished = ['a', 'b', 'c'].map(
      (id, i): Run => ({ id, trigger: 'manual', phase: 'Failed', startedAt: `2026-11-2${i}T00:00:00Z` }),
    );
    const spec = { ...baseSpec, historyLimit: 1 };
    const plan = decide(
      observed({
        pipeline: pipeline(spec, { ...handledR1, runs: [...finished, training()] }, manual('r1')),
        jobs: [job('a', Stage.Train), job('c', Stage.Train), job(RUN, Stage.Train)],
      }),
    );
    expect(plan.status.runs?.map((r) => r.id)).toEqual(['c', RUN]);
    expect(plan.deleteJobs).toEqual([jobName(PIPELINE, 'a', Stage.Train)]);
  });
});

describe('RetrainPipeline decide: fire drills', () => {
  const drillSpec = {
    ...baseSpec,
    fireDrill: {
      schedule: '0 3 * * 1',
      timeZone: 'Europe/Berlin',
      driftMonitor: 'fraud-drift',
      injection: { features: ['amount'], kind: 'shift', magnitude: 2 },
    },
  };
  const DRILL = runId(RunTrigger.Drill, 'd1', new Set());
  const running = (stage: 'check' | 'train' | 'validate', extra = {}) => ({
    lastDrill: {
      runId: DRILL,
      startedAt: '2026-11-29T11:00:00Z',
      outcome: DrillOutcome.Running,
      stage,
      ...extra,
    },
    // The last Monday 03:00 (Berlin) before NOW was acted on already.
    handledTriggers: { drillRequest: 'd1', drillTime: '2026-11-23T02:00:00.000Z' },
  });
  const drillPipeline = (
    status: RetrainPipelineStatus = {},
    annotations: Record<string, string> = { [DRILL_REQUESTED_ANNOTATION]: 'd1' },
  ) => pipeline(drillSpec, status, annotations);

  it('a drill request starts a drill whose check Job is the DriftMonitor check with the injection added', () => {
    const plan = decide(observed({ pipeline: drillPipeline() }));
    expect(plan.status.lastDrill).toMatchObject({ runId: DRILL, outcome: 'Running', stage: 'check' });
    const check = plan.jobs[0];
    expect(check?.metadata.name).toBe(jobName(PIPELINE, DRILL, Stage.Check));
    expect(JSON.parse(env(check)[DRILL_INJECTION_ENV] ?? '')).toEqual(drillSpec.fireDrill.injection);
    expect(check?.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1200 });
    // Not the monitor's label: the DriftMonitor controller must not take the drill for a scheduled check.
    expect(check?.metadata.labels['mlops.steward.dev/drift-monitor']).toBeUndefined();
    const container = containerOf(check);
    expect(container).toMatchObject({
      image: 'registry.local/steward:1',
      command: ['steward'],
      args: ['job', 'drill-check'],
    });
    expect(plan.status.runs).toEqual([]);
    expect(reasons(plan)).toEqual([RetrainEvent.DrillStarted]);
  });

  it('a detected injection moves the drill to a dry-run train Job', () => {
    const plan = decide(
      observed({
        pipeline: drillPipeline(running('check')),
        ...completed(DRILL, Stage.Check, { detected: true, summary: 'drifted 1/6: amount' }),
      }),
    );
    expect(plan.status.lastDrill).toMatchObject({ stage: 'train', detection: 'drifted 1/6: amount' });
    expect(env(plan.jobs[0])).toMatchObject({ STEWARD_DRY_RUN: 'true', STEWARD_RUN_TRIGGER: 'drill' });
  });

  it('a drift check that misses the injected drift fails the drill at stage check, and Ready says so', () => {
    const plan = decide(
      observed({
        pipeline: drillPipeline(running('check')),
        ...completed(DRILL, Stage.Check, { detected: false, summary: 'drifted 0/6' }),
      }),
    );
    expect(plan.status.lastDrill).toMatchObject({ outcome: 'Failed', stage: 'check' });
    expect(plan.status.lastDrill?.message).toBe(
      'the drift check did not detect the injected drift (a shift of 2 sd in amount): drifted 0/6',
    );
    expect(condition(plan, ConditionType.DrillHealthy)).toMatchObject({
      status: 'False',
      reason: Reason.DrillFailed,
    });
    expect(condition(plan, ConditionType.Ready)).toMatchObject({
      status: 'False',
      reason: Reason.DrillFailed,
    });
    expect(reasons(plan)).toEqual([RetrainEvent.DrillFailed]);
  });

  it('a drill whose DriftMonitor has no check to copy fails at check with the reason', () => {
    const plan = decide(
      observed({
        pipeline: drillPipeline(running('check')),
        check: { kind: 'unavailable', problem: 'DriftMonitor fraud-drift not found' },
      }),
    );
    expect(plan.status.lastDrill?.message).toBe(
      'cannot run the drift check: DriftMonitor fraud-drift not found',
    );
  });

  it('a validated dry-run candidate passes the drill and promotes nothing', () => {
    const status = running('validate', {
      candidateVersion: '2.4.0-d',
      candidateUri: 'file:///models/drills/d/',
    });
    const plan = decide(
      observed({
        pipeline: drillPipeline({ ...status, promotedVersion: '2.3.1' }),
        ...completed(DRILL, Stage.Validate, goodValidation),
      }),
    );
    expect(plan.status.lastDrill).toMatchObject({
      outcome: 'Passed',
      stage: 'promote',
      secondsToValidatedCandidate: 3000,
    });
    expect(plan.status.lastDrill?.message).toMatch(
      /dry run: would promote 2.4.0-d .*nothing serving changed/,
    );
    expect(plan.status.promotedVersion).toBeUndefined();
    expect(plan.status.lastDrillSuccessTime).toBe('2026-11-29T12:00:00Z');
    expect(condition(plan, ConditionType.DrillHealthy)).toMatchObject({
      status: 'True',
      reason: Reason.DrillPassed,
    });
    expect(plan.metrics).toMatchObject({
      drillLastSuccessSeconds: NOW.getTime() / 1000,
      drillDurationSeconds: 3600,
      finishedRuns: [],
      finishedDrill: DrillResult.Passed,
    });
  });

  it('a dry-run candidate that would fail a gate fails the drill at stage validate', () => {
    const status = running('validate', {
      candidateVersion: '2.4.0-d',
      candidateUri: 'file:///models/drills/d/',
    });
    const bad = { ...goodValidation, metrics: { ...goodValidation.metrics, auc: 0.5 } };
    const plan = decide(
      observed({ pipeline: drillPipeline(status), ...completed(DRILL, Stage.Validate, bad) }),
    );
    expect(plan.status.lastDrill).toMatchObject({ outcome: 'Failed', stage: 'validate' });
    expect(plan.status.lastDrill?.message).toMatch(/would be rejected: auc 0.5 < min 0.93/);
    expect(plan.metrics?.finishedDrill).toBe(DrillResult.Failed);
    // The next reconcile sees the failed drill in status: the failure is counted once, not again.
    const finished = plan.status.lastDrill ?? undefined;
    const again = decide(
      observed({
        pipeline: drillPipeline({ ...status, lastDrill: finished }),
        ...completed(DRILL, Stage.Validate, bad),
      }),
    );
    expect(again.metrics?.finishedDrill).toBeUndefined();
  });

  it('a drill request while a drill runs is skipped; a real run is not blocked by a drill', () => {
    const plan = decide(
      observed({
        pipeline: drillPipeline(
          { ...running('check'), handledTriggers: { drillRequest: 'd0' } },
          { [DRILL_REQUESTED_ANNOTATION]: 'd1', ...manual('r1') },
        ),
        jobs: [job(DRILL, Stage.Check)],
      }),
    );
    expect(reasons(plan)).toEqual([RetrainEvent.RunStarted, RetrainEvent.DrillSkipped]);
    expect(lastRun(plan)?.phase).toBe('Training');
  });

  it('no drill passed within staleAfter of creation is DrillStale', () => {
    const plan = decide(observed({ pipeline: drillPipeline({}, {}), now: new Date('2026-11-20T00:00:00Z') }));
    expect(condition(plan, ConditionType.DrillHealthy)).toMatchObject({
      status: 'False',
      reason: Reason.DrillStale,
    });
  });

  it('before any drill finished and before staleAfter, DrillHealthy is Unknown and the pipeline wakes when it would go stale', () => {
    const now = new Date('2026-11-02T00:00:00Z');
    const plan = decide(observed({ pipeline: drillPipeline({}, {}), now }));
    expect(condition(plan, ConditionType.DrillHealthy)).toMatchObject({
      status: 'Unknown',
      reason: Reason.DrillPending,
    });
    // The weekly drill (Monday 03:00 Berlin) comes before the 8d stale time: the earlier wakes it.
    expect(plan.requeueAfterMs).toBe(Date.parse('2026-11-02T02:00:00Z') - now.getTime());
    expect(Date.parse(CREATED)).toBeLessThan(now.getTime());
  });

  it('without spec.fireDrill, DrillHealthy is Unknown (DrillNotConfigured) and Ready does not depend on it', () => {
    const plan = decide(observed());
    expect(condition(plan, ConditionType.DrillHealthy)).toMatchObject({
      status: 'Unknown',
      reason: Reason.DrillNotConfigured,
    });
    expect(condition(plan, ConditionType.Ready)?.status).toBe('True');
    expect(checkTemplate.kind).toBe('template');
  });
});

describe('RetrainPipeline decide: level-triggered', () => {
  it('deciding again from the status it wrote changes nothing and creates no Job', () => {
    const first = decide(observed({ pipeline: pipeline(baseSpec, {}, manual('r1')) }));
    const written = pipeline(baseSpec, first.status as RetrainPipelineStatus, manual('r1'));
    const again = decide(observed({ pipeline: written, jobs: [job(RUN, Stage.Train)] }));
    expect(again.jobs).toEqual([]);
    expect(again.events).toEqual([]);
    expect(again.status.runs).toEqual(first.status.runs);
    expect(again.status.conditions).toEqual(first.status.conditions);
  });
});
