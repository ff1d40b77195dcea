import { describe, expect, it } from 'vitest';
import {
  auc,
  falsePositiveRate,
  falsePositiveRateRatio,
  percentile,
  recallAt,
  thresholdAtFpr,
} from './metrics.ts';

const items = (pairs: [number, number][]) => pairs.map(([score, label]) => ({ score, label }));

describe('metrics', () => {
  it('AUC is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(
      auc(
        items([
          [0.1, 0],
          [0.2, 0],
          [0.8, 1],
          [0.9, 1],
        ]),
      ),
    ).toBe(1);
    expect(
      auc(
        items([
          [0.9, 0],
          [0.8, 0],
          [0.2, 1],
          [0.1, 1],
        ]),
      ),
    ).toBe(0);
    expect(
      auc(
        items([
          [0.5, 0],
          [0.5, 1],
          [0.5, 0],
          [0.5, 1],
        ]),
      ),
    ).toBe(0.5);
  });

  it('AUC counts a tie between a positive and a negative as half a correct pair', () => {
    // Pairs: (0.3+, 0.1-) right, (0.3+, 0.3-) half, (0.3+, 0.5-) wrong: 1.5 of 3.
    expect(
      auc(
        items([
          [0.1, 0],
          [0.3, 0],
          [0.5, 0],
          [0.3, 1],
        ]),
      ),
    ).toBe(0.5);
  });

  it('AUC is undefined (NaN) without both classes', () => {
    expect(
      auc(
        items([
          [0.1, 0],
          [0.2, 0],
        ]),
      ),
    ).toBeNaN();
  });

  it('the threshold at a false-positive rate flags no more negatives than allowed', () => {
    const negatives = Array.from({ length: 200 }, (_, i) => [i / 200, 0] as [number, number]);
    const data = items([...negatives, [0.999, 1], [0.5, 1]]);
    const threshold = thresholdAtFpr(data, 0.01);
    expect(falsePositiveRate(data, threshold)).toBeLessThanOrEqual(0.01);
    expect(falsePositiveRate(data, threshold)).toBeGreaterThan(0);
    expect(recallAt(data, threshold)).toBe(0.5);
  });

  it('the false-positive rate ratio leaves out groups too small to measure', () => {
    const group = (flagged: number, negatives: number) =>
      items(Array.from({ length: negatives }, (_, i) => [i < flagged ? 0.9 : 0.1, 0]));
    const groups = new Map([
      ['a', group(5, 100)],
      ['b', group(10, 100)],
      ['tiny', group(5, 5)],
    ]);
    expect(falsePositiveRateRatio(groups, 0.5, 50)).toBe(2);
  });

  it('percentile is the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([], 99)).toBeNaN();
  });
});
