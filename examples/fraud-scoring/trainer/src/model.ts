/**
 * The fraud-scoring model artefact (`model.json`) and how it scores a transaction. The example model
 * server loads the same file and calls `predict`, so training, validation and serving share one scorer.
 */
import { z } from 'zod';

export const MODEL_FORMAT = 'steward.example/logistic-regression/v1';
export const MODEL_FILE = 'model.json';

export const NumericTransform = { Identity: 'identity', Log1p: 'log1p' } as const;

export const modelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  name: z.string().min(1),
  version: z.string().min(1),
  trainedAt: z.iso.datetime(),
  numeric: z.array(
    z.object({
      name: z.string().min(1),
      transform: z.enum([NumericTransform.Identity, NumericTransform.Log1p]),
      mean: z.number(),
      sd: z.number().positive(),
    }),
  ),
  categorical: z.array(z.object({ name: z.string().min(1), categories: z.array(z.string()) })),
  intercept: z.number(),
  /** One weight per input of `featurize`, in its order. */
  weights: z.array(z.number()),
  /** Scores at or above `review` go to manual review, at or above `decline` are declined. */
  thresholds: z.object({ review: z.number().min(0).max(1), decline: z.number().min(0).max(1) }),
  training: z.object({ rows: z.int().min(0), positives: z.int().min(0), data: z.string() }),
});
export type Model = z.infer<typeof modelSchema>;
export type FeatureLayout = Pick<Model, 'numeric' | 'categorical'>;

/** A transaction as read from data: every cell a string (CSV) or a number. */
export type Row = Readonly<Record<string, string | number | undefined>>;

export function transformed(value: number, transform: Model['numeric'][number]['transform']): number {
  return transform === NumericTransform.Log1p ? Math.log1p(Math.max(0, value)) : value;
}

/** The input names in `featurize` order: numeric features, then one indicator per category. */
export function inputNames(layout: FeatureLayout): string[] {
  return [
    ...layout.numeric.map((f) => f.name),
    ...layout.categorical.flatMap((f) => f.categories.map((c) => `${f.name}=${c}`)),
  ];
}

/**
 * The model inputs of one row: standardised numeric features and one-hot categories. A missing or
 * non-numeric value scores as the training mean (0); an unseen category as none of the known ones.
 */
export function featurize(layout: FeatureLayout, row: Row): Float64Array {
  const inputs = new Float64Array(inputNames(layout).length);
  let at = 0;
  for (const feature of layout.numeric) {
    const raw = Number(row[feature.name]);
    inputs[at++] = Number.isFinite(raw)
      ? (transformed(raw, feature.transform) - feature.mean) / feature.sd
      : 0;
  }
  for (const feature of layout.categorical) {
    const index = feature.categories.indexOf(String(row[feature.name] ?? ''));
    if (index >= 0) inputs[at + index] = 1;
    at += feature.categories.length;
  }
  return inputs;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function scoreInputs(
  model: { intercept: number; weights: ArrayLike<number> },
  inputs: Float64Array,
): number {
  let z = model.intercept;
  for (let i = 0; i < inputs.length; i++) z += (model.weights[i] ?? 0) * (inputs[i] ?? 0);
  return sigmoid(z);
}

export function score(model: Model, row: Row): number {
  return scoreInputs(model, featurize(model, row));
}

export const Decision = { Approve: 'approve', Review: 'review', Decline: 'decline' } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

// The contract's reasons[] lists the strongest contributions first; three are enough for a reviewer.
const MAX_REASONS = 3;

/** A prediction in the fraud-score contract's shape (examples/fraud-scoring/output-contract.yaml). */
export interface Prediction {
  score: number;
  decision: Decision;
  reasons: { code: string; weight: number }[];
  model_version: string;
}

export function predict(model: Model, row: Row): Prediction {
  const inputs = featurize(model, row);
  const probability = scoreInputs(model, inputs);
  const names = inputNames(model);
  // Reasons: the inputs that pushed the score up most, as shares of all upward pushes.
  const pushes = names
    .map((name, i) => ({ name, push: (model.weights[i] ?? 0) * (inputs[i] ?? 0) }))
    .filter((p) => p.push > 0)
    .sort((a, b) => b.push - a.push);
  const total = pushes.reduce((sum, p) => sum + p.push, 0);
  return {
    score: probability,
    decision:
      probability >= model.thresholds.decline
        ? Decision.Decline
        : probability >= model.thresholds.review
          ? Decision.Review
          : Decision.Approve,
    reasons: pushes.slice(0, MAX_REASONS).map((p) => ({ code: reasonCode(p.name), weight: p.push / total })),
    model_version: model.version,
  };
}

/** `merchant_category=gaming` -> `MERCHANT_CATEGORY_GAMING`: stable codes for case management. */
export function reasonCode(input: string): string {
  return input.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}
