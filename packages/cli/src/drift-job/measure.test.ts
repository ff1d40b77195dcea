import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CheckOutcome,
  type DriftMonitorSpec,
  driftCheckJobResultSchema,
  driftMonitorSpecSchema,
  FailureCause,
  MAX_FEATURES,
  PVC_MOUNT_ROOT,
  TERMINATION_MESSAGE_MAX_BYTES,
} from '@steward/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locationOf } from './locations.ts';
import { overallOutcome, runCheck } from './measure.ts';
import { terminationMessage } from './termination.ts';

const example = fileURLToPath(new URL('../../../../examples/fraud-scoring/data/', import.meta.url));
const testdata = fileURLToPath(new URL('../../testdata/drift/', import.meta.url));
const NOW = new Date('2026-11-29T12:00:00Z');
const env = { now: () => NOW };

function spec(overrides: Record<string, unknown>): DriftMonitorSpec {
  return driftMonitorSpecSchema.parse({
    target: { name: 'fraud-scorer' },
    schedule: '@hourly',
    ...overrides,
  });
}

/** The example monitor's data drift, concept drift and scored samples, on the example's files. */
const exampleSpec = spec({
  baseline: { source: { uri: `file://${example}reference.csv`, format: 'csv' } },
  current: { uri: `file://${example}current.csv`, format: 'csv', timestampColumn: 'event_time' },
  dataDrift: {
    driftShare: 0.3,
    minSampleSize: 100,
    features: [
      { name: 'amount', type: 'numeric', method: 'wasserstein', threshold: 0.2 },
      { name: 'country', type: 'categorical', method: 'jensenshannon', threshold: 0.1 },
      { name: 'channel', type: 'categorical' },
    ],
  },
  conceptDrift: {
    predictions: { uri: `file://${example}predictions.csv`, format: 'csv' },
    labels: { uri: `file://${example}labels.csv`, format: 'csv' },
    keyColumns: ['transaction_id'],
    predictionColumn: 'score',
    labelColumn: 'is_fraud',
    metric: 'auc',
    baseline: 0.947,
    maxDegradation: 0.03,
  },
  outputQuality: [
    {
      name: 'summary_relevance',
      samples: { uri: `file://${example}summary-scores.jsonl`, format: 'jsonl' },
      scoreColumn: 'relevance',
      min: 0.9,
    },
  ],
});

let dir: string;
/** A loopback port nothing listens on: connecting to it is refused. */
let closedPort: number;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steward-drift-job-'));
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a DriftMonitor check', () => {
  it('measures every configured part and reports values, breaches first', async () => {
    const { result, summary } = await runCheck(exampleSpec, env);
    expect(result.outcome).toBe(CheckOutcome.Drift);
    expect(result.dataDrift).toMatchObject({ outcome: 'Drift', driftedFeatures: 2, totalFeatures: 3 });
    expect(result.features?.map((f) => [f.name, f.outcome])).toEqual([
      ['amount', 'Drift'],
      ['country', 'Drift'],
      ['channel', 'NoDrift'],
    ]);
    expect(result.features?.[0]).toMatchObject({
      method: 'wasserstein',
      threshold: 0.2,
      sampleSize: 400,
      referenceSize: 400,
    });
    // Every label found its prediction; 60 later predictions are not labelled yet.
    expect(result.conceptDrift).toMatchObject({
      metric: 'auc',
      outcome: 'NoDrift',
      sampleSize: 300,
      join: {
        labelRows: 300,
        predictionRows: 360,
        unmatchedLabels: 0,
        unmatchedPredictions: 60,
        matchRate: 1,
      },
    });
    expect(result.conceptDrift?.value).toBeGreaterThan(0.9);
    expect(result.outputQuality?.[0]).toMatchObject({
      name: 'summary_relevance',
      outcome: 'Drift',
      sampleSize: 120,
    });
    expect(summary).toMatch(
      /^Drift: data 2\/3 features drifted \(amount wasserstein 0\.555 >= 0\.2, country jensenshannon/,
    );
    expect(summary).toMatch(/output quality summary_relevance 0\.8651 < min 0\.9/);
    expect(result.startedAt).toBe(NOW.toISOString());
  });

  it('leaves the timestamp column out of the default features', async () => {
    const { result } = await runCheck(
      spec({ ...exampleSpec, dataDrift: {}, conceptDrift: undefined, outputQuality: undefined }),
      env,
    );
    expect(result.features?.map((f) => f.name)).not.toContain('event_time');
    expect(result.dataDrift?.totalFeatures).toBe(6);
  });

  it('reads only the window when one is set, so an old window is too little data, not drift', async () => {
    const windowed = spec({
      ...exampleSpec,
      current: { ...exampleSpec.current, window: '24h' },
      conceptDrift: undefined,
      outputQuality: undefined,
    });
    const { result } = await runCheck(windowed, env);
    expect(result.outcome).toBe(CheckOutcome.Inconclusive);
    expect(result.features?.[0]).toMatchObject({
      outcome: 'Inconclusive',
      reason: 'InsufficientData',
      sampleSize: 0,
    });
  });

  it('names each kind of bad data in the part it broke, and keeps measuring the others', async () => {
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    const truncated = join(dir, 'truncated.parquet');
    const parquet = await readFile(join(testdata, 'baseline.parquet'));
    await writeFile(truncated, parquet.subarray(0, Math.floor(parquet.length / 2)));
    const nanOnly = join(dir, 'nan.csv');
    await writeFile(nanOnly, `amount\n${'NaN\n'.repeat(200)}`);
    const cases: [Record<string, unknown>, Partial<Record<'outcome' | 'reason', string>>, RegExp][] = [
      [
        { uri: `file://${empty}`, format: 'csv' },
        { outcome: 'Failed', reason: FailureCause.InvalidData },
        /empty file/,
      ],
      [
        { uri: `file://${truncated}`, format: 'parquet' },
        { outcome: 'Failed', reason: FailureCause.InvalidData },
        /not a readable Parquet file/,
      ],
      [
        { uri: `file://${dir}/absent.csv`, format: 'csv' },
        { outcome: 'Failed', reason: FailureCause.SourceUnreachable },
        /no such file/,
      ],
      [
        { uri: 'http://127.0.0.1:9/current.csv', format: 'csv' },
        { outcome: 'Failed', reason: FailureCause.SourceUnreachable },
        /unreachable/,
      ],
      [
        { uri: `file://${nanOnly}`, format: 'csv' },
        { outcome: 'SchemaDrift' },
        /amount: no finite current values/,
      ],
    ];
    for (const [current, expected, message] of cases) {
      const { result } = await runCheck(spec({ ...exampleSpec, current }), env);
      const part = expected.outcome === 'SchemaDrift' ? result.features?.[0] : result.dataDrift;
      expect(part, JSON.stringify(current)).toMatchObject(expected);
      expect(result.message, JSON.stringify(current)).toMatch(message);
      // The other parts still ran.
      expect(result.conceptDrift?.outcome).toBe('NoDrift');
    }
  });

  it('fails a KPI naming Prometheus when it cannot be reached', async () => {
    const withKpi = spec({
      businessKpis: [{ name: 'chargeback_rate', query: 'vector(0.001)', max: 0.004 }],
      prometheus: { url: `http://127.0.0.1:${closedPort}`, timeout: '2s' },
    });
    const { result } = await runCheck(withKpi, env);
    expect(result.outcome).toBe(CheckOutcome.Failed);
    expect(result.businessKpis?.[0]).toMatchObject({
      outcome: 'Failed',
      reason: FailureCause.PrometheusUnavailable,
      message: `Prometheus at http://127.0.0.1:${closedPort} unreachable: ECONNREFUSED`,
    });
  });

  it('fails a part reading a scheme without a reader, and keeps the others', async () => {
    const gs = spec({
      ...exampleSpec,
      outputQuality: [
        {
          name: 'relevance',
          samples: { uri: 'gs://bucket/scores.jsonl', format: 'jsonl' },
          scoreColumn: 'relevance',
          min: 0.8,
        },
      ],
    });
    const { result } = await runCheck(gs, env);
    expect(result.outputQuality?.[0]).toMatchObject({
      outcome: 'Failed',
      reason: FailureCause.InvalidData,
      message: expect.stringMatching(/gs:\/\/ sources are not readable yet/),
    });
    expect(result.dataDrift?.outcome).toBe('Drift');
  });
});

