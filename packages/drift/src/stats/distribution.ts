import { sortedCopy } from './sort.ts';

/**
 * A step CDF over ascending values. A raw sample has unit weights (`cumulative` absent); a quantile
 * sketch carries the cumulative weight of its retained items. Every numeric method works on this one
 * shape, so data-vs-data, profile-vs-data and profile-vs-profile share the same code.
 */
export interface StepDistribution {
  readonly values: Float64Array;
  /** cumulative[i] = total weight of values[0..i]; absent means every value weighs 1. */
  readonly cumulative?: Float64Array;
  /** Total weight (= values.length for a raw sample). */
  readonly total: number;
  /** True for a raw sample: the results are exact, not sketch estimates. */
  readonly exact: boolean;
}

/** Sorts a sample (finite values only) into a distribution. */
export function sampleDistribution(values: Float64Array): StepDistribution {
  return { values: sortedCopy(values), total: values.length, exact: true };
}

/** Weight of the first `index` values. */
export function weightBefore(dist: StepDistribution, index: number): number {
  if (index <= 0) return 0;
  return dist.cumulative === undefined ? index : (dist.cumulative[index - 1] ?? 0);
}

/** First index whose value is >= x (binary search). */
export function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The q-quantile. Raw samples use linear interpolation between order statistics (numpy's default);
 * sketches use the inverse CDF (smallest retained value whose cumulative share reaches q).
 */
export function quantile(dist: StepDistribution, q: number): number {
  const { values } = dist;
  if (dist.cumulative === undefined) {
    const h = (values.length - 1) * q;
    const lo = Math.floor(h);
    const a = values[lo] ?? Number.NaN;
    const b = values[Math.min(lo + 1, values.length - 1)] ?? a;
    return a + (h - lo) * (b - a);
  }
  const target = q * dist.total;
  const { cumulative } = dist;
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return values[lo] ?? Number.NaN;
}

/** Weight per bin for inner `edges` (ascending): bin k holds edges[k-1] <= x < edges[k], outer bins unbounded. */
export function binWeights(dist: StepDistribution, edges: readonly number[]): number[] {
  const weights: number[] = [];
  let previous = 0;
  for (const edge of edges) {
    const below = weightBefore(dist, lowerBound(dist.values, edge));
    weights.push(below - previous);
    previous = below;
  }
  weights.push(dist.total - previous);
  return weights;
}
