/** Evaluation of scores against labels: ranking quality, recall at a fixed false-positive rate, by slice. */

export interface Scored {
  score: number;
  label: number;
}

/** Area under the ROC curve (Mann-Whitney U with tied scores counted half); NaN without both classes. */
export function auc(items: readonly Scored[]): number {
  const sorted = [...items].sort((a, b) => a.score - b.score);
  const positives = sorted.filter((s) => s.label === 1).length;
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]?.score === sorted[i]?.score) j++;
    // Ranks i+1 .. j share their average.
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]?.label === 1) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The lowest threshold whose false-positive rate on `items` stays at or below `fpr`. */
export function thresholdAtFpr(items: readonly Scored[], fpr: number): number {
  const negatives = items
    .filter((s) => s.label === 0)
    .map((s) => s.score)
    .sort((a, b) => b - a);
  const allowed = Math.floor(fpr * negatives.length);
  // Scores strictly above the (allowed+1)-th highest negative flag at most `allowed` negatives.
  const boundary = negatives[allowed];
  return boundary === undefined ? 0 : nextUp(boundary);
}

function nextUp(x: number): number {
  return x + Math.max(Number.EPSILON * Math.abs(x), Number.MIN_VALUE);
}

export function recallAt(items: readonly Scored[], threshold: number): number {
  const positives = items.filter((s) => s.label === 1);
  if (positives.length === 0) return Number.NaN;
  return positives.filter((s) => s.score >= threshold).length / positives.length;
}

export function falsePositiveRate(items: readonly Scored[], threshold: number): number {
  const negatives = items.filter((s) => s.label === 0);
  if (negatives.length === 0) return Number.NaN;
  return negatives.filter((s) => s.score >= threshold).length / negatives.length;
}

/** Mean negative log-likelihood; scores are clamped so a confident mistake costs a lot, not Infinity. */
export function logLoss(items: readonly Scored[]): number {
  const EPSILON = 1e-12;
  const total = items.reduce((sum, { score, label }) => {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, score));
    return sum - (label === 1 ? Math.log(p) : Math.log(1 - p));
  }, 0);
  return total / items.length;
}

/** Groups scored rows by the value of one column. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k) ?? [];
    group.push(item);
    groups.set(k, group);
  }
  return groups;
}

/**
 * Largest over smallest false-positive rate among the groups (1 = parity); groups with fewer than
 * `minNegatives` negatives are left out, because their rate is mostly noise.
 */
export function falsePositiveRateRatio(
  groups: ReadonlyMap<string, readonly Scored[]>,
  threshold: number,
  minNegatives: number,
): number {
  const rates = [...groups.values()]
    .filter((g) => g.filter((s) => s.label === 0).length >= minNegatives)
    .map((g) => falsePositiveRate(g, threshold));
  if (rates.length < 2) return Number.NaN;
  const low = Math.min(...rates);
  const high = Math.max(...rates);
  return low === 0 ? (high === 0 ? 1 : Number.POSITIVE_INFINITY) : high / low;
}

/** Nearest-rank percentile of `values` (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}
