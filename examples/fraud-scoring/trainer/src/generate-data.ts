/**
 * Writes the labelled example data the trainer and validator read: `training.csv` and `holdout.csv`,
 * card-not-present transactions like data/current.csv plus a cardholder `age_band` (used only to measure
 * fairness, never as a feature) and the chargeback label `is_fraud`. Seeded: the files are the same on
 * every machine. Usage: node src/generate-data.ts DIR
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normal, pick, seededUniform } from './random.ts';

const MERCHANTS = [
  ['grocery', 26, -1.2],
  ['fashion', 23, 0.4],
  ['electronics', 18, 2.0],
  ['utilities', 12, -1.6],
  ['travel', 11, 1.4],
  ['gaming', 10, 3.2],
] as const;
const COUNTRIES = [
  ['DE', 30, 0],
  ['FR', 20, 0],
  ['NL', 15, 0],
  ['IT', 12, 0],
  ['ES', 11, 0],
  ['PL', 12, 1.0],
] as const;
const CHANNELS = [
  ['web', 50, 0],
  ['mobile', 40, 0.6],
  ['api', 10, 2.4],
] as const;
const AGE_BANDS = [
  ['18-29', 25],
  ['30-49', 45],
  ['50-plus', 30],
] as const;

// The true fraud model behind the labels: a logistic model the trainer can recover, ~5% positives.
const INTERCEPT = -9;
const LOG_AMOUNT_MEAN = 4.1;
const LOG_AMOUNT_SD = 0.9;
const AMOUNT_WEIGHT = 3;
const NEW_ACCOUNT_DAYS = 30;
const NEW_ACCOUNT_WEIGHT = 3;
const TXN_LAST_HOUR_WEIGHT = 1.2;
const ACCOUNT_AGE_MEAN_DAYS = 400;
const ACCOUNT_AGE_MAX_DAYS = 3650;
const TXN_LAST_HOUR_MEAN = 1;
const MINUTES_BETWEEN_ROWS = 45;

function poisson(uniform: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = uniform(); p > limit; p *= uniform()) k++;
  return k;
}

function effect(table: readonly (readonly [string, number, number])[], value: string): number {
  return table.find(([name]) => name === value)?.[2] ?? 0;
}

function rows(count: number, seed: number, start: Date): string {
  const uniform = seededUniform(seed);
  const weighted = (table: readonly (readonly [string, number, ...unknown[]])[]) =>
    pick(
      uniform,
      table.map(([name, weight]) => [name, weight] as const),
    );
  const lines = [
    'event_time,amount,account_age_days,txn_last_hour,merchant_category,country,channel,age_band,is_fraud',
  ];
  for (let i = 0; i < count; i++) {
    const time = new Date(start.getTime() + i * MINUTES_BETWEEN_ROWS * 60_000);
    const logAmount = normal(uniform, LOG_AMOUNT_MEAN, LOG_AMOUNT_SD);
    const amount = Math.exp(logAmount);
    const ageDays = Math.min(
      ACCOUNT_AGE_MAX_DAYS,
      Math.floor(-ACCOUNT_AGE_MEAN_DAYS * Math.log(1 - uniform())),
    );
    const txnLastHour = poisson(uniform, TXN_LAST_HOUR_MEAN);
    const merchant = weighted(MERCHANTS);
    const country = weighted(COUNTRIES);
    const channel = weighted(CHANNELS);
    const ageBand = weighted(AGE_BANDS);
    const logit =
      INTERCEPT +
      AMOUNT_WEIGHT * (logAmount - LOG_AMOUNT_MEAN) +
      (ageDays < NEW_ACCOUNT_DAYS ? NEW_ACCOUNT_WEIGHT : 0) +
      TXN_LAST_HOUR_WEIGHT * txnLastHour +
      effect(MERCHANTS, merchant) +
      effect(COUNTRIES, country) +
      effect(CHANNELS, channel);
    const fraud = uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    lines.push(
      [
        `${time.toISOString().slice(0, 19)}Z`,
        amount.toFixed(2),
        ageDays,
        txnLastHour,
        merchant,
        country,
        channel,
        ageBand,
        fraud,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const TRAINING_ROWS = 4000;
const HOLDOUT_ROWS = 3000;
const TRAINING_SEED = 20260901;
const HOLDOUT_SEED = 20261115;

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: node src/generate-data.ts DIR\n');
  process.exit(2);
}
await writeFile(
  join(dir, 'training.csv'),
  rows(TRAINING_ROWS, TRAINING_SEED, new Date('2026-09-01T00:00:00Z')),
);
await writeFile(join(dir, 'holdout.csv'), rows(HOLDOUT_ROWS, HOLDOUT_SEED, new Date('2026-11-15T00:00:00Z')));
