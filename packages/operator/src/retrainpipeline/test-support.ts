/** Builders for the decide tests: a pipeline, its Jobs and Pods as the caches would hold them. */
import { RETRAIN_REQUESTED_ANNOTATION, type RetrainPipelineStatus } from '@steward/api';
import type { Observed, ObservedModelDeployment, ObservedPipeline } from './decide.ts';
import type { CheckTemplate } from './drill.ts';
import type { ObservedJob, ObservedPod } from './jobs.ts';
import { JOB_NAME_LABEL, jobName, RUN_LABEL, type Stage } from './names.ts';

export const NAMESPACE = 'fraud';
export const PIPELINE = 'fraud-scorer-retrain';
export const CREATED = '2026-11-01T00:00:00Z';
export const NOW = new Date('2026-11-29T12:00:00Z');

export const baseSpec = {
  modelDeployment: { name: 'fraud-scorer' },
  train: { image: 'registry.local/fraud-trainer:1', args: ['--data=/data/training.csv'], timeout: '1h' },
  validate: {
    image: 'registry.local/fraud-trainer:1',
    gates: [
      { name: 'auc', min: 0.93, maxRegression: 0.01 },
      { name: 'p99_latency_ms', max: 40 },
    ],
  },
  promotion: { mode: 'auto' },
} as const;

export function pipeline(
  spec: Record<string, unknown> = baseSpec,
  status: RetrainPipelineStatus = {},
  annotations: Record<string, string> = {},
): ObservedPipeline {
  return {
    apiVersion: 'mlops.steward.dev/v1alpha1',
    kind: 'RetrainPipeline',
    metadata: {
      name: PIPELINE,
      namespace: NAMESPACE,
      generation: 3,
      creationTimestamp: CREATED as unknown as Date,
      annotations,
    },
    spec,
    status,
  };
}

export const manual = (value: string) => ({ [RETRAIN_REQUESTED_ANNOTATION]: value });

export const servingDeployment: ObservedModelDeployment = {
  spec: {
    governance: {
      evaluation: [{ name: 'auc', slice: 'overall', value: 0.947 }],
      approvals: [{ version: '2.3.1' }],
    },
  },
  status: { servingVersion: '2.3.1', servingUri: 'file:///models/fraud-scorer/2.3.1/' },
};

export const checkTemplate: CheckTemplate = {
  kind: 'template',
  activeDeadlineSeconds: 1200,
  podTemplate: {
    metadata: { labels: { 'mlops.steward.dev/drift-monitor': 'fraud-drift' } },
    spec: {
      containers: [
        { name: 'check', image: 'registry.local/steward:1', args: ['job', 'drift-check'], env: [] },
      ],
    },
  },
};

export function observed(overrides: Partial<Observed> = {}): Observed {
  return {
    pipeline: pipeline(),
    jobs: [],
    pods: [],
    modelDeployment: servingDeployment,
    driftMonitors: [],
    check: checkTemplate,
    now: NOW,
    ...overrides,
  };
}

type JobCondition = 'Complete' | 'Failed' | undefined;

export function job(
  run: string,
  stage: Stage,
  condition?: JobCondition,
  extra: { reason?: string; message?: string; completionTime?: string } = {},
): ObservedJob {
  return {
    metadata: { name: jobName(PIPELINE, run, stage), labels: { [RUN_LABEL]: run } },
    status: {
      ...(condition === undefined
        ? {}
        : {
            conditions: [{ type: condition, status: 'True', reason: extra.reason, message: extra.message }],
          }),
      ...(extra.completionTime === undefined ? {} : { completionTime: extra.completionTime }),
    },
  };
}

export function pod(run: string, stage: Stage, phase: 'Succeeded' | 'Failed', message?: string): ObservedPod {
  return {
    metadata: {
      name: `${jobName(PIPELINE, run, stage)}-x`,
      labels: { [JOB_NAME_LABEL]: jobName(PIPELINE, run, stage), [RUN_LABEL]: run },
    },
    status: {
      phase,
      containerStatuses: [
        {
          state: {
            terminated: {
              exitCode: phase === 'Succeeded' ? 0 : 1,
              ...(message === undefined ? {} : { message }),
            },
          },
        },
      ],
    },
  };
}

/** A finished stage: its Job complete and its Pod's termination message. */
export function completed(
  run: string,
  stage: Stage,
  result: unknown,
): { jobs: ObservedJob[]; pods: ObservedPod[] } {
  return {
    jobs: [job(run, stage, 'Complete', { completionTime: '2026-11-29T11:50:00Z' })],
    pods: [pod(run, stage, 'Succeeded', JSON.stringify(result))],
  };
}

export const goodValidation = {
  metrics: { auc: 0.965, recall_at_1pct_fpr: 0.51, p99_latency_ms: 0.05 },
  servingMetrics: { auc: 0.95 },
  evaluation: [{ name: 'auc', slice: 'overall', value: 0.965 }],
  fairness: [{ metric: 'false_positive_rate_ratio', attribute: 'age_band', value: 1.1, min: 0.8, max: 1.5 }],
};
