import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftMonitorSpecSchema, FailureCause } from '@steward/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureConceptDrift } from './concept.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-concept-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a CSV into the test folder and returns its source. */
async function csv(name: string, header: string, rows: string[]) {
  const path = join(dir, name);
  await writeFile(path, `${[header, ...rows].join('\n')}\n`);
  return { uri: `file://${path}`, format: 'csv' };
}

/** n rows whose score ranks every positive above every negative: auc 1. */
function scored(n: number): { predictions: string[]; labels: string[] } {
  const ids = Array.from({ length: n }, (_, i) => i);
  return {
    predictions: ids.map((i) => `t${i},${i % 2 === 0 ? '0.9' : '0.1'}`),
    labels: ids.map((i) => `t${i},${i % 2 === 0 ? 1 : 0}`),
  };
}

function measure(conceptDrift: Record<string, unknown>) {
  const spec = driftMonitorSpecSchema.parse({
    target: { name: 'fraud-scorer' },
    schedule: '@hourly',
    conceptDrift: {
      predictionColumn: 'score',
      labelColumn: 'is_fraud',
      metric: 'auc',
      baseline: 0.95,
      maxDegradation: 0.03,
      minSampleSize: 10,
      ...conceptDrift,
    },
  });
  return measureConceptDrift(spec, NOW);
}

describe('concept drift on labels joined to predictions by key', () => {
  it('measures the metric on the matched rows and reports how the join went', async () => {
    const { predictions, labels } = scored(40);
    const part = await measure({
      predictions: await csv('p.csv', 'id,score', [...predictions, 'unlabelled,0.5']),
      labels: await csv('l.csv', 'id,is_fraud', labels.reverse()),
      keyColumns: ['id'],
    });
    expect(part?.conceptDrift).toMatchObject({
      outcome: 'NoDrift',
      value: 1,
      sampleSize: 40,
      join: { labelRows: 40, predictionRows: 41, unmatchedLabels: 0, unmatchedPredictions: 1, matchRate: 1 },
    });
  });

  it('is Inconclusive (LowMatchRate) when too few labels find their prediction, naming the rate and the key', async () => {
    const { predictions, labels } = scored(40);
    const part = await measure({
      // Half the labels carry keys the predictions never had: a wrong key or windows that do not overlap.
      predictions: await csv('p-half.csv', 'id,score', predictions.slice(0, 20)),
      labels: await csv('l-half.csv', 'id,is_fraud', labels),
      keyColumns: ['id'],
      minMatchRate: 0.9,
    });
    expect(part?.conceptDrift).toMatchObject({
      outcome: 'Inconclusive',
      reason: 'LowMatchRate',
      sampleSize: 20,
      message: '50.0% of 40 label(s) found their prediction by id, the minimum match rate is 90.0%',
      join: { unmatchedLabels: 20, matchRate: 0.5 },
    });
    expect(part?.conceptDrift.value).toBeUndefined();
    expect(part?.breach).toBeUndefined();
  });

  it('is Inconclusive (InsufficientData) when the matched rows are fewer than minSampleSize', async () => {
    const { predictions, labels } = scored(6);
    const part = await measure({
      predictions: await csv('p-few.csv', 'id,score', predictions),
      labels: await csv('l-few.csv', 'id,is_fraud', labels),
      keyColumns: ['id'],
    });
    expect(part?.conceptDrift).toMatchObject({
      outcome: 'Inconclusive',
      reason: 'InsufficientData',
      message: '6 labelled row(s) matched, the minimum sample size is 10',
    });
  });

  it('fails naming the source and the column when a key column is missing', async () => {
    const { predictions, labels } = scored(20);
    const predictionSource = await csv('p-nokey.csv', 'txn,score', predictions);
    const part = await measure({
      predictions: predictionSource,
      labels: await csv('l-ok.csv', 'id,is_fraud', labels),
      keyColumns: ['id'],
    });
    expect(part?.conceptDrift).toMatchObject({
      outcome: 'Failed',
      reason: FailureCause.InvalidData,
      message: `${predictionSource.uri.slice('file://'.length)}: no column 'id' (found txn, score)`,
    });
    expect(part?.failure?.reason).toBe(FailureCause.InvalidData);
  });

  it('still reads one source of predictions and labels already joined when predictions is not set', async () => {
    const rows = scored(20).predictions.map((p, i) => `${p},${i % 2 === 0 ? 1 : 0}`);
    const part = await measure({ labels: await csv('joined.csv', 'id,score,is_fraud', rows) });
    expect(part?.conceptDrift).toMatchObject({ outcome: 'NoDrift', value: 1, sampleSize: 20 });
    expect(part?.conceptDrift.join).toBeUndefined();
  });
});
