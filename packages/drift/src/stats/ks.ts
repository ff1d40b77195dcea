import { type StepDistribution, weightBefore } from './distribution.ts';
import { kolmogorovSmirnovSf } from './kstwo.ts';

/**
 * Largest sample size for the exact p-value, as scipy's ks_2samp(method='auto'): the lattice-path
 * computation is O(n*m), at most 10^8 steps (a fraction of a second) at this bound.
 */
export const KS_EXACT_MAX_N = 10_000;

export interface KsResult {
  statistic: number;
  pValue: number;
  /** 'exact' lattice-path probability, or scipy's 'asymptotic' one (kstwo at the effective sample size). */
  pValueMethod: 'exact' | 'asymptotic';
}

/** The merge walk for two raw samples: plain indices, no weights (the hot path on big windows). */
function ksStatisticOfSamples(va: Float64Array, vb: Float64Array): number {
  const na = va.length;
  const nb = vb.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < na && j < nb) {
    const x = Math.min(va[i] as number, vb[j] as number);
    while (i < na && (va[i] as number) <= x) i++;
    while (j < nb && (vb[j] as number) <= x) j++;
    const gap = Math.abs(i / na - j / nb);
    if (gap > d) d = gap;
  }
  return d;
}

/** sup |F_a(x) - F_b(x)| by one merge walk over both ascending value lists. */
export function ksStatistic(a: StepDistribution, b: StepDistribution): number {
  if (a.cumulative === undefined && b.cumulative === undefined)
    return ksStatisticOfSamples(a.values, b.values);
  const va = a.values;
  const vb = b.values;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < va.length && j < vb.length) {
    const x = Math.min(va[i] ?? 0, vb[j] ?? 0);
    while (i < va.length && (va[i] ?? 0) <= x) i++;
    while (j < vb.length && (vb[j] ?? 0) <= x) j++;
    const gap = Math.abs(weightBefore(a, i) / a.total - weightBefore(b, j) / b.total);
    if (gap > d) d = gap;
  }
  return d;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * P(D >= d) under H0 for sample sizes m and n, by walking the lattice of merged orderings: each
 * ordering is equally likely, so the next value comes from the first sample with probability
 * (m - i) / (remaining). Mass that reaches |i/m - j/n| >= d is the p-value.
 */
export function ksExactPValue(m: number, n: number, d: number): number {
  const g = gcd(m, n);
  const lcm = (m / g) * n;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  // |i/m - j/n| >= h/lcm  <=>  |i*n - j*m| >= h*g, in integers so ties with the boundary are exact.
  const bound = h * g;
  const row = new Float64Array(n + 1);
  row[0] = 1;
  let outside = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      let p: number;
      if (i === 0 && j === 0) p = 1;
      else {
        const fromAbove = i > 0 ? (row[j] ?? 0) * ((m - i + 1) / (m - i + 1 + n - j)) : 0;
        const fromLeft = j > 0 ? (row[j - 1] ?? 0) * ((n - j + 1) / (m - i + n - j + 1)) : 0;
        p = fromAbove + fromLeft;
      }
      if (Math.abs(i * n - j * m) >= bound) {
        outside += p;
        p = 0;
      }
      row[j] = p;
    }
  }
  return Math.min(1, outside);
}

/** Rounds half to even, as numpy's round does: the effective size 5000.5 becomes 5000, as in scipy. */
function roundHalfToEven(x: number): number {
  const rounded = Math.round(x);
  return rounded - x === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/**
 * Two-sample Kolmogorov-Smirnov test. Exact p-value when both samples are raw and at most
 * KS_EXACT_MAX_N long; otherwise scipy's ks_2samp(method='asymp'): the finite-n one-sample
 * distribution kstwo at the effective sample size round(mn/(m+n)). That is closer to the exact
 * two-sample p-value than the Kolmogorov limit at sqrt(mn/(m+n)) * D (docs/drift.md). For sketches
 * the sizes are the counts the sketches summarise.
 */
export function ksTest(a: StepDistribution, b: StepDistribution, sizes?: { a: number; b: number }): KsResult {
  const statistic = ksStatistic(a, b);
  const m = sizes?.a ?? a.total;
  const n = sizes?.b ?? b.total;
  if (a.exact && b.exact && Math.max(m, n) <= KS_EXACT_MAX_N) {
    return { statistic, pValue: ksExactPValue(m, n, statistic), pValueMethod: 'exact' };
  }
  // scipy would evaluate kstwo at n = 0 (NaN) for two single values; one sample is the least that means anything.
  const effectiveSize = Math.max(1, roundHalfToEven((m * n) / (m + n)));
  return { statistic, pValue: kolmogorovSmirnovSf(effectiveSize, statistic), pValueMethod: 'asymptotic' };
}
