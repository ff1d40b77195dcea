// Model quality on labelled rows (concept drift): the metrics a DriftMonitor's conceptDrift names.

export const qualityMetrics = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'auc',
  'logloss',
  'rmse',
  'mae',
] as const;
export type QualityMetric = (typeof qualityMetrics)[number];

/** Metrics where lower is better, so a degradation is an increase. */
export const LOWER_IS_BETTER: ReadonlySet<QualityMetric> = new Set(['logloss', 'rmse', 'mae']);

/** A predicted probability at or above this is the positive class for accuracy, precision, recall, f1. */
export const DECISION_THRESHOLD = 0.5;
/** scikit-learn's clipping of probabilities in log loss, so a confident miss costs a finite amount. */
export const LOG_LOSS_EPSILON = 1e-15;

/** One labelled row: the model's prediction (a class or a score) and the ground truth. */
export interface LabelledRow {
  prediction: number | string;
  label: number | string;
}

/** A metric could not be computed from these rows: the message says why (a config or data problem). */
export class QualityError extends Error {
  override name = 'QualityError';
}

const POSITIVE_LABELS: ReadonlySet<string> = new Set(['1', 'true', 'yes']);
const NEGATIVE_LABELS: ReadonlySet<string> = new Set(['0', 'false', 'no']);

/** 1 or 0 for a binary label (1/0, true/false, yes/no), else a QualityError naming the value. */
function binaryLabel(value: number | string, metric: QualityMetric): 0 | 1 {
  const text = String(value).toLowerCase();
  if (POSITIVE_LABELS.has(text)) return 1;
  if (NEGATIVE_LABELS.has(text)) return 0;
  throw new QualityError(
    `${metric} needs binary labels (1/0, true/false, yes/no), got ${JSON.stringify(value)}`,
  );
}

function numeric(value: number | string, what: string, metric: QualityMetric): number {
  const x = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(x))
    throw new QualityError(`${metric} needs numeric ${what}s, got ${JSON.stringify(value)}`);
  return x;
}

/** A predicted class: a probability is thresholded at DECISION_THRESHOLD, a label read as a label. */
function predictedClass(value: number | string, metric: QualityMetric): 0 | 1 {
  const x = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(x) && x > 0 && x < 1) return x >= DECISION_THRESHOLD ? 1 : 0;
  return binaryLabel(value, metric);
}

function confusion(rows: readonly LabelledRow[], metric: QualityMetric) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const row of rows) {
    const predicted = predictedClass(row.prediction, metric);
    const actual = binaryLabel(row.label, metric);
    if (predicted === 1 && actual === 1) tp++;
    else if (predicted === 1) fp++;
    else if (actual === 1) fn++;
    else tn++;
  }
  return { tp, fp, fn, tn };
}

/** Area under the ROC curve: the Mann-Whitney U with average ranks for ties, over positives x negatives. */
function auc(rows: readonly LabelledRow[]): number {
  const scored = rows
    .map((r) => ({ score: numeric(r.prediction, 'score', 'auc'), positive: binaryLabel(r.label, 'auc') }))
    .sort((a, b) => a.score - b.score);
  const positives = scored.filter((r) => r.positive === 1).length;
  const negatives = scored.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new QualityError(
      `auc needs both classes among the labels, found only ${positives > 0 ? 'positives' : 'negatives'}`,
    );
  }
  let rankSum = 0;
  for (let i = 0; i < scored.length; ) {
    let j = i;
    while (
      j < scored.length &&
      (scored[j] as { score: number }).score === (scored[i] as { score: number }).score
    )
      j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if ((scored[k] as { positive: number }).positive === 1) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Computes `metric` over `rows` (at least one); a QualityError when the rows do not fit the metric. */
export function qualityMetric(metric: QualityMetric, rows: readonly LabelledRow[]): number {
  if (rows.length === 0) throw new QualityError(`${metric} needs at least one labelled row`);
  switch (metric) {
    case 'accuracy': {
      const { tp, tn } = confusion(rows, metric);
      return (tp + tn) / rows.length;
    }
    case 'precision': {
      const { tp, fp } = confusion(rows, metric);
      // scikit-learn's zero_division=0: no positive prediction gives precision 0.
      return tp + fp === 0 ? 0 : tp / (tp + fp);
    }
    case 'recall': {
      const { tp, fn } = confusion(rows, metric);
      return tp + fn === 0 ? 0 : tp / (tp + fn);
    }
    case 'f1': {
      const { tp, fp, fn } = confusion(rows, metric);
      return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    }
    case 'auc':
      return auc(rows);
    case 'logloss': {
      let total = 0;
      for (const row of rows) {
        const p = Math.min(
          1 - LOG_LOSS_EPSILON,
          Math.max(LOG_LOSS_EPSILON, numeric(row.prediction, 'probability', metric)),
        );
        total -= binaryLabel(row.label, metric) === 1 ? Math.log(p) : Math.log(1 - p);
      }
      return total / rows.length;
    }
    case 'rmse':
    case 'mae': {
      let total = 0;
      for (const row of rows) {
        const error = numeric(row.prediction, 'prediction', metric) - numeric(row.label, 'label', metric);
        total += metric === 'rmse' ? error * error : Math.abs(error);
      }
      return metric === 'rmse' ? Math.sqrt(total / rows.length) : total / rows.length;
    }
  }
}

/** How much worse `value` is than `baseline` (positive = worse), whichever direction the metric improves in. */
export function degradation(metric: QualityMetric, value: number, baseline: number): number {
  return LOWER_IS_BETTER.has(metric) ? value - baseline : baseline - value;
}
