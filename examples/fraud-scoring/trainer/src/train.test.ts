import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TERMINATION_MESSAGE_MAX_BYTES, trainResultSchema, validateResultSchema } from '@steward/api';
import { compileValidator, parseContractDocument } from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, type Io, runTrain, runValidate } from './cli.ts';
import { readLabelledRows } from './data.ts';
import { evaluate } from './evaluate.ts';
import { type Model, predict } from './model.ts';
import { trainModel } from './train-model.ts';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));
const TRAINING = join(DATA, 'training.csv');
const HOLDOUT = join(DATA, 'holdout.csv');
const CONTRACT = fileURLToPath(new URL('../../output-contract.yaml', import.meta.url));
const NOW = new Date('2026-11-29T12:00:00Z');

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, now: () => NOW };
  return { io: value, out, err };
}

let dir: string;
let model: Model;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fraud-trainer-'));
  // Trained once (about a second): most tests read this model.
  model = trainModel(await readLabelledRows(TRAINING), {
    name: 'fraud-scorer',
    version: '2.4.0',
    trainedAt: NOW,
    data: TRAINING,
  }).model;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the fraud-scoring trainer and validator', () => {
  it('trains a candidate that passes the example pipeline gates on the holdout data', async () => {
    const result = evaluate(model, await readLabelledRows(HOLDOUT), [
      { metric: 'false_positive_rate_ratio', attribute: 'age_band', min: 0.8, max: 1.5 },
    ]);
    // The gates of examples/fraud-scoring/retrain-pipeline.yaml.
    expect(result.metrics.auc).toBeGreaterThanOrEqual(0.93);
    expect(result.metrics.recall_at_1pct_fpr).toBeGreaterThanOrEqual(0.45);
    expect(result.metrics.p99_latency_ms).toBeGreaterThan(0);
    expect(result.evaluation?.map((e) => e.slice)).toEqual([
      'overall',
      'channel-api',
      'channel-mobile',
      'channel-web',
    ]);
    const fairness = result.fairness?.[0];
    expect(fairness?.value).toBeGreaterThanOrEqual(0.8);
    expect(fairness?.value).toBeLessThanOrEqual(1.5);
  });

  it('a model trained on shuffled labels ranks no better than chance, so the AUC gate would reject it', async () => {
    const rows = await readLabelledRows(TRAINING);
    // Rotate the labels by one row: the rate stays, the link to the features is gone.
    const shuffled = rows.map((r, i) => ({ row: r.row, label: rows[(i + 1) % rows.length]?.label ?? 0 }));
    const { model } = trainModel(shuffled, {
      name: 'fraud-scorer',
      version: '0.0.1',
      trainedAt: NOW,
      data: 'x',
    });
    const result = evaluate(model, await readLabelledRows(HOLDOUT), []);
    expect(result.metrics.auc).toBeLessThan(0.7);
  });

  it('its predictions satisfy the fraud-score output contract', async () => {
    const contract = parseContractDocument(await readFile(CONTRACT, 'utf8'), CONTRACT);
    const validate = compileValidator(contract.schema);
    const rows = (await readLabelledRows(HOLDOUT)).slice(0, 200);
    const predictions = rows.map((r) => predict(model, r.row));
    for (const prediction of predictions)
      expect(validate(JSON.parse(JSON.stringify(prediction)))).toEqual([]);
    expect(new Set(predictions.map((p) => p.decision))).toEqual(new Set(['approve', 'review', 'decline']));
  });

  it('as Jobs: train writes the artefact and reports it, validate reads it and reports metrics, both as documents the operator parses', async () => {
    const output = pathToFileURL(join(dir, 'models')).href;
    const env = { STEWARD_RUN_ID: 'manual-7', STEWARD_SERVING_VERSION: '2.3.1' };
    const trainResult = join(dir, 'train-result');
    const train = io(env);
    expect(await runTrain(['--data', TRAINING, '--output', output, '--result', trainResult], train.io)).toBe(
      ExitCode.Ok,
    );
    const trained = trainResultSchema.parse(JSON.parse(await readFile(trainResult, 'utf8')));
    expect(trained.candidateVersion).toBe('2.4.0-manual-7');
    expect(trained.uri).toBe(`${output}/2.4.0-manual-7/`);

    const validateResult = join(dir, 'validate-result');
    const validate = io({ ...env, STEWARD_CANDIDATE_URI: trained.uri, STEWARD_SERVING_URI: trained.uri });
    const args = [
      '--holdout',
      HOLDOUT,
      '--fairness',
      'false_positive_rate_ratio:age_band:0.8:1.5',
      '--result',
      validateResult,
    ];
    expect(await runValidate(args, validate.io)).toBe(ExitCode.Ok);
    const text = await readFile(validateResult, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TERMINATION_MESSAGE_MAX_BYTES);
    const validated = validateResultSchema.parse(JSON.parse(text));
    // The same model as candidate and serving version: the same AUC on the same rows.
    expect(validated.servingMetrics?.auc).toBe(validated.metrics.auc);
  });

  it('a fire drill trains in dry-run mode into the drills folder, never where a version is served from', async () => {
    const output = pathToFileURL(join(dir, 'drill-models')).href;
    const run = io({ STEWARD_RUN_ID: 'drill-20261130-0300', STEWARD_DRY_RUN: 'true' });
    expect(await runTrain(['--data', HOLDOUT, '--output', output, '--result', join(dir, 'r')], run.io)).toBe(
      ExitCode.Ok,
    );
    expect(JSON.parse(run.out.join('')).uri).toBe(`${output}/drills/drill-20261130-0300/`);
  });

  it('with --published-at, train reports where the output is served instead of the file it wrote', async () => {
    const output = pathToFileURL(join(dir, 'published')).href;
    const run = io({ STEWARD_RUN_ID: 'drift-1', STEWARD_SERVING_VERSION: '2.3.1' });
    const args = ['--data', HOLDOUT, '--output', output, '--published-at', 'http://10.0.0.1:8000/models/'];
    expect(await runTrain([...args, '--result', join(dir, 'r')], run.io)).toBe(ExitCode.Ok);
    expect(JSON.parse(run.out.join('')).uri).toBe('http://10.0.0.1:8000/models/2.4.0-drift-1/');
    expect(await readFile(join(dir, 'published', '2.4.0-drift-1', 'model.json'), 'utf8')).toContain(
      '2.4.0-drift-1',
    );
  });

  it('train and validate read data given as file:// URIs, percent-escapes decoded, as the drift readers do', async () => {
    const spaced = join(dir, 'data with space');
    await mkdir(spaced);
    await copyFile(HOLDOUT, join(spaced, 'holdout.csv'));
    const data = pathToFileURL(join(spaced, 'holdout.csv')).href;
    expect(data).toContain('data%20with%20space');
    const output = pathToFileURL(join(dir, 'from-uri')).href;
    const train = io({ STEWARD_RUN_ID: 'uri-1', STEWARD_SERVING_VERSION: '2.3.1' });
    expect(await runTrain(['--data', data, '--output', output, '--result', join(dir, 'r')], train.io)).toBe(
      ExitCode.Ok,
    );
    const trained = trainResultSchema.parse(JSON.parse(train.out.join('')));
    const validate = io();
    expect(await runValidate(['--holdout', data, '--model', trained.uri], validate.io)).toBe(ExitCode.Ok);
    expect(validateResultSchema.parse(JSON.parse(validate.out.join(''))).metrics.auc).toBeGreaterThan(0.5);
  });

  it.each([
    ['no flags', [], ExitCode.Usage, /--data and --output are required/],
    [
      'a published-at that no model server can fetch',
      ['--data', TRAINING, '--output', 'file:///tmp/x', '--published-at', 's3://bucket/models'],
      ExitCode.Usage,
      /--published-at s3:\/\/bucket\/models: must be an http:\/\/ or https:\/\/ URI/,
    ],
    [
      'an unknown flag',
      ['--data', TRAINING, '--output', 'file:///tmp/x', '--epochs', '3'],
      ExitCode.Usage,
      /epochs/,
    ],
    [
      'an s3 output',
      ['--data', TRAINING, '--output', 's3://bucket/models'],
      ExitCode.Failed,
      /file:\/\/ locations only/,
    ],
    [
      'a file:// URI on another host',
      ['--data', 'file://data-host/training.csv', '--output', 'file:///tmp/x'],
      ExitCode.Failed,
      /file:\/\/data-host\/training\.csv: not a local file:\/\/ URI/,
    ],
    [
      'a missing data file',
      ['--data', '/nonexistent/training.csv', '--output', 'file:///tmp/x'],
      ExitCode.Failed,
      /nonexistent/,
    ],
  ])('train with %s fails with a clear message', async (_name, args, code, message) => {
    const run = io();
    expect(await runTrain(args as string[], run.io)).toBe(code);
    expect(run.err.join('')).toMatch(message);
  });

  it('validate names the row whose label is not 0 or 1, and writes the failure where the operator reads it', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'amount,is_fraud\n12.5,0\n99,yes\n');
    const model = join(dir, 'models', '2.4.0-manual-7');
    const result = join(dir, 'bad-result');
    const run = io();
    const code = await runValidate(
      ['--holdout', bad, '--model', pathToFileURL(model).href, '--result', result],
      run.io,
    );
    expect(code).toBe(ExitCode.Failed);
    expect(await readFile(result, 'utf8')).toMatch(/row 2: is_fraud must be 0 or 1, not yes/);
  });

  it('validate rejects a malformed fairness bound and a file that is not a model', async () => {
    const notModel = join(dir, 'not-model.json');
    await writeFile(notModel, '{"weights": []}');
    const usage = io();
    expect(
      await runValidate(
        ['--holdout', HOLDOUT, '--model', 'file:///x/', '--fairness', 'parity:age'],
        usage.io,
      ),
    ).toBe(ExitCode.Usage);
    expect(usage.err.join('')).toMatch(/METRIC:ATTRIBUTE:MIN:MAX/);
    const wrong = io();
    expect(await runValidate(['--holdout', HOLDOUT, '--model', pathToFileURL(notModel).href], wrong.io)).toBe(
      ExitCode.Failed,
    );
    expect(wrong.err.join('')).toMatch(/not a model artefact: format/);
  });
});
