import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RetrainMetricValues } from './decide.ts';
import { RetrainPipelineMetrics } from './metrics.ts';
import { RunResult } from './reasons.ts';

const values = (owner: string, extra: Partial<RetrainMetricValues> = {}): RetrainMetricValues => ({
  model: 'fraud-scorer',
  owner,
  finishedRuns: [],
  drillLastSuccessSeconds: undefined,
  drillDurationSeconds: undefined,
  finishedDrill: undefined,
  ...extra,
});

const failedRuns = async (registry: Registry) =>
  (await registry.getSingleMetricAsString('steward_retrain_runs_total'))
    .split('\n')
    .filter((line) => line.includes('result="failed"'));

describe('RetrainPipeline metrics', () => {
  it('a failed run is counted under the model and its owner', async () => {
    const registry = new Registry();
    new RetrainPipelineMetrics(registry).set(
      'fraud',
      'retrain',
      values('amara@example.com', { finishedRuns: [RunResult.Failed] }),
    );
    expect(await failedRuns(registry)).toEqual([
      'steward_retrain_runs_total{namespace="fraud",pipeline="retrain",model="fraud-scorer",owner="amara@example.com",result="failed"} 1',
    ]);
  });

  it("a new owner moves the pipeline's series: none stays behind under the previous owner", async () => {
    const registry = new Registry();
    const metrics = new RetrainPipelineMetrics(registry);
    metrics.set('fraud', 'retrain', values('amara@example.com', { drillLastSuccessSeconds: 100 }));
    metrics.set('fraud', 'retrain', values('li@example.com', { drillLastSuccessSeconds: 100 }));
    const text = await registry.metrics();
    expect(text).not.toContain('amara@example.com');
    expect(text).toContain(
      'steward_retrain_drill_last_success_timestamp_seconds{namespace="fraud",pipeline="retrain",model="fraud-scorer",owner="li@example.com"} 100',
    );
  });

  it('a deleted pipeline leaves no series', async () => {
    const registry = new Registry();
    const metrics = new RetrainPipelineMetrics(registry);
    metrics.set('fraud', 'retrain', values('amara@example.com', { drillLastSuccessSeconds: 100 }));
    metrics.forget('fraud', 'retrain');
    expect(await registry.metrics()).not.toContain('pipeline="retrain"');
  });
});