describe('the outcome of a check', () => {
  it('puts schema drift before drift (no retrain on broken data), then failures, then too little data', () => {
    expect(overallOutcome(['Drift', 'SchemaDrift', 'NoDrift'])).toBe('SchemaDrift');
    expect(overallOutcome(['Failed', 'Drift'])).toBe('Drift');
    expect(overallOutcome(['Inconclusive', 'Failed'])).toBe('Failed');
    expect(overallOutcome(['NoDrift', 'Inconclusive'])).toBe('Inconclusive');
    expect(overallOutcome([])).toBe('NoDrift');
  });
});

describe('the termination message', () => {
  it('fits the kubelet limit with the most severe features, and reads as a job result', () => {
    const features = Array.from({ length: MAX_FEATURES }, (_, i) => ({
      name: `feature_with_a_long_name_${i}`,
      method: 'wasserstein',
      score: 0.123456789,
      threshold: 0.1,
      sampleSize: 100_000,
      referenceSize: 100_000,
      outcome: i < 3 ? 'Drift' : 'NoDrift',
    })) as NonNullable<Parameters<typeof terminationMessage>[0]['features']>;
    const text = terminationMessage(
      { outcome: 'Drift', startedAt: NOW.toISOString(), features },
      'Drift: data 3/500',
    );
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TERMINATION_MESSAGE_MAX_BYTES);
    const parsed = driftCheckJobResultSchema.parse(JSON.parse(text));
    expect(parsed.detected).toBe(true);
    expect(parsed.result.features?.length).toBeGreaterThan(3);
    expect(parsed.result.features?.slice(0, 3).map((f) => f.outcome)).toEqual(['Drift', 'Drift', 'Drift']);
  });
});

describe('source locations', () => {
  it('maps file:// and pvc:// to paths, keeps s3:// and https://, and rejects what has no reader', () => {
    expect(locationOf('file:///data/current.csv')).toBe('/data/current.csv');
    expect(locationOf('pvc://features/2026/11/*.csv', '/mnt')).toBe('/mnt/features/2026/11/*.csv');
    // By default, below the root the operator mounts the claims at.
    expect(locationOf('pvc://features/a.csv')).toBe(`${PVC_MOUNT_ROOT}/features/a.csv`);
    expect(locationOf('s3://bucket/prefix/')).toBe('s3://bucket/prefix/');
    expect(() => locationOf('gs://bucket/x.csv')).toThrow(/gs:\/\/ sources are not readable yet/);
  });
});
