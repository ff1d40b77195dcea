import { describe, expect, it } from 'vitest';
import { degradation, type LabelledRow, QualityError, qualityMetric } from './quality.ts';

const rows = (pairs: [number | string, number | string][]): LabelledRow[] =>
  pairs.map(([prediction, label]) => ({ prediction, label }));

describe('quality metrics on labelled rows', () => {
  // Values checked against scikit-learn 1.2 (roc_auc_score, log_loss, accuracy_score, precision/recall/f1).
  const scored = rows([
    [0.9, 1],
    [0.8, 1],
    [0.7, 0],
    [0.6, 1],
    [0.4, 0],
    [0.3, 1],
    [0.2, 0],
    [0.1, 0],
  ]);

  it('computes AUC as the share of correctly ordered positive-negative pairs, ties counting half', () => {
    expect(qualityMetric('auc', scored)).toBeCloseTo(0.8125, 12);
    expect(
      qualityMetric(
        'auc',
        rows([
          [0.5, 1],
          [0.5, 0],
          [0.9, 1],
          [0.1, 0],
        ]),
      ),
    ).toBeCloseTo(0.875, 12);
  });

  it('thresholds probabilities at 0.5 for accuracy, precision, recall and f1', () => {
    expect(qualityMetric('accuracy', scored)).toBeCloseTo(0.75, 12);
    expect(qualityMetric('precision', scored)).toBeCloseTo(0.75, 12);
    expect(qualityMetric('recall', scored)).toBeCloseTo(0.75, 12);
    expect(qualityMetric('f1', scored)).toBeCloseTo(0.75, 12);
  });

  it('computes log loss with probabilities clipped like scikit-learn', () => {
    expect(
      qualityMetric(
        'logloss',
        rows([
          [0.9, 1],
          [0.2, 0],
        ]),
      ),
    ).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(Number.isFinite(qualityMetric('logloss', rows([[0, 1]])))).toBe(true);
  });

  it('computes RMSE and MAE for regression', () => {
    const regression = rows([
      [3, 1],
      [2, 2],
      [0, 1],
    ]);
    expect(qualityMetric('rmse', regression)).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(qualityMetric('mae', regression)).toBeCloseTo(1, 12);
  });

  it('rejects labels that do not fit the metric with the offending value', () => {
    expect(() => qualityMetric('auc', rows([[0.3, 'maybe']]))).toThrow(QualityError);
    expect(() => qualityMetric('auc', rows([[0.3, 'maybe']]))).toThrow(/binary labels .*"maybe"/);
    expect(() =>
      qualityMetric(
        'auc',
        rows([
          [0.3, 1],
          [0.4, 1],
        ]),
      ),
    ).toThrow(/both classes/);
    expect(() => qualityMetric('rmse', rows([['high', 1]]))).toThrow(/numeric predictions, got "high"/);
  });

  it('measures degradation in the direction the metric gets worse', () => {
    expect(degradation('auc', 0.9, 0.95)).toBeCloseTo(0.05, 12);
    expect(degradation('rmse', 1.2, 1.0)).toBeCloseTo(0.2, 12);
  });
});
