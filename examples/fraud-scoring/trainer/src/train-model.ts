/** Training, pure: labelled rows in, the model artefact out. */
import type { LabelledRow } from './data.ts';
import { DEFAULT_FIT_OPTIONS, type FitOptions, fitLogistic } from './logistic.ts';
import { auc, thresholdAtFpr } from './metrics.ts';
import {
  type FeatureLayout,
  featurize,
  MODEL_FORMAT,
  type Model,
  NumericTransform,
  scoreInputs,
  transformed,
} from './model.ts';

/** The example's features: amounts and account ages are heavy-tailed, so the model sees their log. */
export const FRAUD_FEATURES = {
  numeric: [
    { name: 'amount', transform: NumericTransform.Log1p },
    { name: 'account_age_days', transform: NumericTransform.Log1p },
    { name: 'txn_last_hour', transform: NumericTransform.Identity },
  ],
  categorical: ['merchant_category', 'country', 'channel'],
} as const;

// Review flags 5% of legitimate payments, decline 1%: the share manual review can absorb, and a
// decline rate merchants tolerate.
export const REVIEW_FPR = 0.05;
export const DECLINE_FPR = 0.01;

export interface TrainOptions {
  name: string;
  version: string;
  trainedAt: Date;
  data: string;
  fit?: FitOptions;
}

export function layoutFrom(rows: readonly LabelledRow[]): FeatureLayout {
  return {
    numeric: FRAUD_FEATURES.numeric.map(({ name, transform }) => {
      const values = rows
        .map((r) => Number(r.row[name]))
        .filter(Number.isFinite)
        .map((v) => transformed(v, transform));
      if (values.length === 0) throw new Error(`feature ${name}: no numeric values`);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      // A constant feature carries no signal; sd 1 keeps it finite instead of dividing by zero.
      return { name, transform, mean, sd: Math.sqrt(variance) || 1 };
    }),
    categorical: FRAUD_FEATURES.categorical.map((name) => ({
      name,
      categories: [...new Set(rows.map((r) => String(r.row[name] ?? '')).filter((c) => c !== ''))].sort(),
    })),
  };
}

export function trainModel(
  rows: readonly LabelledRow[],
  options: TrainOptions,
): { model: Model; trainingAuc: number } {
  const layout = layoutFrom(rows);
  const inputs = rows.map((r) => featurize(layout, r.row));
  const labels = rows.map((r) => r.label);
  const fitted = fitLogistic(inputs, labels, options.fit ?? DEFAULT_FIT_OPTIONS);
  const scored = inputs.map((x, i) => ({ score: scoreInputs(fitted, x), label: labels[i] ?? 0 }));
  const model: Model = {
    format: MODEL_FORMAT,
    name: options.name,
    version: options.version,
    trainedAt: options.trainedAt.toISOString(),
    ...layout,
    intercept: fitted.intercept,
    weights: fitted.weights,
    thresholds: { review: thresholdAtFpr(scored, REVIEW_FPR), decline: thresholdAtFpr(scored, DECLINE_FPR) },
    training: { rows: rows.length, positives: labels.filter((y) => y === 1).length, data: options.data },
  };
  return { model, trainingAuc: auc(scored) };
}
