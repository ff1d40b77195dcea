/** Validation, pure but for the latency clock: a model on holdout rows -> the validate Job's result document. */
import type { ValidateResult } from '@steward/api';
import type { LabelledRow } from './data.ts';
import {
  auc,
  falsePositiveRateRatio,
  groupBy,
  logLoss,
  percentile,
  recallAt,
  type Scored,
  thresholdAtFpr,
} from './metrics.ts';
import { type Model, score } from './model.ts';

export const FairnessMetric = {
  FalsePositiveRateRatio: 'false_positive_rate_ratio',
  DemographicParityRatio: 'demographic_parity_ratio',
} as const;
export type FairnessMetric = (typeof FairnessMetric)[keyof typeof FairnessMetric];

export interface FairnessSpec {
  metric: FairnessMetric;
  attribute: string;
  min?: number;
  max?: number;
}

/** The column whose values are the evaluation slices (besides `overall`). */
export const SLICE_COLUMN = 'channel';
// Recall is read where 1% of legitimate payments are flagged: the operating point of a decline.
const RECALL_FPR = 0.01;
const LATENCY_PERCENTILE = 99;
// Below this many legitimate payments a group's false-positive rate is mostly noise.
const MIN_GROUP_NEGATIVES = 50;

interface ScoredRow extends Scored {
  row: LabelledRow['row'];
}

function scoreAll(
  model: Model,
  rows: readonly LabelledRow[],
  clock: () => number,
): { scored: ScoredRow[]; latenciesMs: number[] } {
  const latenciesMs: number[] = [];
  const scored = rows.map(({ row, label }) => {
    const started = clock();
    const value = score(model, row);
    latenciesMs.push(clock() - started);
    return { score: value, label, row };
  });
  return { scored, latenciesMs };
}

export function overallMetrics(scored: readonly Scored[]): Record<string, number> {
  return {
    auc: auc(scored),
    recall_at_1pct_fpr: recallAt(scored, thresholdAtFpr(scored, RECALL_FPR)),
    log_loss: logLoss(scored),
  };
}

function fairnessValue(spec: FairnessSpec, scored: readonly ScoredRow[], model: Model): number {
  const groups = groupBy(scored, (s) => String(s.row[spec.attribute] ?? ''));
  if (spec.metric === FairnessMetric.FalsePositiveRateRatio) {
    return falsePositiveRateRatio(groups, model.thresholds.review, MIN_GROUP_NEGATIVES);
  }
  // Demographic parity: the lowest group's flag rate over the highest's (1 = parity).
  const rates = [...groups.values()].map(
    (g) => g.filter((s) => s.score >= model.thresholds.review).length / g.length,
  );
  const high = Math.max(...rates);
  return high === 0 ? 1 : Math.min(...rates) / high;
}

/** Rounds for a compact termination message: six significant digits are plenty for a gate. */
function compact(value: number): number {
  return Number(value.toPrecision(6));
}

export function evaluate(
  candidate: Model,
  rows: readonly LabelledRow[],
  fairness: readonly FairnessSpec[],
  options: { serving?: Model; clock?: () => number } = {},
): ValidateResult {
  const clock = options.clock ?? (() => performance.now());
  const { scored, latenciesMs } = scoreAll(candidate, rows, clock);
  const metrics = Object.fromEntries(
    Object.entries({ ...overallMetrics(scored), p99_latency_ms: percentile(latenciesMs, LATENCY_PERCENTILE) })
      .filter(([, v]) => Number.isFinite(v))
      .map(([k, v]) => [k, compact(v)]),
  );
  const slices = groupBy(scored, (s) => String(s.row[SLICE_COLUMN] ?? ''));
  const evaluation = [
    { name: 'auc', slice: 'overall', value: compact(auc(scored)) },
    ...[...slices.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slice, items]) => ({
        name: 'auc',
        slice: `${SLICE_COLUMN}-${slice}`,
        value: compact(auc(items)),
      })),
  ].filter((e) => Number.isFinite(e.value));
  const result: ValidateResult = {
    metrics,
    evaluation,
    fairness: fairness.map((spec) => ({
      metric: spec.metric,
      attribute: spec.attribute,
      value: compact(fairnessValue(spec, scored, candidate)),
      ...(spec.min === undefined ? {} : { min: spec.min }),
      ...(spec.max === undefined ? {} : { max: spec.max }),
    })),
  };
  if (options.serving !== undefined) {
    const servingScored = scoreAll(options.serving, rows, clock).scored;
    result.servingMetrics = Object.fromEntries(
      Object.entries(overallMetrics(servingScored))
        .filter(([, v]) => Number.isFinite(v))
        .map(([k, v]) => [k, compact(v)]),
    );
  }
  return result;
}

/** `false_positive_rate_ratio:age_band:0.8:1.25` (a bound may be empty: `demographic_parity_ratio:country:0.8:`). */
export function parseFairnessSpec(text: string): FairnessSpec {
  const [metric, attribute, min, max] = text.split(':');
  const metrics: readonly string[] = Object.values(FairnessMetric);
  if (metric === undefined || !metrics.includes(metric) || !attribute) {
    throw new Error(
      `--fairness ${text}: expected METRIC:ATTRIBUTE:MIN:MAX with METRIC one of ${metrics.join(', ')}`,
    );
  }
  const bound = (value: string | undefined) => {
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`--fairness ${text}: bound ${value} is not a number`);
    return n;
  };
  const spec: FairnessSpec = { metric: metric as FairnessMetric, attribute };
  const low = bound(min);
  const high = bound(max);
  if (low !== undefined) spec.min = low;
  if (high !== undefined) spec.max = high;
  return spec;
}
