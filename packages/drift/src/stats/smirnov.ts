// The one-sided Kolmogorov-Smirnov distribution (scipy.special.smirnov), which the two-sided
// finite-n distribution in kstwo.ts uses for its upper tail. scipy evaluates the same sum in
// double-double arithmetic; here every term is positive and computed in log space, in doubles. Against
// scipy (the reference fixture) the relative error grows with n, from 1e-12 at n = 1000 to 8e-10 at
// n = 1e5 and 2e-8 at n = 1e6 (the largest n summed): far inside the 1e-6 the reference tests ask.

/** Above this n the Birnbaum-Tingey sum has too many terms; scipy switches to an approximation. */
const SMIRNOV_MAX_SUM_N = 1_000_000;
/** cephes MINLOG = ln(2^-1022): exp of anything below is not a normal double. */
const MIN_LOG = -708.3964185322641;

/**
 * P(D+_n >= x) for the one-sided statistic D+_n = sup (F(x) - F_n(x)) of n samples, by the
 * Birnbaum-Tingey / Smirnov sum  x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v),
 * with scipy's special cases for x <= 1/n, x >= 1 - 1/n and n above SMIRNOV_MAX_SUM_N.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxFloor = Math.floor(nx);
  const alpha = nx - nxFloor;
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return (1 - x) ** n;
  if (n > SMIRNOV_MAX_SUM_N) {
    // Approximation p ~ exp(-(6nx + 1)^2 / 18n), as scipy; expm1 keeps precision when p is near 1.
    const logP = -((6 * nx + 1) ** 2) / 18 / n;
    return logP < -Math.LN2 ? Math.exp(logP) : 1 + Math.expm1(logP);
  }
  // v runs to floor(n - nx); when nx is an integer that last term has the factor 1 - x - v/n = 0.
  const terms = n - nxFloor;
  const middle = Math.floor(n / 2);
  let sum = Math.exp(n * Math.log1p(-x) - Math.log(x));
  let logBinomial = Math.log(n);
  for (let v = 1; v < terms; v++) {
    const position = x + v / n;
    const term = Math.exp(logBinomial + (n - v) * Math.log1p(-position) + (v - 1) * Math.log(position));
    sum += term;
    // Stop once the remaining terms, each smaller than this one, cannot change the sum (scipy's rule).
    if (term !== 0) {
      if (4 * (terms - v) * term < Number.EPSILON * sum && v !== terms - 1) break;
    } else if (v > middle) break;
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return Math.min(1, Math.max(0, x * sum));
}
