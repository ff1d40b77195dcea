// Exact algorithms for the CDF of the two-sided one-sample Kolmogorov-Smirnov statistic D_n,
// ported from scipy.stats._ksstats (Durbin's matrix as Marsaglia, Tsang and Wang compute it, and
// Pomeranz's recursion). kstwo.ts decides where each is used.

/** Intermediate results are rescaled by 2^128 so products of many small factors never underflow. */
const SCALE_EXPONENT = 128;
const SCALE = 2 ** SCALE_EXPONENT;
const INVERSE_SCALE = 2 ** -SCALE_EXPONENT;
/** The largest power of two applied in one multiplication of `scaleByPowerOfTwo` (2^1000 is finite). */
const MAX_STEP_EXPONENT = 1000;

/** x * 2^exponent without overflowing or underflowing the factor on the way (C's ldexp). */
export function scaleByPowerOfTwo(x: number, exponent: number): number {
  let result = x;
  let remaining = exponent;
  while (remaining !== 0 && result !== 0 && Number.isFinite(result)) {
    const step = Math.max(-MAX_STEP_EXPONENT, Math.min(MAX_STEP_EXPONENT, remaining));
    result *= 2 ** step;
    remaining -= step;
  }
  return result;
}

function clipProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const aik = a[i * size + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < size; j++) {
        product[i * size + j] = (product[i * size + j] as number) + aik * (b[k * size + j] as number);
      }
    }
  }
  return product;
}

/**
 * P(D_n <= d) by Durbin's matrix: with d = (k - h)/n, the k-th diagonal entry of (n!/n^n) H^n for a
 * (2k-1)-square matrix H. O(k^3 log n) time, so it suits small n*d.
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  // v: first column and (reversed) last row of H; w[j] = 1/j!.
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * factorial;
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++)
    for (let row = i - 1; row < m; row++) power[row * m + i] = w[row - i + 1] as number;
  for (let row = 0; row < m; row++) power[row * m] = v[row] as number;
  for (let column = 0; column < m; column++) power[(m - 1) * m + column] = v[m - 1 - column] as number;

  let result: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) result[i * m + i] = 1;
  let resultExponent = 0;
  let powerExponent = 0;
  const diagonal = (k - 1) * m + (k - 1);
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      result = multiply(result, power, m);
      resultExponent += powerExponent;
    }
    power = multiply(power, power, m);
    powerExponent *= 2;
    if (Math.abs(power[diagonal] as number) > SCALE) {
      for (let i = 0; i < power.length; i++) power[i] = (power[i] as number) * INVERSE_SCALE;
      powerExponent += SCALE_EXPONENT;
    }
  }
  let p = result[diagonal] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < INVERSE_SCALE) {
      p *= SCALE;
      resultExponent -= SCALE_EXPONENT;
    }
  }
  return clipProbability(scaleByPowerOfTwo(p, resultExponent));
}

/** The non-zero column range [first, last] of row i in Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Terms (rate)^m / m! for m < count: Poisson probabilities without their normalising factor. */
function poissonTerms(rate: number, count: number): Float64Array {
  const terms = new Float64Array(count);
  terms[0] = 1;
  for (let m = 1; m < count; m++) terms[m] = ((terms[m - 1] as number) * rate) / m;
  return terms;
}

/** P(D_n <= x) by Pomeranz's recursion: 2n+2 rows, each a short convolution of the previous one. */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const width = 2 * (ll + 1);
  const gPowers = poissonTerms(g / n, width);
  const twoGPowers = poissonTerms((2 * g) / n, width);
  const oneMinusTwoGPowers = poissonTerms((1 - 2 * g) / n, width);
  let previous = new Float64Array(width);
  let current = new Float64Array(width);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzRange(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPowers : i % 2 === 1 ? twoGPowers : oneMinusTwoGPowers;
    const length = j2 - k1 + 1;
    if (length <= 0) continue;
    const offset = k1 - previousStart;
    const inputLength = Math.min(length, width - offset);
    const powersLength = Math.min(length, width);
    let largest = 0;
    for (let out = 0; out <= j2 - j1; out++) {
      const c = j1 - k1 + out; // index into the full convolution of the two slices
      let sum = 0;
      for (let a = Math.max(0, c - powersLength + 1); a <= Math.min(c, inputLength - 1); a++) {
        sum += (previous[offset + a] as number) * (powers[c - a] as number);
      }
      current[out] = sum;
      if (sum > largest) largest = sum;
    }
    if (largest > 0 && largest < INVERSE_SCALE) {
      for (let j = 0; j < width; j++) current[j] = (current[j] as number) * SCALE;
      exponent -= SCALE_EXPONENT;
    }
    currentStart = previousStart + j1 - k1;
  }
  let p = current[n - currentStart] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(p) > SCALE) {
      p *= INVERSE_SCALE;
      exponent += SCALE_EXPONENT;
    }
    p *= m;
  }
  return clipProbability(scaleByPowerOfTwo(p, exponent));
}
