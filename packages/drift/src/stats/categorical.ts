import { chiSquareSf, normalSf } from './special.ts';

// Methods on aligned count vectors: category k (or numeric bin k) has reference[k] and current[k].

/** Proportions below this are raised to it in PSI, so an empty bin costs a finite amount (Evidently's value). */
export const DEFAULT_PSI_EPSILON = 1e-4;
/** Pearson's rule of thumb: the chi-square approximation needs expected counts of at least 5. */
export const MIN_EXPECTED_COUNT = 5;

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Population Stability Index: sum (c - r) * ln(c / r) over bin shares, empty shares raised to epsilon. */
export function psi(
  reference: readonly number[],
  current: readonly number[],
  epsilon = DEFAULT_PSI_EPSILON,
): number {
  const rTotal = sum(reference);
  const cTotal = sum(current);
  let value = 0;
  reference.forEach((r, k) => {
    const rs = Math.max(r / rTotal, epsilon);
    const cs = Math.max((current[k] ?? 0) / cTotal, epsilon);
    value += (cs - rs) * Math.log(cs / rs);
  });
  return value;
}

/** Jensen-Shannon distance (square root of the divergence, natural log), as scipy.spatial.distance.jensenshannon. */
export function jensenShannon(reference: readonly number[], current: readonly number[]): number {
  const rTotal = sum(reference);
  const cTotal = sum(current);
  let divergence = 0;
  reference.forEach((r, k) => {
    const p = r / rTotal;
    const q = (current[k] ?? 0) / cTotal;
    const m = (p + q) / 2;
    if (p > 0) divergence += p * Math.log(p / m);
    if (q > 0) divergence += q * Math.log(q / m);
  });
  return Math.sqrt(Math.max(0, divergence / 2));
}

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  degreesOfFreedom: number;
  /** Categories pooled because their expected count was under MIN_EXPECTED_COUNT. */
  pooledCategories: number;
}

/**
 * Goodness of fit of the current counts to the reference shares. Categories whose expected count is
 * under 5 (including ones the reference never saw) are pooled into one bin; while that bin is still
 * under 5 it absorbs the smallest remaining category. Returns undefined when fewer than two bins remain.
 */
export function chiSquare(
  reference: readonly number[],
  current: readonly number[],
): ChiSquareResult | undefined {
  const rTotal = sum(reference);
  const cTotal = sum(current);
  const cells = reference
    .map((r, k) => ({ expected: (r / rTotal) * cTotal, observed: current[k] ?? 0 }))
    .sort((x, y) => x.expected - y.expected);
  let pooledExpected = 0;
  let pooledObserved = 0;
  let pooled = 0;
  while (pooled < cells.length) {
    const next = cells[pooled];
    if (next === undefined) break;
    const needsPooling = next.expected < MIN_EXPECTED_COUNT;
    const poolTooSmall = pooled > 0 && pooledExpected < MIN_EXPECTED_COUNT;
    if (!needsPooling && !poolTooSmall) break;
    pooledExpected += next.expected;
    pooledObserved += next.observed;
    pooled++;
  }
  const kept = cells.slice(pooled);
  if (pooled > 0) kept.push({ expected: pooledExpected, observed: pooledObserved });
  if (kept.length < 2) return undefined;
  let statistic = 0;
  for (const { expected, observed } of kept) statistic += (observed - expected) ** 2 / expected;
  const degreesOfFreedom = kept.length - 1;
  return {
    statistic,
    pValue: chiSquareSf(statistic, degreesOfFreedom),
    degreesOfFreedom,
    pooledCategories: pooled,
  };
}

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/** Two-sided Z-test for two proportions with the pooled standard error; counts are of one category. */
export function zTestProportions(
  referenceHits: number,
  referenceTotal: number,
  currentHits: number,
  currentTotal: number,
): ZTestResult {
  const p1 = referenceHits / referenceTotal;
  const p2 = currentHits / currentTotal;
  const pooled = (referenceHits + currentHits) / (referenceTotal + currentTotal);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / referenceTotal + 1 / currentTotal));
  // Both samples constant and equal: no evidence of a difference.
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = (p2 - p1) / se;
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
