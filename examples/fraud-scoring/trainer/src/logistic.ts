/**
 * Logistic regression by full-batch gradient descent with L2 regularisation: small, deterministic and
 * enough for the example (a few thousand rows, two dozen inputs).
 */
import { scoreInputs } from './model.ts';

export interface FitOptions {
  iterations: number;
  learningRate: number;
  /** L2 penalty on the weights (not the intercept). */
  l2: number;
}

// Converges on standardised inputs of the example data within a few hundred steps; 1500 leaves margin.
export const DEFAULT_FIT_OPTIONS: FitOptions = { iterations: 1500, learningRate: 0.5, l2: 1e-3 };

export interface Fitted {
  intercept: number;
  weights: number[];
}

export function fitLogistic(
  inputs: readonly Float64Array[],
  labels: readonly number[],
  options: FitOptions = DEFAULT_FIT_OPTIONS,
): Fitted {
  const n = inputs.length;
  if (n === 0) throw new Error('cannot fit a model on no rows');
  const width = inputs[0]?.length ?? 0;
  const weights = new Float64Array(width);
  // Start at the base rate, so the first steps move the weights rather than the intercept.
  const rate = labels.reduce((sum, y) => sum + y, 0) / n;
  let intercept = Math.log(Math.max(rate, 1e-6) / Math.max(1 - rate, 1e-6));
  const gradient = new Float64Array(width);
  for (let step = 0; step < options.iterations; step++) {
    gradient.fill(0);
    let interceptGradient = 0;
    for (let r = 0; r < n; r++) {
      const x = inputs[r] as Float64Array;
      const error = scoreInputs({ intercept, weights }, x) - (labels[r] ?? 0);
      interceptGradient += error;
      for (let i = 0; i < width; i++) gradient[i] = (gradient[i] ?? 0) + error * (x[i] ?? 0);
    }
    intercept -= (options.learningRate * interceptGradient) / n;
    for (let i = 0; i < width; i++) {
      const g = (gradient[i] ?? 0) / n + options.l2 * (weights[i] ?? 0);
      weights[i] = (weights[i] ?? 0) - options.learningRate * g;
    }
  }
  return { intercept, weights: Array.from(weights) };
}
