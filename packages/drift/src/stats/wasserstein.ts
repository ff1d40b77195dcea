import { type StepDistribution, weightBefore } from './distribution.ts';

/**
 * Floor of the normalising standard deviation, so a constant reference does not divide by zero
 * (the same floor Evidently uses).
 */
export const MIN_NORMALISING_STD = 0.001;

/** First Wasserstein distance: the area between the two step CDFs, by one merge walk. */
export function wasserstein(a: StepDistribution, b: StepDistribution): number {
  const va = a.values;
  const vb = b.values;
  let i = 0;
  let j = 0;
  let area = 0;
  let previous = Math.min(va[0] ?? 0, vb[0] ?? 0);
  while (i < va.length || j < vb.length) {
    const x = Math.min(va[i] ?? Number.POSITIVE_INFINITY, vb[j] ?? Number.POSITIVE_INFINITY);
    const gap = Math.abs(weightBefore(a, i) / a.total - weightBefore(b, j) / b.total);
    area += gap * (x - previous);
    previous = x;
    while (i < va.length && (va[i] ?? 0) <= x) i++;
    while (j < vb.length && (vb[j] ?? 0) <= x) j++;
  }
  return area;
}

/** Wasserstein distance in units of the reference's (population) standard deviation. */
export function normalisedWasserstein(
  a: StepDistribution,
  b: StepDistribution,
  referenceStd: number,
): number {
  return wasserstein(a, b) / Math.max(referenceStd, MIN_NORMALISING_STD);
}
