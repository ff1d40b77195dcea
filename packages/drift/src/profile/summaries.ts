import { emptySketch, type KllState, sketchAdd, sketchMerge } from './kll.ts';

/** Numeric columns with at most this many distinct values count as categorical (common practice). */
export const LOW_CARDINALITY_MAX = 5;
/** Distinct categories kept per feature; beyond it values only count as overflow (an ID-like column). */
export const DEFAULT_MAX_CATEGORIES = 10_000;

export interface NumericSummary {
  count: number;
  nonFinite: number;
  min: number;
  max: number;
  mean: number;
  /** Sum of squared deviations from the mean (Welford); variance = m2 / count. */
  m2: number;
  /** Counts per distinct value while there are at most LOW_CARDINALITY_MAX, else null. */
  distinct: Map<number, number> | null;
  sketch: KllState;
  /** Counts on fixed edges, kept only when the feature's config gives edges (exactly mergeable). */
  histogram?: { edges: number[]; counts: number[] };
}

export interface TextSummary {
  count: number;
  categories: Map<string, number>;
  /** Values not counted by category because the cap was reached. */
  overflow: number;
  maxCategories: number;
}

export function emptyNumeric(edges?: readonly number[], sketchK?: number): NumericSummary {
  const summary: NumericSummary = {
    count: 0,
    nonFinite: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    mean: 0,
    m2: 0,
    distinct: new Map(),
    sketch: emptySketch(sketchK),
  };
  if (edges) {
    const sorted = [...new Set(edges)].sort((a, b) => a - b);
    summary.histogram = { edges: sorted, counts: new Array<number>(sorted.length + 1).fill(0) };
  }
  return summary;
}

export function emptyText(maxCategories = DEFAULT_MAX_CATEGORIES): TextSummary {
  return { count: 0, categories: new Map(), overflow: 0, maxCategories };
}

function histogramBin(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function addNumber(s: NumericSummary, value: number): void {
  if (!Number.isFinite(value)) {
    s.nonFinite++;
    return;
  }
  // -0 would come back from a JSON profile as 0: record it as 0 from the start.
  const x = value === 0 ? 0 : value;
  s.count++;
  const delta = x - s.mean;
  s.mean += delta / s.count;
  s.m2 += delta * (x - s.mean);
  if (x < s.min) s.min = x;
  if (x > s.max) s.max = x;
  if (s.distinct !== null) {
    const seen = s.distinct.get(x);
    if (seen !== undefined) s.distinct.set(x, seen + 1);
    else if (s.distinct.size < LOW_CARDINALITY_MAX) s.distinct.set(x, 1);
    else s.distinct = null;
  }
  sketchAdd(s.sketch, x);
  if (s.histogram) {
    const bin = histogramBin(s.histogram.edges, x);
    s.histogram.counts[bin] = (s.histogram.counts[bin] as number) + 1;
  }
}

export function addText(s: TextSummary, value: string): void {
  s.count++;
  const seen = s.categories.get(value);
  if (seen !== undefined) s.categories.set(value, seen + 1);
  else if (s.categories.size < s.maxCategories) s.categories.set(value, 1);
  else s.overflow++;
}

/** Chan et al.'s pairwise update: mean and m2 of the union from the parts'. */
export function mergeNumeric(into: NumericSummary, other: NumericSummary): void {
  const n = into.count + other.count;
  if (other.count > 0) {
    const delta = other.mean - into.mean;
    into.mean += (delta * other.count) / n;
    into.m2 += other.m2 + (delta * delta * into.count * other.count) / n;
  }
  into.count = n;
  into.nonFinite += other.nonFinite;
  into.min = Math.min(into.min, other.min);
  into.max = Math.max(into.max, other.max);
  if (into.distinct !== null && other.distinct !== null) {
    for (const [value, count] of other.distinct)
      into.distinct.set(value, (into.distinct.get(value) ?? 0) + count);
    if (into.distinct.size > LOW_CARDINALITY_MAX) into.distinct = null;
  } else {
    into.distinct = null;
  }
  sketchMerge(into.sketch, other.sketch);
  if (into.histogram && other.histogram) {
    if (into.histogram.edges.join() !== other.histogram.edges.join()) {
      throw new Error('cannot merge histograms on different edges');
    }
    other.histogram.counts.forEach((c, k) => {
      (into.histogram as { counts: number[] }).counts[k] = (into.histogram?.counts[k] ?? 0) + c;
    });
  } else {
    delete into.histogram;
  }
}

export function mergeText(into: TextSummary, other: TextSummary): void {
  into.count += other.count;
  into.overflow += other.overflow;
  for (const [value, count] of other.categories) {
    const seen = into.categories.get(value);
    if (seen !== undefined) into.categories.set(value, seen + count);
    else if (into.categories.size < into.maxCategories) into.categories.set(value, count);
    else into.overflow += count;
  }
}
