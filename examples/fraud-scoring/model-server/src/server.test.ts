import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { compileValidator, type OutputContractSpecInput, outputContractSpecSchema } from '@steward/contracts';
import { MODEL_FORMAT, type Model } from '@steward/example-fraud-trainer';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelServer } from './server.ts';

/** A small model in the artefact format: amount pushes towards fraud, the mobile channel too. */
const model: Model = {
  format: MODEL_FORMAT,
  name: 'fraud-scorer',
  version: '2.3.1',
  trainedAt: '2026-11-01T00:00:00Z',
  numeric: [{ name: 'amount', transform: 'log1p', mean: 4, sd: 1.5 }],
  categorical: [{ name: 'channel', categories: ['web', 'mobile'] }],
  intercept: -2,
  weights: [1.2, 0, 0.8],
  thresholds: { review: 0.5, decline: 0.9 },
  training: { rows: 1000, positives: 40, data: 'file:///data/train.csv' },
};

const contract = outputContractSpecSchema.parse(
  (
    load(readFileSync(new URL('../../output-contract.yaml', import.meta.url), 'utf8')) as {
      spec: OutputContractSpecInput;
    }
  ).spec,
);
const violationsOf = compileValidator(contract.schema);

describe('the fraud-scoring model server', () => {
  let loaded: Model | undefined;
  const server = modelServer(() => loaded);
  let base = '';

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  const predict = (body: string) =>
    fetch(`${base}/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('is alive but not ready until the model is loaded', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await predict('{"instances":[{}]}')).status).toBe(503);
    loaded = model;
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      model: 'fraud-scorer',
      version: '2.3.1',
    });
  });

  it('answers in the shape of the fraud-score OutputContract', async () => {
    loaded = model;
    const response = await predict(
      JSON.stringify({ instances: [{ amount: 5000, channel: 'mobile' }, { amount: 3, channel: 'web' }, {}] }),
    );
    expect(response.status).toBe(200);
    const { predictions } = (await response.json()) as { predictions: Record<string, unknown>[] };
    expect(predictions).toHaveLength(3);
    for (const prediction of predictions) expect(violationsOf(prediction as never)).toEqual([]);
    expect(predictions[0]).toMatchObject({ decision: 'decline', model_version: '2.3.1' });
    expect(predictions[1]).toMatchObject({ decision: 'approve' });
  });

  it('refuses bad requests with a message, and keeps serving', async () => {
    loaded = model;
    const notJson = await predict('amount=5');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toContain('not JSON');
    const wrongShape = await predict('{"instances": [1, 2]}');
    expect(wrongShape.status).toBe(400);
    expect((await fetch(`${base}/predict`)).status).toBe(405);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await predict('{"instances":[{"amount":1}]}')).status).toBe(200);
  });
});
