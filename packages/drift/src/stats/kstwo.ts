// The finite-n distribution of the two-sided one-sample Kolmogorov-Smirnov statistic D_n
// (scipy.stats.kstwo), which scipy's ks_2samp(method='asymp') evaluates at n = round(mn/(m+n)).
// Which algorithm serves which (n, d) follows Simard and L'Ecuyer (2011), exactly as scipy's
// _kolmogn does, so the p-values agree with scipy's to far better than the reference tests' 1e-6.

import { durbinCdf, pomeranzCdf } from './kolmogorov-exact.ts';
import { smirnovSf } from './smirnov.ts';

/** Up to this n the exact algorithms are affordable everywhere (Simard and L'Ecuyer). */
const SMALL_N = 140;
/** Small n: Durbin's matrix up to this n*d^2, Pomeranz's recursion up to POMERANZ_MAX_NDD. */
const DURBIN_MAX_NDD_SMALL_N = 0.754693;
const POMERANZ_MAX_NDD = 4;
/** Large n: at and above this n*d^2 the survival function is 2 * smirnov, whose error is below 1e-16 there. */
const SMIRNOV_MIN_NDD = 2.2;
/** ... and at and above this one it is below the smallest double. */
const ZERO_SF_NDD = 370;
/** Large n: Durbin's matrix while n <= DURBIN_MAX_N and n * d^1.5 <= DURBIN_MAX_N_D15, else Pelz-Good. */
const DURBIN_MAX_N = 100_000;
const DURBIN_MAX_N_D15 = 1.4;
/** exp() below this is 0 in double precision. */
const MIN_EXP_ARGUMENT = -708;

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Pelz and Good's approximation of P(D_n <= d): Li-Chien and Korolyuk's expansion
 * K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 at z = d*sqrt(n), each term rewritten with Jacobi
 * theta identities into a series that converges fast for small z.
 */
function pelzGoodCdf(n: number, d: number): number {
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -PI2 / 8 / z2;
  if (logQ < MIN_EXP_ARGUMENT) return 0;
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  // Horner scheme over the odd integers m = 2k - 1 for sum c(m) q^(m^2).
  const q = Math.exp(logQ);
  const maxK = Math.ceil((16 * z) / Math.PI);
  const terms = [0, 0, 0, 0];
  for (let k = maxK; k > 0; k--) {
    const m2 = (2 * k - 1) ** 2;
    const qPower = q ** (8 * k);
    terms[0] = (terms[0] as number) * qPower + 1;
    terms[1] = (terms[1] as number) * qPower + k1a + k1b * m2;
    terms[2] = (terms[2] as number) * qPower + k2a + k2b * m2 + k2c * m2 * m2;
    terms[3] = (terms[3] as number) * qPower + k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2;
  }
  const divisors = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) terms[i] = ((terms[i] as number) * q * SQRT_2PI) / (divisors[i] as number);
  // K2 and K3 also have a sum over all integers k of terms in q'^(k^2), q' = exp(-pi^2 / 2z^2).
  const qAll = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const weight = k2 * qAll ** k2;
    k2Extra += weight;
    k3Extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * weight;
  }
  terms[2] = (terms[2] as number) + (k2Extra * PI2 * SQRT_2PI) / (-36 * z2 * z);
  terms[3] = (terms[3] as number) + (k3Extra * PI2 * SQRT_2PI) / (216 * z6);
  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += (terms[i] as number) / n ** (i / 2);
  return cdf;
}

function clipProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/**
 * P(D_n >= d) for the two-sided one-sample statistic of n samples (scipy.stats.kstwo.sf(d, n)).
 * `n` must be a positive integer.
 */
export function kolmogorovSmirnovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0)
    throw new RangeError(`sample size must be a positive integer, got ${n}`);
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const nd = n * d;
  if (nd <= 1) {
    // Ruben and Gambino: P(D_n <= d) = n!/n^n (2nd - 1)^n for 1/2n <= d <= 1/n, and 0 below.
    if (nd <= 0.5) return 1;
    let cdf = 1;
    for (let i = 1; i <= n && cdf > 0; i++) cdf *= (i / n) * (2 * nd - 1);
    return clipProbability(1 - cdf);
  }
  if (nd >= n - 1) return clipProbability(2 * (1 - d) ** n);
  // Above 1/2 the two one-sided excursions cannot both happen: exactly twice the one-sided tail.
  if (d >= 0.5) return clipProbability(2 * smirnovSf(n, d));
  const ndd = nd * d;
  if (n <= SMALL_N) {
    if (ndd <= DURBIN_MAX_NDD_SMALL_N) return clipProbability(1 - durbinCdf(n, d));
    if (ndd <= POMERANZ_MAX_NDD) return clipProbability(1 - pomeranzCdf(n, d));
    return clipProbability(2 * smirnovSf(n, d));
  }
  if (ndd >= ZERO_SF_NDD) return 0;
  if (ndd >= SMIRNOV_MIN_NDD) return clipProbability(2 * smirnovSf(n, d));
  const cdf = n <= DURBIN_MAX_N && n * d ** 1.5 <= DURBIN_MAX_N_D15 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clipProbability(1 - cdf);
}
