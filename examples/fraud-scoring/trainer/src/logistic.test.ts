import { describe, expect, it } from 'vitest';
import { fitLogistic } from './logistic.ts';
import { sigmoid } from './model.ts';
import { normal, seededUniform } from './random.ts';

describe('fitLogistic', () => {
  it('recovers the weights of the logistic model that generated the labels', () => {
    const uniform = seededUniform(7);
    const truth = { intercept: -1, weights: [2, -1.5, 0] };
    const inputs = Array.from({ length: 4000 }, () =>
      Float64Array.from([0, 0, 0], () => normal(uniform, 0, 1)),
    );
    const labels = inputs.map((x) => {
      const z = truth.intercept + truth.weights.reduce((sum, w, i) => sum + w * (x[i] ?? 0), 0);
      return uniform() < sigmoid(z) ? 1 : 0;
    });
    const fitted = fitLogistic(inputs, labels);
    // Sampling noise on 4000 rows: a standard error of about 0.05 per weight.
    expect(fitted.intercept).toBeCloseTo(truth.intercept, 0);
    for (const [i, w] of fitted.weights.entries()) {
      expect(Math.abs(w - (truth.weights[i] ?? 0))).toBeLessThan(0.2);
    }
  });

  it('refuses to fit on no rows', () => {
    expect(() => fitLogistic([], [])).toThrow(/no rows/);
  });
});
